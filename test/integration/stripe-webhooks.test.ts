import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Customer, answer, later, setRoom, team } from "./live";
import { closeAllSockets } from "./sockets";
import { connectStripe, stripeApi } from "./stripe";

const SECRET = "whsec_parley_test";

/** Signs a body the way Stripe does: t=…,v1=HMAC-SHA256(secret, "t.body") in hex. */
async function sign(body: string, secret = SECRET, t = Math.floor(Date.now() / 1000)): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`)));
  return `t=${t},v1=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

const deliver = async (body: string, signature: string) =>
  exports.default.fetch(new Request("https://parley.test/webhooks/stripe", { method: "POST", body, headers: { "stripe-signature": signature, "content-type": "application/json" } }));

/** A paid chat of EUR 11.00 through the real flow, its PaymentIntent id and the company's connected account. */
async function paidChat(slug: string): Promise<{ chatId: string; paymentIntentId: string; account: string }> {
  const { agents } = await team(slug, ["Alice Martin"], { rooms: ["PAID"] });
  await setRoom(slug, "PAID", "charging_mode = 'automatic', phone_timer_start = 0");
  const account = await connectStripe(slug);
  const console = await agents[0].online("browser", ["GENERAL", "PAID"]);
  const customer = new Customer();
  const chat = await customer.startChat(`/c/${slug}/PAID`);
  await customer.browser.get(`/chats/${chat.id}`);
  await customer.browser.post(`/chats/${chat.id}/authorise`, { paymentMethod: "pm_card_visa", agree: "on" }, { from: `/chats/${chat.id}` });
  const socket = await chat.socket();
  await answer(console, chat.id);
  later(330);
  socket.send({ type: "hangup" });
  await socket.next((f) => f.includes("charged to the card"), "the final amount");
  const row = await env.DB.prepare("select payment_intent_id from charges where chat_id = ?").bind(chat.id).first<{ payment_intent_id: string }>();
  return { chatId: chat.id, paymentIntentId: row!.payment_intent_id, account };
}

afterEach(async () => {
  await closeAllSockets();
  vi.useRealTimers();
});

describe("POST /webhooks/stripe", () => {
  it("books a refund in the ledger once, however often Stripe delivers it", async () => {
    const { chatId, paymentIntentId, account } = await paidChat("hook-a");
    expect((await stripeApi("/v1/refunds", { method: "POST", body: `payment_intent=${paymentIntentId}&amount=400`, account })).status).toBe(200);
    const events = (await (await stripeApi("/v1/events?type=charge.refunded&limit=100", { account })).json()) as { data: { id: string; data: { object: { payment_intent: string } } }[] };
    const event = events.data.find((e) => e.data.object.payment_intent === paymentIntentId)!;
    const body = JSON.stringify(event);

    const first = await deliver(body, await sign(body));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    const again = await deliver(body, await sign(body));
    expect(await again.json()).toEqual({ received: true, duplicate: true });

    const lines = await env.DB.prepare("select account, amount_minor from ledger_entries where chat_id = ? and kind = 'refund' order by account").bind(chatId).all();
    expect(lines.results).toEqual([
      { account: "customer", amount_minor: 400 },
      { account: "merchant", amount_minor: -400 },
    ]);
    const all = await env.DB.prepare("select sum(amount_minor) s from ledger_entries where chat_id = ?").bind(chatId).first<{ s: number }>();
    expect(all!.s).toBe(0);
  });

  it("refuses a bad or missing signature with 400 and records nothing", async () => {
    const body = JSON.stringify({ id: "evt_forged", object: "event", type: "account.updated", data: { object: { id: "acct_x", object: "account", charges_enabled: true } } });
    const forged = await deliver(body, await sign(body, "whsec_wrong"));
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ result: "ERROR", error: "The webhook signature does not match." });
    const unsigned = await exports.default.fetch(new Request("https://parley.test/webhooks/stripe", { method: "POST", body }));
    expect(unsigned.status).toBe(400);
    expect(await env.DB.prepare("select count(*) n from stripe_events where id = 'evt_forged'").first()).toEqual({ n: 0 });
  });

  it("marks a company's connected account ready when Stripe says it can take charges", async () => {
    await team("hook-b", ["Bob Chen"]);
    await env.DB.prepare("update companies set stripe_account_id = 'acct_hookb' where slug = 'hook-b'").run();
    const body = JSON.stringify({ id: "evt_acct_1", object: "event", type: "account.updated", data: { object: { id: "acct_hookb", object: "account", charges_enabled: true } } });
    expect((await deliver(body, await sign(body))).status).toBe(200);
    expect(await env.DB.prepare("select stripe_account_ready r from companies where slug = 'hook-b'").first()).toEqual({ r: 1 });
  });
});
