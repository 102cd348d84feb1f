import type Stripe from "stripe";
import { correctFees, listChargeLedgers } from "../stores/charges";
import { openDb, type Db } from "../stores/db";
import {
  chargeIdsOfDay,
  companiesToReconcile,
  companyChatIds,
  companyPayoutIds,
  paidPayouts,
  saveReconciliation,
  saveReconciliationError,
  unfinishedReconciliations,
  type Range,
  type ReconciledCompany,
} from "../stores/reconciliations";
import { listBalance, retrieveStripeCharge, retrieveStripeTransfer } from "../adapters/stripe-balance";
import { stripeClient, type StripeEnv } from "../adapters/stripe";
import type { StripeCharge } from "../billing/fee-correction";
import { reconcileDay, type BalanceEntry, type Difference, type StripeTransfer } from "../billing/reconciliation";
import { dayStart, isoDay } from "../billing/revenue";

// The nightly reconciliation: the Worker's cron trigger (wrangler.toml, 05:00 UTC) checks the UTC
// day before for every company with money or chats that day, and an admin may check today from
// the Revenue page. For each company: Stripe's balance transactions of the day on the account the
// money went to (the company's own, or Parley's for a solo), the ledger's charges of the day, and
// Stripe's charge of each; a charge whose fees were never corrected (a lost webhook) is corrected
// first; what still disagrees is stored as the day's differences (billing/reconciliation.ts).

const DAY_MS = 86_400_000;

/** The reconciliation's schedule in wrangler.toml: an hour before the payout run, when the day before is complete at Stripe. */
export const RECONCILE_CRON = "0 5 * * *";

export type ReconcileSummary = { companies: number; differences: number; failed: number };
export type CompanyCheck = { compared: number; differences: Difference[] };

/** Balance transactions per account, read once per run: every solo's charges share Parley's account. */
type BalanceCache = Map<string, Promise<BalanceEntry[]>>;

export function dayRange(day: string): Range {
  const from = dayStart(day);
  if (from === null) throw new Error(`no such day: ${day}`);
  return { from, to: from + DAY_MS };
}

/** The UTC day the nightly run checks: the one before `now`. */
export const dayBefore = (now: number) => isoDay(now - DAY_MS);

/** How far back a check that could not finish is tried again, night after night. */
const RETRY_DAYS = 7;

/** The nightly run: every company's `day`, then the days of the week before whose check did not finish. */
export async function runReconciliation(env: StripeEnv & { DB: D1Database }, day: string, now: number): Promise<ReconcileSummary> {
  const db = openDb(env.DB);
  const stripe = stripeClient(env);
  const summary: ReconcileSummary = { companies: 0, differences: 0, failed: 0 };
  if (!stripe) return summary;
  const caches = new Map<string, BalanceCache>();
  const check = async (company: ReconciledCompany, which: string) => {
    if (!caches.has(which)) caches.set(which, new Map());
    const result = await reconcileCompany(db, stripe, company, which, now, caches.get(which));
    if (!result) return;
    summary.companies++;
    if ("error" in result) summary.failed++;
    else summary.differences += result.differences.length;
  };
  for (const company of await companiesToReconcile(db, dayRange(day))) await check(company, day);
  for (const unfinished of await unfinishedReconciliations(db, isoDay(dayRange(day).from - RETRY_DAYS * DAY_MS)))
    if (unfinished.day !== day) await check(unfinished, unfinished.day);
  return summary;
}

/**
 * Checks one company's day and stores the outcome; null when the company takes no payments
 * through Stripe. One company's trouble (Stripe unreachable, a bug) is stored as its error and
 * does not stop the others.
 */
export async function reconcileCompany(db: Db, stripe: Stripe, company: ReconciledCompany, day: string, now: number, cache: BalanceCache = new Map()): Promise<CompanyCheck | { error: string } | null> {
  // A company's customers pay into its own account; a solo's into Parley's.
  const account = company.accountType === "company" ? company.stripeAccountId : null;
  if (company.accountType === "company" && !account) return null;
  try {
    const check = await compare(db, stripe, company, account, dayRange(day), cache);
    await saveReconciliation(db, { companyId: company.id, day, checkedAt: now, compared: check.compared, differences: check.differences.length, error: null }, check.differences);
    return check;
  } catch (err) {
    console.error("reconciliation", company.id, day, err);
    const error = err instanceof Error ? err.message : String(err);
    await saveReconciliationError(db, company.id, day, now, `Stripe could not be asked: ${error}`).run();
    return { error };
  }
}

async function compare(db: Db, stripe: Stripe, company: ReconciledCompany, account: string | null, range: Range, cache: BalanceCache): Promise<CompanyCheck> {
  const key = account ?? "platform";
  if (!cache.has(key)) cache.set(key, listBalance(stripe, account, range));
  const all = await cache.get(key)!;

  // Which of the account's day concerns this company: its chats' payments (on Parley's account
  // only the company's own), refunds and disputes of its charges, transfers of its payouts.
  const ours = account ? null : await companyChatIds(db, company.id, [...new Set(all.map((e) => e.chatId).filter((c) => c !== null))]);
  const intents = all.filter((e) => e.paymentIntentId && (e.type !== "payment" || (e.chatId && (!ours || ours.has(e.chatId))))).map((e) => e.paymentIntentId!);
  const chargeIds = await chargeIdsOfDay(db, company.id, range);
  let charges = await listChargeLedgers(db, company.id, { chargeIds, paymentIntentIds: [...new Set(intents)] });

  const stripeCharges = new Map<string, StripeCharge | null>();
  let corrected = false;
  for (const charge of charges) {
    if (!charge.paymentIntentId) continue;
    const stripeCharge = await retrieveStripeCharge(stripe, charge.paymentIntentId, account);
    stripeCharges.set(charge.paymentIntentId, stripeCharge);
    if (stripeCharge && (await correctFees(db, charge, stripeCharge))) corrected = true;
  }
  if (corrected) charges = await listChargeLedgers(db, company.id, { chargeIds: charges.map((c) => c.chargeId) });

  // Payouts exist only for solos, paid by transfers from Parley's account; a transfer is this
  // company's when its metadata names one of the company's payouts.
  const transfers = account ? [] : all.filter((e) => e.type === "transfer" && e.payoutId);
  const payoutIds = await companyPayoutIds(db, company.id, transfers.map((e) => e.payoutId!));
  const known = new Set(charges.map((c) => c.paymentIntentId));
  const balance = all.filter((e) => {
    if (e.type === "payment") return !!e.chatId && (!ours || ours.has(e.chatId));
    if (e.type === "refund" || e.type === "dispute") return known.has(e.paymentIntentId);
    return e.type === "transfer" && !!e.payoutId && payoutIds.has(e.payoutId);
  });
  const payouts = account ? [] : await paidPayouts(db, company.id, range, balance.filter((e) => e.type === "transfer").map((e) => e.sourceId));
  const stripeTransfers = new Map<string, StripeTransfer | null>();
  for (const p of payouts) stripeTransfers.set(p.transferId, await retrieveStripeTransfer(stripe, p.transferId));
  return { compared: charges.length + payouts.length, differences: reconcileDay({ account: company.accountType, charges, stripeCharges, balance, payouts, stripeTransfers }) };
}
