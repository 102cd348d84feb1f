import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../worker/stores/db";
import { seedDemo } from "../../worker/demo/seed";
import { count, errorNextTo, roomId, signedIn, userId } from "./fixtures";
import { signUpAs, Browser } from "./client";
import { Customer } from "./live";
import { connectStripe } from "./stripe";

// The profile form as the page sends it. The demo company has a room that allows agents' own
// pricing, so the page carries the pricing fields too (own pricing off, the default scheme).
const form = (over: Record<string, string | undefined> = {}) => {
  const fields: Record<string, string | undefined> = {
    photo: "initials",
    photoUrl: "",
    greeting: "Hi, I am Alice. What can I do for you?",
    ringtone: "chime",
    whatsappEnabled: "on",
    whatsappNumber: "447700900123",
    notificationAlert: "on",
    privateRoomId: "",
    pricingCurrency: "EUR",
    pricingFreeMinutes: "0",
    pricingBlockPrice: "10.00",
    pricingBlockMinutes: "5",
    pricingSplitThreshold: "",
    ...over,
  };
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
};

type Row = Record<string, unknown>;
const profileRow = async (email: string) => (await env.DB.prepare("select * from agent_profiles where user_id = ?").bind(await userId(email)).first<Row>())!;

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
    const res = await bob.post("/agent/profile", form({ greeting: "", photo: "url", photoUrl: "javascript:alert(1)", privateRoomId: await roomId("demo", "GENERAL") }), { from: "/agent/profile" });
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

