import type { StripeCharge } from "./fee-correction";
import type { AccountType } from "./fees";

// The nightly reconciliation: one UTC day of a company's ledger against Stripe's balance
// transactions on the account the money went to. Pure: worker/jobs/reconcile.ts loads both
// sides and stores what this returns.
//
// A difference is anything on which the two still disagree after each charge's fees were
// corrected to its balance transaction (fee-correction.ts):
// - missing_at_stripe: the ledger holds a charge (or a payout) for which Stripe has no money;
// - missing_in_ledger: Stripe moved money for one of Parley's chats (or payouts) that the ledger lacks;
// - amount, refunded: a charge's amount or refunds (or a payout's amount) differ from Stripe's;
// - processing_fee: the ledger's processing fee differs from Stripe's fee, or Stripe has no
//   balance transaction for the charge yet;
// - platform_fee: on a company account, Parley's fee differs from the application fee Stripe took;
// - dispute: what Stripe withdrew for a dispute (the amount and its fee) differs from what the
//   ledger booked for it (nothing, when its webhook never came).

/** Also the `reconciliation_differences.kind` column's enum (worker/db/schema.ts takes it from here). */
export const DIFFERENCE_KINDS = ["missing_at_stripe", "missing_in_ledger", "amount", "processing_fee", "platform_fee", "refunded", "dispute"] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

export const DIFFERENCE_LABELS: Record<DifferenceKind, string> = {
  missing_at_stripe: "In the ledger, not at Stripe",
  missing_in_ledger: "At Stripe, not in the ledger",
  amount: "Amount differs",
  processing_fee: "Processing fee differs",
  platform_fee: "Parley's fee differs",
  refunded: "Refunds differ",
  dispute: "Dispute differs",
};

export type Difference = {
  kind: DifferenceKind;
  /** The ledger transaction (a charge's id, a payout's `{id}:paid`); null when the ledger has none. */
  txnId: string | null;
  chatId: string | null;
  /** Stripe's object (ch_…, tr_…, dp_…, or the pi_… the ledger names); null when there is none. */
  stripeObject: string | null;
  currency: string;
  /** Each side's figure in minor units, null for a side that has nothing. */
  ledgerMinor: number | null;
  stripeMinor: number | null;
};

/** One charge as the ledger holds it: sums over all its lines, corrections and refunds included. */
export type LedgerCharge = {
  chargeId: string;
  chatId: string | null;
  paymentIntentId: string | null;
  currency: string;
  grossMinor: number;
  refundedMinor: number;
  processingFeeMinor: number;
  platformFeeMinor: number;
  /** What the ledger booked as withdrawn for each dispute (dp_…) of the charge: the amount and its fee. */
  disputedMinor: Record<string, number>;
};

/** A solo professional's payout as the ledger holds it: paid by a Stripe transfer. */
export type LedgerPayout = { payoutId: string; transferId: string; currency: string; amountMinor: number };

/** What Stripe says about a transfer: what it sent, less what was reversed. */
export type StripeTransfer = { id: string; currency: string; amountMinor: number };

/** A line of Stripe's balance on the day, reduced to what reconciliation reads. */
export type BalanceEntry = {
  /** txn_… */
  id: string;
  type: "payment" | "refund" | "dispute" | "transfer" | "other";
  /** The object behind it: ch_…, re_…, dp_…, tr_… */
  sourceId: string;
  currency: string;
  /** As Stripe signs it: money in is positive. */
  amountMinor: number;
  feeMinor: number;
  paymentIntentId: string | null;
  /** Parley's metadata on the charge (chat_id) or on the transfer (payout_id). */
  chatId: string | null;
  payoutId: string | null;
};

export type DayInput = {
  account: AccountType;
  /** The charges the day concerns: charged or refunded that day in the ledger, or paid, refunded or disputed that day at Stripe. */
  charges: LedgerCharge[];
  /** Stripe's charge of each of those, by PaymentIntent; null: Stripe has no captured charge for it. */
  stripeCharges: Map<string, StripeCharge | null>;
  /** Stripe's balance transactions of the day that concern this company. */
  balance: BalanceEntry[];
  /** Payouts the ledger holds as paid that day, or whose transfer is in the day's balance. */
  payouts: LedgerPayout[];
  /** Stripe's transfer of each of those, by id; null: Stripe has no such transfer. */
  stripeTransfers: Map<string, StripeTransfer | null>;
};

