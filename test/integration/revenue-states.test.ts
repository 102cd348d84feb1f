import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Browser } from "./client";
import { signedIn } from "./fixtures";
import { later } from "./live";
import { authorise, chargesOf, holdsOf, paidChat, paidRoom, paidShown, runAlarm, setCardOutcome } from "./paid-chats";
import { closeAllSockets } from "./sockets";
import { stripeApi } from "./stripe";

// Issue 17: the Revenue page and its CSV say where each chat's money stands — paid, part paid,
// payment needed (with what is outstanding), abandoned, refunded — not "Paid" while money is owed.
// Each chat is a real one against the fake Stripe, in a room priced EUR 10 per 5 minutes.

afterEach(async () => {
  await closeAllSockets();
  vi.useRealTimers();
});

const meter = (chatId: string, text: string) => (f: string) => f.includes(`id="meter-${chatId}"`) && f.includes(text);

/** The chat's row on the Revenue page: its state, and the text of its cells. */
async function pageRow(admin: Browser, chatId: string) {
  const html = await (await admin.get("/revenue?period=all")).text();
  const at = html.indexOf(`<tr data-chat="${chatId}"`);
  if (at < 0) return null;
  const row = html.slice(at).split("</tr>")[0]!;
  const cell = (label: string) =>
    row
      .match(new RegExp(`data-label="${label}"[^>]*>(.*?)</td>`))?.[1]
      ?.replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  return { state: row.match(/data-state="([^"]+)"/)?.[1], paid: cell("Paid"), status: cell("Status"), html };
}

/** The chat's rows of the CSV export: state and outstanding come before the last two columns (refunded, disputed). */
async function csvRows(admin: Browser, chatId: string) {
  const csv = await (await admin.get("/revenue.csv?period=all")).text();
  return csv
    .trimEnd()
    .split("\r\n")
    .filter((l) => l.split(",")[1] === chatId)
    .map((l) => {
      const cols = l.split(",");
      return { amount: cols.at(-9), state: cols.at(-4), outstanding: cols.at(-3) };
    });
}

const outstandingStat = (html: string) => html.match(/<p class="revenue-stat-label">Outstanding<\/p><p class="revenue-stat-value">([^<]*)<\/p>/)?.[1];

describe("the Revenue page and CSV of a split bill whose card fails", () => {
  it("say payment needed while the customer is asked for a card, with what is outstanding once the chat ended, and paid once a new card paid it", async () => {
    const { alice } = await paidRoom("states-a", "phone_timer_start = 0, pricing_split_threshold_minor = 1000");
    const admin = await signedIn("boss@states-a.test");
    // Authorises, and declines every later payment for insufficient funds.
    const { chat, customer, customerSocket, agentSocket } = await paidChat(alice, "pm_card_fake_insufficientFundsAfterFirstCharge");
    later(30);
    await runAlarm(chat.id); // split charge 0 (EUR 10.00) taken; the hold for what follows declined
    await agentSocket.next(meter(chat.id, "Payment needed"), "payment needed");

    // During the chat: EUR 10.00 paid of EUR 10.00 so far, but the card for the rest failed.
    expect(await pageRow(admin, chat.id)).toMatchObject({ state: "payment_needed", paid: "EUR 10.00", status: "Payment needed" });

    later(420); // 7:30 → EUR 15.00
    agentSocket.send({ type: "hangup" });
    await agentSocket.next(meter(chat.id, "The bill is charged as soon as a card pays."), "the chat ended, payment needed");

    const ended = (await pageRow(admin, chat.id))!;
    expect(ended).toMatchObject({ state: "payment_needed", paid: "EUR 10.00", status: "Payment needed EUR 5.00 outstanding" });
    expect(outstandingStat(ended.html)).toBe("EUR 5.00");
    expect(await csvRows(admin, chat.id)).toEqual([{ amount: "1000", state: "payment_needed", outstanding: "5.00" }]);

    expect((await authorise(customer, chat.id, "pm_card_visa", false)).status).toBe(303);
    await customerSocket.next(paidShown(chat.id, "EUR 15.00"), "the rest charged to the new card");
    await customerSocket.next(meter(chat.id, "Total paid"), "the receipt");

    const paid = (await pageRow(admin, chat.id))!;
    expect(paid).toMatchObject({ state: "paid", paid: "EUR 15.00", status: "Paid" });
    expect(outstandingStat(paid.html)).toBeUndefined();
    expect(await csvRows(admin, chat.id)).toEqual([
      { amount: "1000", state: "paid", outstanding: "0.00" },
      { amount: "500", state: "paid", outstanding: "0.00" },
    ]);
  });

  it("say abandoned, and what was given up, when the agent hangs up anyway", async () => {
    const { alice } = await paidRoom("states-b", "phone_timer_start = 0, pricing_split_threshold_minor = 1000");
    const admin = await signedIn("boss@states-b.test");
    const { chat, agentSocket } = await paidChat(alice, "pm_card_fake_insufficientFundsAfterFirstCharge");
    later(30);
    await runAlarm(chat.id);
    await agentSocket.next(meter(chat.id, "Hang up anyway"), "payment needed");
    later(420); // 7:30 → EUR 15.00, of which EUR 10.00 paid
    agentSocket.send({ type: "hangUpAnyway" });
    await agentSocket.next(meter(chat.id, "recorded as abandoned"), "the agent's final meter");

    expect(await pageRow(admin, chat.id)).toMatchObject({ state: "abandoned", paid: "EUR 10.00", status: "Abandoned EUR 5.00 given up" });
    expect(await csvRows(admin, chat.id)).toEqual([{ amount: "1000", state: "abandoned", outstanding: "0.00" }]);
  });
});

