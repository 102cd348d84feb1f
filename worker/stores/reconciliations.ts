import { and, desc, eq, gte, inArray, isNotNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "./db";
import { inList } from "./in-list";
import type { Difference, LedgerPayout } from "../billing/reconciliation";
import { chats, companies, ledgerEntries, payouts, reconciliationDifferences, reconciliations } from "../db/schema";

// D1 side of the nightly reconciliation: which companies and charges a day concerns, the solo
// payouts it paid, and the stored result of each company's day for the Revenue page.

export type Range = { from: number; to: number };
export type ReconciledCompany = Pick<typeof companies.$inferSelect, "id" | "accountType" | "stripeAccountId">;

const DAY_MS = 86_400_000;

/** Companies with ledger lines that day, or chats from the day before on (a chat charged at midnight). */
export async function companiesToReconcile(db: Db, range: Range): Promise<ReconciledCompany[]> {
  const active = db
    .selectDistinct({ id: ledgerEntries.companyId })
    .from(ledgerEntries)
    .where(and(gte(ledgerEntries.createdAt, range.from), lt(ledgerEntries.createdAt, range.to)))
    .union(db.selectDistinct({ id: chats.companyId }).from(chats).where(and(gte(chats.createdAt, range.from - DAY_MS), lt(chats.createdAt, range.to))));
  return db.select({ id: companies.id, accountType: companies.accountType, stripeAccountId: companies.stripeAccountId }).from(companies).where(inArray(companies.id, active));
}

/** Checks that could not finish (Stripe unreachable) since a day, to try again with the company. */
export const unfinishedReconciliations = (db: Db, sinceDay: string): Promise<(ReconciledCompany & { day: string })[]> =>
  db
    .select({ id: companies.id, accountType: companies.accountType, stripeAccountId: companies.stripeAccountId, day: reconciliations.day })
    .from(reconciliations)
    .innerJoin(companies, eq(companies.id, reconciliations.companyId))
    .where(and(isNotNull(reconciliations.error), gte(reconciliations.day, sinceDay)));

/** The charges the company's ledger charged or refunded that day. */
export async function chargeIdsOfDay(db: Db, companyId: string, range: Range): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: ledgerEntries.chargeId })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.companyId, companyId),
        inArray(ledgerEntries.kind, ["charge", "refund"]),
        isNotNull(ledgerEntries.chargeId),
        gte(ledgerEntries.createdAt, range.from),
        lt(ledgerEntries.createdAt, range.to),
      ),
    );
  return rows.map((r) => r.id!);
}

/** Which of these chats are the company's (on Parley's own Stripe account, every solo's charges sit together). */
export async function companyChatIds(db: Db, companyId: string, chatIds: string[]): Promise<Set<string>> {
  const rows = await db.select({ id: chats.id }).from(chats).where(and(eq(chats.companyId, companyId), inList(chats.id, chatIds)));
  return new Set(rows.map((r) => r.id));
}

/** Which of these payouts are the company's, whatever their state (a transfer's metadata names its payout). */
export async function companyPayoutIds(db: Db, companyId: string, payoutIds: string[]): Promise<Set<string>> {
  const rows = await db.select({ id: payouts.id }).from(payouts).where(and(eq(payouts.companyId, companyId), inList(payouts.id, payoutIds)));
  return new Set(rows.map((r) => r.id));
}

/** The company's payouts the ledger holds as paid through Stripe that day, or by one of these transfers, with the ledger's amount. */
export async function paidPayouts(db: Db, companyId: string, range: Range, transferIds: string[]): Promise<LedgerPayout[]> {
  const paidThatDay = and(gte(payouts.paidAt, range.from), lt(payouts.paidAt, range.to));
  const rows = await db
    .select({
      payoutId: payouts.id,
      transferId: payouts.reference,
      currency: payouts.currency,
      amountMinor: sql<number>`coalesce(sum(case when ${ledgerEntries.account} = 'payout' then ${ledgerEntries.amountMinor} else 0 end), 0)`.mapWith(Number),
    })
    .from(payouts)
    .innerJoin(ledgerEntries, eq(ledgerEntries.txnId, sql`${payouts.id} || ':paid'`))
    .where(
      and(
        eq(payouts.companyId, companyId),
        eq(payouts.state, "paid"),
        eq(payouts.method, "stripe"),
        isNotNull(payouts.reference),
        transferIds.length ? or(paidThatDay, inList(payouts.reference, transferIds)) : paidThatDay,
      ),
    )
    .groupBy(payouts.id);
  return rows.map((r) => ({ ...r, transferId: r.transferId! }));
}

export type ReconciliationRow = typeof reconciliations.$inferSelect;
export type DifferenceRow = typeof reconciliationDifferences.$inferSelect;

/** A day checked: its row and its differences replace those of an earlier check of the same day. */
export async function saveReconciliation(db: Db, run: ReconciliationRow, differences: Difference[]): Promise<void> {
  await db.batch([
    db.delete(reconciliationDifferences).where(and(eq(reconciliationDifferences.companyId, run.companyId), eq(reconciliationDifferences.day, run.day))),
    ...differences.map((d, i) => db.insert(reconciliationDifferences).values({ id: `${run.companyId}:${run.day}:${String(i).padStart(4, "0")}`, companyId: run.companyId, day: run.day, ...d })),
    db
      .insert(reconciliations)
      .values(run)
      .onConflictDoUpdate({ target: [reconciliations.companyId, reconciliations.day], set: { checkedAt: run.checkedAt, compared: run.compared, differences: run.differences, error: run.error } }),
  ]);
}

/** A check that could not finish keeps the differences it found before. */
export const saveReconciliationError = (db: Db, companyId: string, day: string, checkedAt: number, error: string) =>
  db
    .insert(reconciliations)
    .values({ companyId, day, checkedAt, compared: 0, differences: 0, error })
    .onConflictDoUpdate({ target: [reconciliations.companyId, reconciliations.day], set: { checkedAt, error } });

/** The company's latest checked days, newest first, with the differences of those days. */
export async function recentReconciliations(db: Db, companyId: string, days = 7): Promise<{ runs: ReconciliationRow[]; differences: DifferenceRow[] }> {
  const runs = await db.select().from(reconciliations).where(eq(reconciliations.companyId, companyId)).orderBy(desc(reconciliations.day)).limit(days);
  const differences = runs.length
    ? await db
        .select()
        .from(reconciliationDifferences)
        .where(and(eq(reconciliationDifferences.companyId, companyId), inArray(reconciliationDifferences.day, runs.map((r) => r.day))))
        .orderBy(desc(reconciliationDifferences.day), reconciliationDifferences.id)
    : [];
  return { runs, differences };
}
