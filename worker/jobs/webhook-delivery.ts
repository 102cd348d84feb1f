import { and, eq } from "drizzle-orm";
import { newId } from "../accounts/tokens";
import { enqueueMail } from "../adapters/mail-queue";
import { enqueueWebhookDeliveries, type WebhookMessage } from "../adapters/webhook-queue";
import type { Bindings } from "../app-env";
import { users } from "../db/schema";
import { openDb, type Db } from "../stores/db";
import { mailInsert, senderOf } from "../stores/outbox";
import { claimDelivery, markDelivered, markDeliveryFailed, webhooksToSweep, type Answer, type ClaimedDelivery } from "../stores/webhooks";
import { afterFailure, ATTEMPT_TIMEOUT_MS, delivered, RESPONSE_KEPT } from "../webhooks/delivery";
import { checkEndpointUrl } from "../webhooks/endpoint-url";
import { openSecret } from "../webhooks/secret";
import { SIGNATURE_HEADER, signatureHeader } from "../webhooks/signature";

// The webhook queue's consumer and the sweep behind it. A message names a delivery; only the
// attempt that claims the row sends it, so a message delivered twice posts once (receivers still
// drop duplicates by event id: a lost answer is retried). At least once, never exactly once.

/** When the next attempt is due, for a delivery that failed and will be tried again. */
export type Retry = { retryInSeconds: number };

/** Local servers (npm start, tests) may post to http://localhost; production only to public https hosts. */
const isLocal = (env: Bindings) => env.ENVIRONMENT === "local" || env.ENVIRONMENT === "test";

/** One attempt: the receiver's status and answer (truncated), or why there was none. */
async function post(env: Bindings, row: ClaimedDelivery, now: number): Promise<Answer & { reason: string | null }> {
  const url = checkEndpointUrl(row.url, isLocal(env));
  if (!url.ok) return { code: null, body: null, reason: `Not sent: ${url.error}` };
  if (!env.WEBHOOK_SECRET_KEY) return { code: null, body: null, reason: "Not sent: webhooks are not configured on this server (WEBHOOK_SECRET_KEY)" };
  const secret = await openSecret(env.WEBHOOK_SECRET_KEY, row.endpointId, row.secretSealed);
  try {
    const res = await fetch(url.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Parley-Webhooks/1",
        [SIGNATURE_HEADER]: await signatureHeader(secret, row.payload, Math.floor(now / 1000)),
      },
      body: row.payload,
      redirect: "manual",
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    const body = (await res.text().catch(() => "")).slice(0, RESPONSE_KEPT);
    return { code: res.status, body, reason: delivered(res.status) ? null : `The endpoint answered ${res.status}` };
  } catch (err) {
    const timedOut = (err as Error).name === "TimeoutError";
    return { code: null, body: null, reason: timedOut ? `No answer within ${ATTEMPT_TIMEOUT_MS / 1000} s` : `Could not connect: ${(err as Error).message}` };
  }
}

/** Tells the company's administrators that an endpoint stopped taking its events. */
async function tellAdmins(env: Bindings, db: Db, row: ClaimedDelivery): Promise<void> {
  const [sender, admins] = await Promise.all([
    senderOf(db, row.companyId),
    db
      .select({ email: users.email, name: users.name })
      .from(users)
      .where(and(eq(users.companyId, row.companyId), eq(users.isAdmin, true), eq(users.disabled, false))),
  ]);
  const mails = admins.map((admin) => ({
    id: `${row.id}:failing:${admin.email}`,
    companyId: row.companyId,
    kind: "notice" as const,
    to: admin.email,
    sender,
    content: {
      subject: "A webhook endpoint is failing",
      greeting: `Hello ${admin.name},`,
      paragraphs: [
        `Parley tried for 24 hours to deliver an event to ${row.url} and gave up. The endpoint is marked failing; Parley keeps sending it new events, and it becomes active again with the first one it accepts.`,
        `Check that the endpoint answers with a 2xx status within 5 seconds, then resend the missed events from the Webhooks page: ${row.origin ?? ""}/admin/webhooks`,
      ],
      facts: [
        ["Endpoint", row.url],
        ["Event", `${row.type} (${row.eventId})`],
      ] as [string, string][],
    },
  }));
  if (!mails.length) return;
  await db.batch(mails.map((m) => mailInsert(db, m)) as [ReturnType<typeof mailInsert>, ...ReturnType<typeof mailInsert>[]]);
  await enqueueMail(env, mails.map((m) => m.id));
}

/** Attempts one delivery, if it is this attempt's to send; a Retry when it failed and will be tried again. */
export async function deliverWebhook(env: Bindings, id: string, now = Date.now()): Promise<Retry | null> {
  const db = openDb(env.DB);
  const claim = newId();
  const row = await claimDelivery(db, id, claim, now);
  if (!row) return null;
  const answer = await post(env, row, now);
  if (!answer.reason) {
    await markDelivered(db, row, claim, answer, Date.now());
    return null;
  }
  const after = afterFailure(row.createdAt, row.attempts, answer.reason, now);
  const turnedFailing = await markDeliveryFailed(db, row, claim, answer, after);
  console.warn("webhook", id, row.url, after.status, after.note);
  if (turnedFailing) await tellAdmins(env, db, row);
  return after.status === "queued" ? { retryInSeconds: after.retryInSeconds } : null;
}

/** The queue() handler for the webhook queue: each message acknowledged once its delivery is settled, or retried after its backoff. */
export async function deliverWebhookBatch(batch: MessageBatch<WebhookMessage>, env: Bindings): Promise<void> {
  for (const message of batch.messages) {
    try {
      const retry = await deliverWebhook(env, message.body.id);
      if (retry) message.retry({ delaySeconds: retry.retryInSeconds });
      else message.ack();
    } catch (err) {
      console.error("webhook", message.body.id, err);
      message.retry({ delaySeconds: 30 });
    }
  }
}

/** Puts the deliveries the queue missed back on it; returns how many. */
export async function sweepWebhooks(env: Bindings, now: number): Promise<number> {
  const ids = await webhooksToSweep(openDb(env.DB), now);
  await enqueueWebhookDeliveries(env, ids);
  return ids.length;
}
