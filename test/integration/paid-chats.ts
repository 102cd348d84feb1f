import { env, runDurableObjectAlarm } from "cloudflare:test";
import { expect } from "vitest";
import { Customer, answer, setRoom, team, type Agent } from "./live";
import type { LiveSocket } from "./sockets";
import { connectStripe, stripeApi, stripeJson } from "./stripe";
import { chatObject } from "../../worker/live/stubs";

// Chats in a room with automatic charges, against the fake Stripe (the Worker's outbound requests
// all go to it; tests read and steer it over the same route, http://stripe.fake/_fake/…).

export const ROOM = "PAID";
export const paidPath = (slug: string) => `/c/${slug}/${ROOM}`;

/**
 * A company with its Stripe account connected (charges are direct charges on it), whose agent
 * Alice serves the room PAID, priced at EUR 10 per 5 minutes unless `settings` say otherwise.
 */
export async function paidRoom(slug: string, settings = "phone_timer_start = 0") {
  const { company, agents } = await team(slug, ["Alice Martin"], { rooms: [ROOM] });
  await connectStripe(slug);
  await setRoom(slug, ROOM, `charging_mode = 'automatic', pricing_currency = 'EUR', pricing_block_price_minor = 1000, pricing_block_minutes = 5, authorisation_amount_minor = 5000, ${settings}`);
  return { company, alice: agents[0] as Agent };
}

/** The customer's card form: `agree` ticks the price agreement (asked only before the chat). */
export async function authorise(customer: Customer, chatId: string, paymentMethod: string, agree = true): Promise<Response> {
  return customer.browser.post(`/chats/${chatId}/authorise`, { paymentMethod, ...(agree ? { agree: "on" } : {}) }, { from: `/chats/${chatId}` });
}

/** A connected paid chat: the customer authorised `card`, Alice answered, both sockets open. */
export async function paidChat(alice: Agent, card = "pm_card_visa") {
  const console = await alice.online("browser", ["GENERAL", ROOM]);
  const customer = new Customer();
  const chat = await customer.startChat(paidPath(alice.company.slug));
  expect((await customer.browser.get(`/chats/${chat.id}`)).status).toBe(200);
  expect((await authorise(customer, chat.id, card)).status).toBe(303);
  const customerSocket = await chat.socket();
  await answer(console, chat.id);
  await customerSocket.next((f) => f.includes(`id="meter-${chat.id}"`), "the meter on the customer's screen");
  const agentSocket = await alice.chat(chat.id);
  return { chat, customer, customerSocket, agentSocket, console };
}

export const chatStub = (chatId: string) => chatObject(env, chatId);

/** Runs the chat's alarm now (after `later(…)` moved the clock past its deadline). */
export async function runAlarm(chatId: string): Promise<void> {
  expect(await runDurableObjectAlarm(chatStub(chatId)), "an alarm was scheduled").toBe(true);
}

export type FakePI = {
  id: string;
  status: string;
  amount: number;
  amount_capturable: number;
  amount_received: number;
  payment_method: string | null;
  metadata: Record<string, string>;
  cancellation_reason: string | null;
};

/** The chat's holds at Stripe (on the company's account), by their number. */
export async function holdsOf(chatId: string): Promise<FakePI[]> {
  const company = await env.DB.prepare("select stripe_account_id as account from companies where id = (select company_id from chats where id = ?)").bind(chatId).first<{ account: string }>();
  const list = await stripeJson<{ data: FakePI[] }>("/v1/payment_intents?limit=100", { account: company!.account });
  return list.data.filter((p) => p.metadata.chat_id === chatId).sort((a, b) => Number(a.metadata.hold) - Number(b.metadata.hold));
}

type RequestRecord = { method: string; path: string; idempotencyKey: string | null; status: number; replayed: boolean };

/** Requests that reached Stripe and did their work (not an idempotent replay), whose key starts so. */
export async function stripeCalls(keyPrefix: string): Promise<RequestRecord[]> {
  const state = (await (await stripeApi("/_fake/state")).json()) as { requests: RequestRecord[] };
  return state.requests.filter((r) => r.idempotencyKey?.startsWith(keyPrefix) && !r.replayed && r.status === 200);
}

/** Drops the connection to Stripe for matching requests until `restoreStripe()` (see the fake's README). */
export async function interruptStripe(path: string, when: "before" | "after"): Promise<void> {
  expect((await stripeApi("/_fake/interrupt", { method: "POST", body: new URLSearchParams({ path, when }) })).status).toBe(200);
}

export async function restoreStripe(): Promise<void> {
  await stripeApi("/_fake/interrupt/clear", { method: "POST" });
}

/** Makes a saved card behave otherwise from now on (decline code, "authentication_required", "succeeds"). */
export async function setCardOutcome(paymentMethodId: string, outcome: string): Promise<void> {
  expect((await stripeApi(`/_fake/payment_methods/${paymentMethodId}/outcome`, { method: "POST", body: new URLSearchParams({ outcome }) })).status).toBe(200);
}

/** The customer passes 3-D Secure on the fake's challenge page. */
export async function passAuthentication(paymentIntentId: string): Promise<void> {
  expect((await stripeApi(`/_fake/payment_intents/${paymentIntentId}/authenticate`, { method: "POST", body: new URLSearchParams({ outcome: "complete" }) })).status).toBe(200);
}

export type ChargeRow = { seq: number; amount_minor: number; status: string; failure_code: string | null; idempotency_key: string };

export async function chargesOf(chatId: string): Promise<ChargeRow[]> {
  const rows = await env.DB.prepare("select seq, amount_minor, status, failure_code, idempotency_key from charges where chat_id = ? order by seq").bind(chatId).all<ChargeRow>();
  return rows.results;
}

export async function totalsOf(chatId: string) {
  return env.DB.prepare("select amount_minor, paid_minor, chargeable_seconds from chats where id = ?").bind(chatId).first<{ amount_minor: number; paid_minor: number; chargeable_seconds: number }>();
}

/** The chat's ledger: every line, and what the customer paid in all. */
export async function ledgerOf(chatId: string) {
  const rows = await env.DB.prepare("select account, kind, amount_minor from ledger_entries where chat_id = ?").bind(chatId).all<{ account: string; kind: string; amount_minor: number }>();
  const sum = (lines: typeof rows.results) => lines.reduce((t, l) => t + l.amount_minor, 0);
  return { balance: sum(rows.results), customerPaid: -sum(rows.results.filter((l) => l.account === "customer" && l.kind === "charge")) };
}

/** A meter panel frame that shows this total paid. */
export const paidShown = (chatId: string, amount: string) => (f: string) => f.includes(`id="meter-${chatId}"`) && f.includes(`<dd class="meter-paid">${amount}</dd>`);

export type { LiveSocket };
