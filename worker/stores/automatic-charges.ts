import { and, eq, inArray, sql } from "drizzle-orm";
import { charges, chats } from "../db/schema";
import { paidChargeStatements, type PaidCharge } from "./charges";
import { openDb, type Db } from "./db";
import { webhookInsert } from "./webhooks";
import { paymentFailed, paymentSucceeded } from "../webhooks/payloads";

// D1 records of a chat's automatic charges (the meter's, kept by durable-objects/chat/billing.ts):
// charge n, the capture of hold n, as it fails, waits on a new card, is paid or let go, and the
// chat's totals beside it. Ids derive from the chat and n, so a retried step adds nothing.

export const automaticChargeId = (chatId: string, n: number) => `${chatId}:${n}`;
/** The key the capture of hold n gives Stripe, kept on the charge's row. */
export const automaticChargeKey = (chatId: string, n: number) => `chat:${chatId}:charge:${n}`;

/** What the chat comes to, so far or in all, and how much of it is paid. */
export type ChatTotals = { currency: string; chargeableSeconds: number; amountMinor: number; paidMinor: number };

const totalsUpdate = (db: Db, chatId: string, totals: ChatTotals) => db.update(chats).set(totals).where(eq(chats.id, chatId));

/** A charge whose row is not final yet: it may still be paid, or be forgotten. */
const unpaid = inArray(charges.status, ["failed", "pending"]);

/** Charge n is paid: the paid charge's writes (charges.ts), the chat's totals and the payment.succeeded webhook, in one batch. Returns the event's id. */
export async function recordAutomaticChargePaid(d1: D1Database, paid: PaidCharge, totals: ChatTotals): Promise<string[]> {
  const db = openDb(d1);
  const statements = await paidChargeStatements(db, paid);
  const event = paymentSucceeded(
    { charge: paid.id, chat: paid.chatId, kind: paid.kind, amountMinor: paid.amountMinor, currency: paid.currency, paymentIntent: paid.paymentIntentId, invoice: null },
    paid.paidAt,
  );
  await db.batch([
    totalsUpdate(db, paid.chatId, totals),
    ...statements,
    // Charge n may have failed before (payment needed): its row says it is paid now.
    db
      .update(charges)
      .set({ status: "succeeded", amountMinor: paid.amountMinor, paymentIntentId: paid.paymentIntentId, failureCode: null })
      .where(and(eq(charges.id, paid.id), unpaid)),
    webhookInsert(db, paid.companyId, event),
  ]);
  return [event.id];
}

export type FailedCharge = { chatId: string; n: number; amountMinor: number; currency: string; paymentIntentId: string | null; failureCode: string };

/**
 * Charge n failed, with the reason, beside the chat's totals and the payment.failed webhook; a
 * charge already paid stays paid. Returns the event's id (its deliveries exist only if it is new).
 */
export async function recordAutomaticChargeFailed(d1: D1Database, c: FailedCharge, totals: ChatTotals, now = Date.now()): Promise<string[]> {
  const db = openDb(d1);
  const { failureCode, amountMinor, paymentIntentId } = c;
  const chat = await db.select({ companyId: chats.companyId }).from(chats).where(eq(chats.id, c.chatId)).get();
  const event = paymentFailed(
    { charge: automaticChargeId(c.chatId, c.n), chat: c.chatId, kind: "service", amountMinor, currency: c.currency, paymentIntent: paymentIntentId, invoice: null },
    failureCode,
    now,
  );
  const id = automaticChargeId(c.chatId, c.n);
  // The same failure written again (an alarm replayed after a crash) is no new event; the charge
  // failing again after a new card was given (pending in between) is.
  const newFailure = sql`not exists (select 1 from charges where id = ${id} and status = 'failed' and failure_code = ${failureCode} and payment_intent_id is ${paymentIntentId})`;
  await db.batch([
    totalsUpdate(db, c.chatId, totals),
    ...(chat ? [webhookInsert(db, chat.companyId, event, newFailure)] : []),
    db
      .insert(charges)
      .values({ id, chatId: c.chatId, seq: c.n, amountMinor, currency: c.currency, paymentIntentId, idempotencyKey: automaticChargeKey(c.chatId, c.n), status: "failed", failureCode })
      .onConflictDoUpdate({ target: charges.id, set: { status: "failed", failureCode, amountMinor, paymentIntentId }, setWhere: unpaid }),
  ]);
  return chat ? [event.id] : [];
}

/** The customer's new card holds what charge n failed to take: no longer failed, not yet paid. */
export async function markAutomaticChargePending(d1: D1Database, chatId: string, n: number): Promise<void> {
  await openDb(d1)
    .update(charges)
    .set({ status: "pending", failureCode: null })
    .where(and(eq(charges.id, automaticChargeId(chatId, n)), eq(charges.status, "failed")));
}

/** Hold n was let go or lapsed without paying: whatever its charge row said, it never became a charge. */
export async function forgetAutomaticCharge(d1: D1Database, chatId: string, n: number): Promise<void> {
  await openDb(d1)
    .delete(charges)
    .where(and(eq(charges.id, automaticChargeId(chatId, n)), unpaid));
}

/** What was owed but not charged, and why: below Stripe's minimum, or given up by the agent. */
export type Uncollected = { seq: number; amountMinor: number; reason: string };

/**
 * The chat's final totals, and what was owed but not charged as a charge row of its own,
 * "abandoned" with the reason. The ledger holds only money that moved, so it has no lines for it;
 * the Revenue page reads the row (worker/billing/payment-state.ts).
 */
export async function recordFinalTotals(d1: D1Database, chatId: string, totals: ChatTotals, uncollected: Uncollected | null): Promise<void> {
  const db = openDb(d1);
  await db.batch([
    totalsUpdate(db, chatId, totals),
    ...(uncollected
      ? [
          db
            .insert(charges)
            .values({
              id: `${chatId}:uncollected`,
              chatId,
              seq: uncollected.seq,
              amountMinor: uncollected.amountMinor,
              currency: totals.currency,
              idempotencyKey: `chat:${chatId}:uncollected`,
              status: "abandoned",
              failureCode: uncollected.reason,
            })
            .onConflictDoNothing(),
        ]
      : []),
  ]);
}