/** What disagrees between one ledger charge and Stripe's charge of its PaymentIntent. */
export function chargeDifferences(c: LedgerCharge, stripe: StripeCharge | null, account: AccountType): Difference[] {
  const difference = (kind: DifferenceKind, ledgerMinor: number | null, stripeMinor: number | null): Difference => ({
    kind,
    txnId: c.chargeId,
    chatId: c.chatId,
    stripeObject: stripe?.id ?? c.paymentIntentId,
    currency: c.currency,
    ledgerMinor,
    stripeMinor,
  });
  if (!stripe || stripe.capturedMinor === 0) return [difference("missing_at_stripe", c.grossMinor, null)];
  const out: Difference[] = [];
  if (stripe.currency !== c.currency || stripe.capturedMinor !== c.grossMinor) out.push(difference("amount", c.grossMinor, stripe.capturedMinor));
  if (stripe.refundedMinor !== c.refundedMinor) out.push(difference("refunded", c.refundedMinor, stripe.refundedMinor));
  if (stripe.stripeFeeMinor !== c.processingFeeMinor) out.push(difference("processing_fee", c.processingFeeMinor, stripe.stripeFeeMinor));
  if (account === "company" && stripe.applicationFeeMinor !== null && stripe.applicationFeeMinor !== c.platformFeeMinor)
    out.push(difference("platform_fee", c.platformFeeMinor, stripe.applicationFeeMinor));
  return out;
}

/** Every difference of one company's day: its charges, Stripe's money the ledger lacks, disputes, then payouts. */
export function reconcileDay(day: DayInput): Difference[] {
  const out: Difference[] = [];
  const byIntent = new Map(day.charges.filter((c) => c.paymentIntentId).map((c) => [c.paymentIntentId!, c]));
  for (const c of day.charges) out.push(...chargeDifferences(c, c.paymentIntentId ? (day.stripeCharges.get(c.paymentIntentId) ?? null) : null, day.account));

  for (const entry of day.balance) {
    const ours = entry.paymentIntentId ? byIntent.get(entry.paymentIntentId) : undefined;
    if (entry.type === "payment" && entry.chatId && !ours)
      out.push({ kind: "missing_in_ledger", txnId: null, chatId: entry.chatId, stripeObject: entry.sourceId, currency: entry.currency, ledgerMinor: null, stripeMinor: entry.amountMinor });
    // What Stripe withdrew in all: the disputed amount and its fee.
    const withdrawn = entry.feeMinor - entry.amountMinor;
    const booked = ours?.disputedMinor[entry.sourceId] ?? null;
    if (entry.type === "dispute" && ours && booked !== withdrawn)
      out.push({ kind: "dispute", txnId: ours.chargeId, chatId: ours.chatId, stripeObject: entry.sourceId, currency: entry.currency, ledgerMinor: booked, stripeMinor: withdrawn });
  }

  for (const p of day.payouts) {
    const transfer = day.stripeTransfers.get(p.transferId) ?? null;
    const difference = { txnId: `${p.payoutId}:paid`, chatId: null, stripeObject: p.transferId, currency: p.currency, ledgerMinor: p.amountMinor };
    if (!transfer) out.push({ kind: "missing_at_stripe", ...difference, stripeMinor: null });
    else if (transfer.amountMinor !== p.amountMinor || transfer.currency !== p.currency) out.push({ kind: "amount", ...difference, stripeMinor: transfer.amountMinor });
  }
  const paidTransfers = new Set(day.payouts.map((p) => p.transferId));
  for (const entry of day.balance)
    if (entry.type === "transfer" && entry.payoutId && !paidTransfers.has(entry.sourceId))
      out.push({ kind: "missing_in_ledger", txnId: null, chatId: null, stripeObject: entry.sourceId, currency: entry.currency, ledgerMinor: null, stripeMinor: -entry.amountMinor });
  return out;
}
