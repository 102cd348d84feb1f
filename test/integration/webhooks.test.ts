import { createExecutionContext, env } from "cloudflare:test";
import { createHmac, timingSafeEqual } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { enqueueWebhooks, type WebhookMessage } from "../../worker/adapters/webhook-queue";
import { markAutomaticChargePending, recordAutomaticChargeFailed } from "../../worker/stores/automatic-charges";
import { saveCustomerMessage } from "../../worker/stores/customer-requests";
import worker from "../../worker/index";
import { sweepWebhooks } from "../../worker/jobs/webhook-delivery";
import { seedDemo } from "../../worker/demo/seed";
import { openDb } from "../../worker/stores/db";
import { insertEndpoint, webhookInsert } from "../../worker/stores/webhooks";
import { RETRY_FOR_MS } from "../../worker/webhooks/delivery";
import { webhookEvent, type WebhookEventType } from "../../worker/webhooks/events";
import { sealSecret } from "../../worker/webhooks/secret";
import type { Received } from "../fakes/webhook-receiver";
import { idOf } from "./fixtures";
import { connectedChat, later, team } from "./live";
import { paidChat, paidRoom, runAlarm } from "./paid-chats";
import { closeAllSockets } from "./sockets";
import { received, untilReceived } from "./webhook-receiver";

// Webhooks as an integrator receives them: signed deliveries from the webhook queue's consumer to
// a receiver at http://localhost (test/fakes/webhook-receiver.ts), retried with backoff, given up
// after 24 hours with the endpoint failing and its admin told; and the events real chats write.

afterEach(() => {
  closeAllSockets();
  vi.useRealTimers();
});

let demoId: string;
let n = 0;

beforeAll(async () => {
  await seedDemo(openDb(env.DB));
  demoId = await idOf("select id from companies where slug = 'demo'");
});

/** An endpoint of the company at http://localhost/{behaviour}/{unique}, with its secret. */
async function endpoint(companyId: string, behaviour: "ok" | "fail" | "slow", events: WebhookEventType[] = ["chat.started", "chat.ended", "message.left"]) {
  const id = crypto.randomUUID();
  const secret = `whsec_test_${id}`;
  const path = `/${behaviour}/${++n}`;
  await insertEndpoint(openDb(env.DB), { id, companyId, url: `http://localhost${path}`, events, secretSealed: await sealSecret(env.WEBHOOK_SECRET_KEY!, id, secret), origin: "https://parley.test" });
  return { id, secret, path };
}

/** Writes one event as a store would, in a batch; returns its deliveries' ids (to `only`, when given). */
async function emit(companyId: string, type: WebhookEventType, data: Record<string, unknown> = { hello: "world" }, only?: { id: string }) {
  const db = openDb(env.DB);
  const event = webhookEvent(type, data, Date.now());
  await db.batch([webhookInsert(db, companyId, event)]);
  const rows = await env.DB.prepare("select id from webhook_deliveries where event_id = ? and endpoint_id like ?").bind(event.id, only?.id ?? "%").all<{ id: string }>();
  return { event, ids: rows.results.map((r) => r.id) };
}

type Outcome = { acked: string[]; retried: { id: string; delaySeconds: number | undefined }[] };

/** Runs the Worker's queue() handler on one batch of the webhook queue naming these deliveries. */
async function deliver(ids: string[]): Promise<Outcome> {
  const outcome: Outcome = { acked: [], retried: [] };
  const messages = ids.map((id) => ({
    id: `msg-${id}`,
    timestamp: new Date(),
    attempts: 1,
    body: { id },
    ack: () => void outcome.acked.push(id),
    retry: (options?: QueueRetryOptions) => void outcome.retried.push({ id, delaySeconds: options?.delaySeconds }),
  }));
  const batch = { queue: "parley-webhooks", messages, ackAll: () => {}, retryAll: () => {} } as unknown as MessageBatch<WebhookMessage>;
  await worker.queue(batch, env, createExecutionContext());
  return outcome;
}