describe("Service charges in the private profile", () => {
  const PAID = "PREAUTHORISED_CARD_AUTO_CHARGE_END";
  const ownPricing = { ownPricingEnabled: "on", pricingCurrency: "USD", pricingFreeMinutes: "1", pricingBlockPrice: "7.5", pricingBlockMinutes: "4", pricingSplitThreshold: "20" };

  it("shows the manual payment request state, and own pricing with where it applies", async () => {
    const bob = await signedIn("bob@demo.test", "parley-demo");
    const html = await (await bob.get("/agent/profile")).text();
    expect(html).toContain("Manual payment request: <strong>not enabled</strong> by your administrator.");
    expect(html).toContain("Only your administrator can switch");
    expect(html).toMatch(/name="ownPricingEnabled" type="checkbox" role="switch" class="switch"(?! checked)/);
    expect(html).toContain("Applies in your private room only (<code>/c/demo/~bob-chen</code>)");
    expect(html).toMatch(/<option value="EUR" selected="">EUR<\/option>/);
    expect(html).toMatch(/name="pricingBlockPrice" type="text"[^>]*value="10.00"/);
    // Bob's private room uses GENERAL, which takes no automatic charges: he is told so.
    expect(html).toContain("Your private room uses the settings of GENERAL, which takes no automatic charges");
  });

  it("saves the agent's own pricing, read in the chosen currency, and the private room's customers are quoted by it", async () => {
    const alice = await signedIn("alice@demo.test", "parley-demo");
    const paid = await roomId("demo", PAID);
    const res = await alice.post("/agent/profile", form({ privateRoomId: paid, ...ownPricing }), { from: "/agent/profile" });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(await profileRow("alice@demo.test")).toMatchObject({
      own_pricing_enabled: 1,
      pricing_currency: "USD",
      pricing_free_minutes: 1,
      pricing_block_price_minor: 750,
      pricing_block_minutes: 4,
      pricing_split_threshold_minor: 2000,
      private_room_id: paid,
    });
    const audit = await env.DB.prepare("select detail from audit_events where action = 'profile.updated' and subject = ? order by created_at desc, rowid desc limit 1")
      .bind(await userId("alice@demo.test"))
      .first<{ detail: string }>();
    expect(JSON.parse(audit!.detail).ownPricing).toMatchObject({ ownPricingEnabled: true, pricingBlockPriceMinor: 750 });

    const page = await (await alice.get("/agent/profile?saved=1")).text();
    expect(page).toMatch(/name="ownPricingEnabled" type="checkbox" role="switch" class="switch" checked=""/);
    expect(page).toMatch(/name="pricingBlockPrice" type="text"[^>]*value="7.50"/);
    expect(page).toContain("Then USD 7.50 for the next 4 minutes, even if shorter (the minimum charge).");
    expect(page).not.toContain("Your private room uses the settings of");

    // A customer of Alice's private room agrees to her price, and her threshold is the hold.
    await connectStripe("demo"); // a company's paid rooms take chats once its Stripe account is ready
    const customer = new Customer();
    const chat = await customer.startChat("/c/demo/~alice-martin");
    const customerPage = await (await customer.browser.get(`/chats/${chat.id}`)).text();
    expect(customerPage).toContain("Then USD 7.50 for the next 4 minutes, even if shorter (the minimum charge).");
    expect(customerPage).toContain("USD 20.00");

    // Switching it off keeps the scheme for later and gives the room's price back.
    expect((await alice.post("/agent/profile", form({ privateRoomId: paid, ...ownPricing, ownPricingEnabled: undefined }), { from: "/agent/profile" })).status).toBe(303);
    expect(await profileRow("alice@demo.test")).toMatchObject({ own_pricing_enabled: 0, pricing_block_price_minor: 750 });
  });

  it("refuses own pricing without a split threshold, and bad amounts, with 422 and saves nothing", async () => {
    const bob = await signedIn("bob@demo.test", "parley-demo");
    const general = await roomId("demo", "GENERAL");
    const before = await profileRow("bob@demo.test");
    const noThreshold = await bob.post("/agent/profile", form({ privateRoomId: general, ...ownPricing, pricingSplitThreshold: "" }), { from: "/agent/profile" });
    expect(noThreshold.status).toBe(422);
    expect(errorNextTo(await noThreshold.text(), "pricingSplitThreshold")).toBe(
      "Your own pricing needs a split threshold: customers&#39; cards are held for this amount before each chat in your private room.",
    );

    const bad = await bob.post("/agent/profile", form({ privateRoomId: general, ...ownPricing, pricingBlockPrice: "7.505", pricingFreeMinutes: "-1", greeting: "" }), { from: "/agent/profile" });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(errorNextTo(html, "pricingBlockPrice")).toBe("Amounts in USD have at most 2 decimals, for example 10.50.");
    expect(errorNextTo(html, "pricingFreeMinutes")).toBe("Enter a whole number of free minutes from 0 to 600.");
    expect(html).toContain("Write a greeting");
    expect(html).toMatch(/name="pricingBlockPrice" type="text"[^>]*value="7.505"/);
    expect(html).toMatch(/name="ownPricingEnabled" type="checkbox" role="switch" class="switch" checked=""/);
    expect(await profileRow("bob@demo.test")).toEqual(before);
  });

  it("offers no own pricing when no room allows it, and ignores pricing fields sent anyway", async () => {
    await env.DB.prepare("update rooms set allow_agent_pricing = 0 where company_id = (select id from companies where slug = 'demo')").run();
    try {
      const bob = await signedIn("bob@demo.test", "parley-demo");
      const html = await (await bob.get("/agent/profile")).text();
      expect(html).toContain("None of your company&#39;s rooms allows agents&#39; own pricing.");
      expect(html).not.toContain('name="pricingBlockPrice"');
      const before = await profileRow("bob@demo.test");
      const res = await bob.post("/agent/profile", form({ privateRoomId: await roomId("demo", "GENERAL"), ...ownPricing, pricingBlockPrice: "not money" }), { from: "/agent/profile" });
      expect(res.status).toBe(303);
      expect(await profileRow("bob@demo.test")).toMatchObject({
        own_pricing_enabled: before.own_pricing_enabled,
        pricing_currency: before.pricing_currency,
        pricing_block_price_minor: before.pricing_block_price_minor,
      });
    } finally {
      await env.DB.prepare("update rooms set allow_agent_pricing = 1 where company_id = (select id from companies where slug = 'demo') and name = ?").bind(PAID).run();
    }
  });

  it("ignores a manual payment request field: only the administrator grants it", async () => {
    const bob = await signedIn("bob@demo.test", "parley-demo");
    const res = await bob.post("/agent/profile", form({ privateRoomId: await roomId("demo", "GENERAL"), manualPaymentAllowed: "on" }), { from: "/agent/profile" });
    expect(res.status).toBe(303);
    expect((await profileRow("bob@demo.test")).manual_payment_allowed).toBe(0);
    expect(await (await bob.get("/agent/profile")).text()).toContain("Manual payment request: <strong>not enabled</strong>");
  });

  it("previews the price in words while the agent types, without saving", async () => {
    const alice = await signedIn("alice@demo.test", "parley-demo");
    const before = await profileRow("alice@demo.test");
    const res = await alice.get(`/agent/profile/pricing-preview?${new URLSearchParams({ ...ownPricing, pricingCurrency: "JPY", pricingBlockPrice: "3000", pricingSplitThreshold: "6000" })}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<div id="pricing-preview"/);
    expect(html).toContain("Then JPY 3,000 for the next 4 minutes, even if shorter (the minimum charge).");
    expect(html).toContain("Card hold before the chat: <strong>JPY 6,000</strong>");
    expect(await profileRow("alice@demo.test")).toEqual(before);
  });
});