describe("the Revenue page and CSV of a chat that paid nothing", () => {
  it("list it as payment needed with all of it outstanding, in a CSV row without money", async () => {
    const { alice } = await paidRoom("states-c");
    const admin = await signedIn("boss@states-c.test");
    const { chat, agentSocket } = await paidChat(alice);
    // The hold lapsed during the chat, and the card has no funds left for a new one.
    const [hold] = await holdsOf(chat.id);
    const account = (await env.DB.prepare("select stripe_account_id a from companies where slug = 'states-c'").first<{ a: string }>())!.a;
    expect((await stripeApi(`/_fake/payment_intents/${hold!.id}/expire`, { method: "POST", account })).ok).toBe(true);
    await setCardOutcome(hold!.payment_method!, "insufficient_funds");
    later(100);
    agentSocket.send({ type: "hangup" });
    await agentSocket.next(meter(chat.id, "Payment needed"), "payment needed at the end");

    expect(await pageRow(admin, chat.id)).toMatchObject({ state: "payment_needed", paid: "EUR 0.00", status: "Payment needed EUR 10.00 outstanding" });
    expect(await csvRows(admin, chat.id)).toEqual([{ amount: "0", state: "payment_needed", outstanding: "10.00" }]);
    expect((await chargesOf(chat.id)).map((c) => [c.amount_minor, c.status, c.failure_code])).toEqual([[1000, "failed", "insufficient_funds"]]);
  });
});

describe("the Revenue page and CSV of a refunded chat", () => {
  /** Signs a body the way Stripe does, for the Worker's webhook. */
  async function deliver(body: string): Promise<Response> {
    const t = Math.floor(Date.now() / 1000);
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("whsec_parley_test"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`)));
    const signature = `t=${t},v1=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
    return exports.default.fetch(new Request("https://parley.test/webhooks/stripe", { method: "POST", body, headers: { "stripe-signature": signature, "content-type": "application/json" } }));
  }

  it("say part refunded, then refunded once all of it went back", async () => {
    const { alice } = await paidRoom("states-d");
    const admin = await signedIn("boss@states-d.test");
    const { chat, customerSocket } = await paidChat(alice);
    later(100);
    customerSocket.send({ type: "hangup" });
    await customerSocket.next(paidShown(chat.id, "EUR 10.00"), "paid");
    const account = (await env.DB.prepare("select stripe_account_id a from companies where slug = 'states-d'").first<{ a: string }>())!.a;
    const paymentIntent = (await holdsOf(chat.id))[0]!.id;

    const refund = async (amount: number) => {
      expect((await stripeApi("/v1/refunds", { method: "POST", body: `payment_intent=${paymentIntent}&amount=${amount}`, account })).status).toBe(200);
      const events = (await (await stripeApi("/v1/events?type=charge.refunded&limit=100", { account })).json()) as { data: { data: { object: { payment_intent: string; amount_refunded: number } } }[] };
      const event = events.data.find((e) => e.data.object.payment_intent === paymentIntent && e.data.object.amount_refunded >= amount)!;
      expect((await deliver(JSON.stringify(event))).status).toBe(200);
    };
    await refund(400);
    expect(await pageRow(admin, chat.id)).toMatchObject({ state: "part_refunded", status: "Part refunded EUR 4.00 refunded" });
    await refund(600);
    expect(await pageRow(admin, chat.id)).toMatchObject({ state: "refunded", status: "Refunded EUR 10.00 refunded" });
    expect(await csvRows(admin, chat.id)).toEqual([{ amount: "1000", state: "refunded", outstanding: "0.00" }]);
  });
});