const delivery = (id: string) =>
  env.DB.prepare("select status, attempts, response_code, response_body, note, next_attempt_at, delivered_at from webhook_deliveries where id = ?")
    .bind(id)
    .first<{ status: string; attempts: number; response_code: number | null; response_body: string | null; note: string | null; next_attempt_at: number | null; delivered_at: number | null }>();

/** The README's verification, as an integrator's Node server does it. */
function verify(secret: string, header: string, body: string): boolean {
  const { t, v1 } = Object.fromEntries(header.split(",").map((kv) => kv.split("=")));
  if (!t || !v1 || Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
}

describe("the webhook queue's consumer", () => {
  it("posts the event as JSON with a Parley-Signature the receiver verifies with its secret, and marks it delivered with the answer", async () => {
    const hook = await endpoint(demoId, "ok");
    const { event, ids } = await emit(demoId, "message.left", { body: "Hello <b>there</b> & ünïcode" }, hook);
    expect(ids).toHaveLength(1);

    expect(await deliver(ids)).toEqual({ acked: ids, retried: [] });

    const [got, ...more] = await untilReceived(hook.path);
    expect(more).toEqual([]);
    expect(got!.headers["content-type"]).toBe("application/json");
    expect(verify(hook.secret, got!.headers["parley-signature"]!, got!.body)).toBe(true);
    expect(verify("whsec_someone_else", got!.headers["parley-signature"]!, got!.body)).toBe(false);
    expect(verify(hook.secret, got!.headers["parley-signature"]!, got!.body.replace("there", "then"))).toBe(false);
    expect(JSON.parse(got!.body)).toEqual({ id: event.id, type: "message.left", created: event.created, data: { body: "Hello <b>there</b> & ünïcode" } });
    expect(event.id).toMatch(/^evt_[0-9a-f]{32}$/);
    const row = await delivery(ids[0]!);
    expect(row).toMatchObject({ status: "delivered", attempts: 1, response_code: 200 });
    expect(row!.response_body).toHaveLength(1024);
  });

  it("sends an event only to the company's endpoints that chose its type", async () => {
    const { company } = await team("hooks-choice", ["Ann Hook"] as const);
    const wants = await endpoint(company.id, "ok", ["chat.ended"]);
    await endpoint(company.id, "ok", ["message.left"]);
    await endpoint(demoId, "ok", ["chat.ended"]);
    const { ids } = await emit(company.id, "chat.ended");
    expect(ids).toEqual([expect.stringContaining(wants.id)]);
  });

  it("retries a 500 with backoff, keeping the receiver's status and answer, and delivers once the receiver is back", async () => {
    const hook = await endpoint(demoId, "fail");
    const { ids } = await emit(demoId, "chat.started", undefined, hook);
    const id = ids[0]!;

    expect(await deliver(ids)).toEqual({ acked: [], retried: [{ id, delaySeconds: 30 }] });
    expect(await delivery(id)).toMatchObject({ status: "queued", attempts: 1, response_code: 500, response_body: "Down for maintenance", note: "The endpoint answered 500 (attempt 1; trying again)" });

    expect((await deliver(ids)).retried).toEqual([{ id, delaySeconds: 120 }]);
    expect((await deliver(ids)).retried).toEqual([{ id, delaySeconds: 480 }]);
    expect(await untilReceived(hook.path, 3)).toHaveLength(3);

    // The receiver is fixed: the same delivery, same event, now succeeds.
    await env.DB.prepare("update webhook_endpoints set url = replace(url, '/fail/', '/ok/') where id = ?").bind(hook.id).run();
    expect(await deliver(ids)).toEqual({ acked: [id], retried: [] });
    expect(await delivery(id)).toMatchObject({ status: "delivered", attempts: 4, response_code: 200, note: null });
  });

  it("gives an endpoint 5 seconds to answer, then counts the attempt failed and tries again later", { timeout: 20_000 }, async () => {
    const hook = await endpoint(demoId, "slow");
    const { ids } = await emit(demoId, "chat.ended", undefined, hook);
    const started = Date.now();
    expect(await deliver(ids)).toEqual({ acked: [], retried: [{ id: ids[0], delaySeconds: 30 }] });
    expect(Date.now() - started).toBeLessThan(5_900);
    const row = await delivery(ids[0]!);
    expect(row).toMatchObject({ status: "queued", attempts: 1, response_code: null });
    expect(row!.note).toContain("No answer within 5 s");
  });

  it("after 24 hours of failures gives the delivery up, marks the endpoint failing and mails the admin once", async () => {
    const hook = await endpoint(demoId, "fail");
    const first = await emit(demoId, "chat.started", undefined, hook);
    const second = await emit(demoId, "chat.ended", undefined, hook);
    // Both events were written a day ago, and every attempt since failed.
    const dayAgo = Date.now() - RETRY_FOR_MS - 1000;
    await env.DB.prepare("update webhook_deliveries set created_at = ?, attempts = 9 where endpoint_id = ?").bind(dayAgo, hook.id).run();

    expect(await deliver([...first.ids, ...second.ids])).toEqual({ acked: [...first.ids, ...second.ids], retried: [] });

    expect(await delivery(first.ids[0]!)).toMatchObject({ status: "failed", attempts: 10, response_code: 500, next_attempt_at: null });
    expect((await delivery(first.ids[0]!))!.note).toBe("The endpoint answered 500 (given up after 10 attempts over 24 hours)");
    expect(await env.DB.prepare("select status from webhook_endpoints where id = ?").bind(hook.id).first("status")).toBe("failing");
    const mails = await env.DB.prepare("select to_address, subject, kind, body_text from email_outbox where id like ?").bind(`%:failing:%`).all<Record<string, string>>();
    const mine = mails.results.filter((m) => m.body_text!.includes(`http://localhost${hook.path}`));
    expect(mine.map((m) => [m.to_address, m.subject, m.kind])).toEqual([["admin@demo.test", "A webhook endpoint is failing", "notice"]]);
    // The link leads to the Parley the endpoint was added on.
    expect(mine[0]!.body_text).toContain("https://parley.test/admin/webhooks");
  });

  it("gives up before 24 hours only by the clock: a retry never lands past the day's end", async () => {
    const hook = await endpoint(demoId, "fail");
    const { ids } = await emit(demoId, "chat.started", undefined, hook);
    await env.DB.prepare("update webhook_deliveries set created_at = ?, attempts = 7 where id = ?").bind(Date.now() - RETRY_FOR_MS + 60_000, ids[0]).run();
    const { retried } = await deliver(ids);
    expect(retried[0]!.delaySeconds).toBeLessThanOrEqual(60);
    expect(retried[0]!.delaySeconds).toBeGreaterThan(50);
  });

  it("sends a delivery once when its message comes twice, and the sweep re-enqueues only what the queue missed", async () => {
    const hook = await endpoint(demoId, "ok");
    const { ids } = await emit(demoId, "message.left", undefined, hook);
    await deliver([...ids, ...ids]);
    // The second message found the delivery settled: one post.
    expect(await received(hook.path)).toHaveLength(1);

    const missed = await emit(demoId, "message.left", undefined, hook);
    await env.DB.prepare("update webhook_deliveries set created_at = ? where id = ?").bind(Date.now() - 120_000, missed.ids[0]).run();
    expect(await sweepWebhooks(env, Date.now())).toBeGreaterThanOrEqual(1);
    expect((await untilReceived(hook.path, 2)).map((r) => JSON.parse(r.body).id)).toEqual([ids[0]!.split(":")[0], missed.event.id]);
  });
});

describe("events of real chats and messages", () => {
  it("a chat asked for, answered, ended and rated posts chat.queued, chat.started, chat.ended and rating.created, once each", async () => {
    const { company, agents } = await team("hooks-chat", ["Ann Hook"] as const);
    const [ann] = agents;
    const hook = await endpoint(company.id, "ok", ["chat.queued", "chat.started", "chat.ended", "rating.created"]);
    const console = await ann.online();
    const { chat, customer, agentSocket, customerSocket } = await connectedChat(ann, console, undefined, undefined, { name: "Carla", email: "carla@hooks.test" });

    // Deliveries are not ordered (a retry may come after a later event): each is found by its type.
    const of = (got: Received[], type: string) => got.find((r) => JSON.parse(r.body).type === type);
    const first = await untilReceived(hook.path, 2);
    const [queued, started] = [of(first, "chat.queued"), of(first, "chat.started")];
    const customerFields = { name: "Carla", email: "carla@hooks.test", phone: null, message: "Hello there" };
    expect(JSON.parse(queued!.body)).toMatchObject({
      id: `evt_chat_queued_${chat.id.replace(/-/g, "")}`,
      type: "chat.queued",
      data: { chat: chat.id, room: "GENERAL", privateRoom: false, mode: "chat", agent: null, customer: customerFields },
    });
    expect(verify(hook.secret, started!.headers["parley-signature"]!, started!.body)).toBe(true);
    expect(JSON.parse(started!.body)).toMatchObject({
      id: `evt_chat_started_${chat.id.replace(/-/g, "")}`,
      type: "chat.started",
      data: { chat: chat.id, room: "GENERAL", privateRoom: false, agent: { id: ann.id, name: "Ann Hook", email: "ann@hooks-chat.test" }, customer: customerFields },
    });

    agentSocket.send({ type: "hangup" });
    await customerSocket.next((f) => f.includes("ended"), "the ended chat");
    const ended = of(await untilReceived(hook.path, 3), "chat.ended");
    const e = JSON.parse(ended!.body);
    expect(e).toMatchObject({ type: "chat.ended", data: { chat: chat.id, status: "ended", endedBy: "agent", chargeableSeconds: 0, amount: null } });
    expect(e.data.durationSeconds).toBeGreaterThanOrEqual(0);

    for (let i = 0; i < 60 && (await env.DB.prepare("select status from chats where id = ?").bind(chat.id).first("status")) !== "ended"; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await customer.browser.post(`/chats/${chat.id}/rating`, { rating: "4", comment: "Quick & kind" })).status).toBe(303);
    // A second post changes nothing and writes no second event.
    await customer.browser.post(`/chats/${chat.id}/rating`, { rating: "1", comment: "" });
    const rated = of(await untilReceived(hook.path, 4), "rating.created");
    expect(JSON.parse(rated!.body)).toMatchObject({ type: "rating.created", data: { chat: chat.id, rating: 4, comment: "Quick & kind", agent: { id: ann.id } } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await received(hook.path)).map((r) => JSON.parse(r.body).type).sort()).toEqual(["chat.ended", "chat.queued", "chat.started", "rating.created"]);
  });

  it("a paid chat posts payment.succeeded with the amount charged, and chat.ended with the meter's time and amount", async () => {
    const { company, alice } = await paidRoom("hooks-paid");
    const hook = await endpoint(company.id, "ok", ["chat.ended", "payment.succeeded"]);
    const { chat, customerSocket } = await paidChat(alice);
    later(330); // 5:30 → EUR 11.00
    customerSocket.send({ type: "hangup" });
    await customerSocket.next((f) => f.includes(`id="meter-${chat.id}"`) && f.includes("charged to the card"), "the final amount");

    const got = await untilReceived(hook.path, 2);
    const of = (type: string) => JSON.parse(got.find((r) => JSON.parse(r.body).type === type)!.body);
    expect(of("payment.succeeded")).toMatchObject({
      id: `evt_payment_succeeded_${chat.id.replace(/-/g, "")}_0`,
      data: { charge: `${chat.id}:0`, chat: chat.id, kind: "service", amount: { minor: 1100, currency: "EUR" }, invoice: null },
    });
    expect(of("chat.ended")).toMatchObject({ data: { chat: chat.id, endedBy: "customer", chargeableSeconds: 330, amount: { minor: 1100, currency: "EUR" } } });
    expect(got.every((r) => verify(hook.secret, r.headers["parley-signature"]!, r.body))).toBe(true);
  });

  it("a paid chat whose next hold is declined posts payment.succeeded for the charge taken and payment.failed for the one refused", async () => {
    const { company, alice } = await paidRoom("hooks-declined", "phone_timer_start = 0, pricing_split_threshold_minor = 1000");
    const hook = await endpoint(company.id, "ok", ["payment.succeeded", "payment.failed"]);
    const { chat, agentSocket } = await paidChat(alice, "pm_card_fake_insufficientFundsAfterFirstCharge");
    later(30);
    await runAlarm(chat.id); // charge 0 (EUR 10) taken; hold 1 declined off-session
    await agentSocket.next((f) => f.includes("Payment needed"), "the agent told");

    const got = await untilReceived(hook.path, 2);
    const of = (type: string) => JSON.parse(got.find((r) => JSON.parse(r.body).type === type)!.body);
    expect(of("payment.succeeded")).toMatchObject({ data: { chat: chat.id, charge: `${chat.id}:0`, amount: { minor: 1000, currency: "EUR" } } });
    expect(of("payment.failed")).toMatchObject({ type: "payment.failed", data: { chat: chat.id, charge: `${chat.id}:1`, failureCode: "insufficient_funds" } });
    expect(got.every((r) => verify(hook.secret, r.headers["parley-signature"]!, r.body))).toBe(true);
  });

  it("a failure written again after a crash is one payment.failed; the charge failing again on a new card is another", async () => {
    const { company, alice } = await paidRoom("hooks-refail", "phone_timer_start = 0, pricing_split_threshold_minor = 1000");
    await endpoint(company.id, "ok", ["payment.failed"]);
    const { chat } = await paidChat(alice, "pm_card_fake_insufficientFundsAfterFirstCharge");
    later(30);
    await runAlarm(chat.id); // hold 1 declined: its failure is recorded once
    const failures = () => env.DB.prepare("select count(distinct event_id) as n from webhook_deliveries where type = 'payment.failed' and payload like ?").bind(`%${chat.id}:1%`).first<{ n: number }>();
    expect(await failures()).toEqual({ n: 1 });

    const row = (await env.DB.prepare("select amount_minor, currency, payment_intent_id from charges where id = ?").bind(`${chat.id}:1`).first<{ amount_minor: number; currency: string; payment_intent_id: string | null }>())!;
    const failed = { chatId: chat.id, n: 1, amountMinor: row.amount_minor, currency: row.currency, paymentIntentId: row.payment_intent_id, failureCode: "insufficient_funds" };
    const totals = { currency: row.currency, chargeableSeconds: 30, amountMinor: 1000, paidMinor: 1000 };
    await recordAutomaticChargeFailed(env.DB, failed, totals, Date.now() + 5_000); // the replayed step, seconds later
    expect(await failures()).toEqual({ n: 1 });

    await markAutomaticChargePending(env.DB, chat.id, 1); // a new card given
    await recordAutomaticChargeFailed(env.DB, failed, totals, Date.now() + 10_000); // and declined too
    expect(await failures()).toEqual({ n: 2 });
  });

  it("a message left for the company is written with its message.left event, and posted", async () => {
    const { company } = await team("hooks-message", ["Ann Hook"] as const);
    const hook = await endpoint(company.id, "ok");
    const saved = await saveCustomerMessage(
      openDb(env.DB),
      { companyId: company.id, roomId: company.rooms.GENERAL!, privateAgentId: null, name: "Carla", email: "carla@hooks.test", body: "Call me back" },
      "http://parley.test",
    );
    const requestId = await idOf("select id from customer_requests where company_id = ?", company.id);
    expect(saved.events).toEqual([`evt_message_left_${requestId.replace(/-/g, "")}`]);
    await enqueueWebhooks(env, saved.events);
    const [got] = await untilReceived(hook.path);
    expect(JSON.parse(got!.body)).toMatchObject({
      id: saved.events[0],
      type: "message.left",
      data: { message: requestId, room: "GENERAL", privateRoom: false, customer: { name: "Carla", email: "carla@hooks.test" }, body: "Call me back" },
    });
  });
});
