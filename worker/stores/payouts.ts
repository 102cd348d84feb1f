import { and, asc, desc, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Db } from "./db";
import { agentProfiles, ledgerEntries, payouts } from "../db/schema";
import type { PayoutInput, PayoutMethod } from "../billing/payout-method";
import { payoutLines } from "../billing/payouts";

// A solo professional's payouts (fees.ts schedules one per paid chat) and where they go.

export type PayoutRow = typeof payouts.$inferSelect;
export type PayoutDestination = { method: PayoutMethod; account: string } | null;

/** The company's payouts, newest first; only one person's when `userId` is given. */
export const listPayouts = (db: Db, companyId: string, userId: string | null, limit = 50): Promise<PayoutRow[]> =>
  db
    .select()
    .from(payouts)
    .where(userId ? and(eq(payouts.companyId, companyId), eq(payouts.userId, userId)) : eq(payouts.companyId, companyId))
    .orderBy(desc(payouts.createdAt))
    .limit(limit);

export async function getPayoutDestination(db: Db, userId: string): Promise<PayoutDestination> {
  const row = await db.select({ method: agentProfiles.payoutMethod, account: agentProfiles.payoutAccount }).from(agentProfiles).where(eq(agentProfiles.userId, userId)).get();
  return row?.method && row.account ? { method: row.method, account: row.account } : null;
}

export const savePayoutDestination = (db: Db, userId: string, input: PayoutInput) =>
  db
    .insert(agentProfiles)
    .values({ userId, payoutMethod: input.payoutMethod, payoutAccount: input.payoutAccount })
    .onConflictDoUpdate({ target: agentProfiles.userId, set: { payoutMethod: input.payoutMethod, payoutAccount: input.payoutAccount } });

// ── Running payouts (worker/jobs/payouts.ts) ────────────────────────────────────────────────
// Each state change is one conditional UPDATE, so two runs at once (the cron and "Pay out now")
// cannot both claim a payout, and a late answer cannot overwrite a newer state.

/** Payouts a run should look at: due and not yet sent, refused before, or left sending by a crash. */
export const payoutsToRun = (db: Db, now: number, companyId: string | null): Promise<PayoutRow[]> =>
  db
    .select()
    .from(payouts)
    .where(
      and(
        companyId ? eq(payouts.companyId, companyId) : undefined,
        or(and(inArray(payouts.state, ["scheduled", "failed"]), lte(payouts.dueAt, now)), eq(payouts.state, "sending")),
      ),
    )
    .orderBy(asc(payouts.dueAt))
    .limit(500);

/** Takes a scheduled or refused payout for a new Transfer attempt; null when another run took it first. */
export async function claimPayout(db: Db, p: PayoutRow, destination: string): Promise<number | null> {
  const row = await db
    .update(payouts)
    .set({ state: "sending", method: "stripe", attempt: sql`${payouts.attempt} + 1`, destination })
    .where(and(eq(payouts.id, p.id), eq(payouts.state, p.state), eq(payouts.attempt, p.attempt)))
    .returning({ attempt: payouts.attempt })
    .get();
  return row?.attempt ?? null;
}

/** A due payout Parley sends by hand (PayPal, AliPay, WeChat Pay): shown as due until an operator marks it paid. */
export const markPayoutManual = (db: Db, p: PayoutRow, method: PayoutMethod, destination: string) =>
  db
    .update(payouts)
    .set({ state: "manual", method, destination, failureCode: null, failureReason: null })
    .where(and(eq(payouts.id, p.id), inArray(payouts.state, ["scheduled", "failed"])));

/** Nothing could be sent (no method, no ready account) or Stripe refused this attempt. */
export const markPayoutFailed = (db: Db, p: Pick<PayoutRow, "id" | "attempt">, state: PayoutRow["state"], failure: { code: string; reason: string }) =>
  db
    .update(payouts)
    .set({ state: "failed", failureCode: failure.code, failureReason: failure.reason })
    .where(and(eq(payouts.id, p.id), eq(payouts.state, state), eq(payouts.attempt, p.attempt)));

/** Paid: the state and the ledger's payout lines in one batch (ids from the payout's, so a replay adds nothing). */
export async function markPayoutPaid(db: Db, p: PayoutRow, from: PayoutRow["state"], reference: string, at: number): Promise<boolean> {
  const [updated] = await db.batch([
    db
      .update(payouts)
      .set({ state: "paid", reference, paidAt: at, failureCode: null, failureReason: null })
      .where(and(eq(payouts.id, p.id), eq(payouts.state, from), eq(payouts.attempt, p.attempt)))
      .returning({ id: payouts.id }),
    ...payoutLines(p.amountMinor).map((line, i) =>
      db
        .insert(ledgerEntries)
        .values({ id: `${p.id}:paid:${i}`, txnId: `${p.id}:paid`, companyId: p.companyId, chatId: null, agentId: p.userId, chargeId: null, ...line, currency: p.currency })
        .onConflictDoNothing(),
    ),
  ]);
  return updated.length > 0;
}

export const getPayout = (db: Db, id: string) => db.select().from(payouts).where(eq(payouts.id, id)).get();
