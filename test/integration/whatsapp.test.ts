import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../worker/stores/db";
import { seedDemo } from "../../worker/demo/seed";
import { Browser } from "./client";
import { userId } from "./fixtures";

const setWhatsapp = async (email: string, number: string | null) =>
  env.DB.prepare("update agent_profiles set whatsapp_enabled = ?, whatsapp_number = ? where user_id = ?")
    .bind(number ? 1 : 0, number, await userId(email))
    .run();

beforeAll(async () => {
  await seedDemo(openDb(env.DB));
});

describe("GET /c/{company}/{room}/whatsapp", () => {
  it("sends customers to the WhatsApp agents of the room in turn", async () => {
    await setWhatsapp("alice@demo.test", "447700900111");
    await setWhatsapp("bob@demo.test", "447700900222");
    const targets: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await new Browser().get("/c/demo/GENERAL/whatsapp");
      expect(res.status).toBe(302);
      targets.push(res.headers.get("location")!);
    }
    expect(new Set(targets)).toEqual(new Set(["https://wa.me/447700900111", "https://wa.me/447700900222"]));
    expect(targets[0]).not.toBe(targets[1]);
    expect(targets[0]).toBe(targets[2]);
  });

  it("skips offline agents when the room takes WhatsApp chats from online agents only", async () => {
    await env.DB.prepare("update rooms set whatsapp_offline_agents = 0 where name = 'CHARGE_DURATION_ON_DEMAND'").run();
    const res = await new Browser().get("/c/demo/CHARGE_DURATION_ON_DEMAND/whatsapp");
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("is taking WhatsApp chats right now");
  });

  it("goes to the agent alone from a private room", async () => {
    const res = await new Browser().get("/c/demo/~bob-chen/whatsapp");
    expect(res.headers.get("location")).toBe("https://wa.me/447700900222");
  });

  it("answers 404 for an unknown room", async () => {
    expect((await new Browser().get("/c/demo/NOPE/whatsapp")).status).toBe(404);
  });
});
