import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../worker/adapters/db";
import { seedDemo } from "../../worker/demo/seed";
import { count, roomId, signedIn, userId } from "./fixtures";
import { signUpAs, Browser } from "./client";

const form = (over: Record<string, string> = {}) => ({
  photoUrl: "",
  greeting: "Hi, I am Alice. What can I do for you?",
  ringtone: "chime",
  whatsappEnabled: "on",
  whatsappNumber: "447700900123",
  notificationAlert: "on",
  privateRoomId: "",
  ...over,
});

beforeAll(async () => {
  await seedDemo(openDb(env.DB));
});

describe("GET /agent/profile", () => {
  it("shows the agent's own profile with an initials avatar when there is no photo", async () => {
    const alice = await signedIn("alice@demo.test", "parley-demo");
    const res = await alice.get("/agent/profile");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Hello! How can I help you today?");
    expect(html).toMatch(/avatar-initials[^>]*>AM</);
  });

  it("is for agents only: a company admin who is not an agent gets 403", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "prof-co", email: "boss@prof.test" });
    expect((await admin.get("/agent/profile")).status).toBe(403);
  });
});

describe("POST /agent/profile", () => {
  it("saves the greeting, ringtone, WhatsApp and alerts, and tells the administrator by email", async () => {
    const alice = await signedIn("alice@demo.test", "parley-demo");
    const general = await roomId("demo", "GENERAL");
    const outboxBefore = await count("select count(*) n from email_outbox where to_address = 'admin@demo.test'");
    const res = await alice.post("/agent/profile", form({ privateRoomId: general }), { from: "/agent/profile" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/agent/profile?saved=1");
    const row = await env.DB.prepare("select * from agent_profiles where user_id = ?").bind(await userId("alice@demo.test")).first();
    expect(row).toMatchObject({
      greeting: "Hi, I am Alice. What can I do for you?",
      ringtone: "chime",
      whatsapp_enabled: 1,
      whatsapp_number: "447700900123",
      notification_alert: 1,
      email_alert: 0,
      private_room_id: general,
    });
    expect(await count("select count(*) n from email_outbox where to_address = 'admin@demo.test'")).toBe(outboxBefore + 1);
    expect(await (await alice.get("/agent/profile?saved=1")).text()).toContain("Saved.");
  });

  it("explains a WhatsApp number with a + or a leading zero, and saves nothing", async () => {
    const bob = await signedIn("bob@demo.test", "parley-demo");
    const before = await env.DB.prepare("select * from agent_profiles where user_id = ?").bind(await userId("bob@demo.test")).first();
    for (const bad of ["+447700900123", "07700900123", "44-7700"]) {
      const res = await bob.post("/agent/profile", form({ whatsappNumber: bad, privateRoomId: await roomId("demo", "GENERAL") }), { from: "/agent/profile" });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain("Digits only, country code first");
    }
    const res = await bob.post("/agent/profile", form({ greeting: "", photoUrl: "javascript:alert(1)", privateRoomId: await roomId("demo", "GENERAL") }), { from: "/agent/profile" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Write a greeting");
    expect(html).toContain("Use a web address starting with https://");
    expect(await env.DB.prepare("select * from agent_profiles where user_id = ?").bind(await userId("bob@demo.test")).first()).toEqual(before);
  });

  it("refuses another company's room for the private room", async () => {
    const other = new Browser();
    await signUpAs(other, { slug: "elsewhere", email: "o@elsewhere.test", accountType: "solo" });
    const foreign = await roomId("elsewhere", "GENERAL");
    const bob = await signedIn("bob@demo.test", "parley-demo");
    const res = await bob.post("/agent/profile", form({ privateRoomId: foreign }), { from: "/agent/profile" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Choose one of your company&#39;s rooms.");
    const row = await env.DB.prepare("select private_room_id from agent_profiles where user_id = ?").bind(await userId("bob@demo.test")).first<{ private_room_id: string }>();
    expect(row!.private_room_id).not.toBe(foreign);
  });
});
