import type Stripe from "stripe";
import type { StripeCharge } from "../billing/fee-correction";
import type { BalanceEntry, StripeTransfer } from "../billing/reconciliation";

// Stripe's side of the ledger: a charge with its balance transaction (the fees Stripe took), a
// transfer, and an account's balance transactions of a day, read in Parley's terms. Reads only;
// `account` null is Parley's own account.

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : (value?.id ?? null));

/**
 * Reads a charge as the API returns it. The fees are known only when `balance_transaction` was
 * expanded (`expand: ["balance_transaction"]`, or `latest_charge.balance_transaction` on its
 * PaymentIntent); an id alone counts as not known yet.
 */
export function stripeChargeOf(charge: Stripe.Charge): StripeCharge {
  const txn = typeof charge.balance_transaction === "object" ? charge.balance_transaction : null;
  const feeOf = (type: string) => txn?.fee_details.filter((f) => f.type === type).reduce((t, f) => t + f.amount, 0) ?? 0;
  const captured = charge.captured ? charge.amount_captured : 0;
  return {
    id: charge.id,
    paymentIntentId: idOf(charge.payment_intent),
    chatId: charge.metadata?.chat_id ?? null,
    currency: charge.currency.toUpperCase(),
    capturedMinor: captured,
    // Stripe counts the released rest of a partial capture as refunded; it was never paid.
    refundedMinor: charge.captured ? Math.max(0, charge.amount_refunded - (charge.amount - charge.amount_captured)) : 0,
    balanceTransactionId: txn?.id ?? null,
    stripeFeeMinor: txn ? feeOf("stripe_fee") : null,
    applicationFeeMinor: txn ? feeOf("application_fee") : null,
  };
}

const on = (account: string | null): Stripe.RequestOptions => (account ? { stripeAccount: account } : {});

const missing = (err: unknown) => (err as { code?: string })?.code === "resource_missing";

/** Stripe's captured charge of a PaymentIntent with its fees; null when there is no such PaymentIntent or nothing was captured. */
export async function retrieveStripeCharge(stripe: Stripe, paymentIntentId: string, account: string | null): Promise<StripeCharge | null> {
  let pi: Stripe.PaymentIntent;
  try {
    pi = await stripe.paymentIntents.retrieve(paymentIntentId, { expand: ["latest_charge.balance_transaction"] }, on(account));
  } catch (err) {
    if (missing(err)) return null;
    throw err;
  }
  const charge = typeof pi.latest_charge === "object" ? pi.latest_charge : null;
  return charge?.captured ? stripeChargeOf(charge) : null;
}

/** A charge with its balance transaction expanded (a webhook names the charge; the fees need the transaction). */
export async function retrieveChargeFees(stripe: Stripe, chargeId: string, account: string | null): Promise<StripeCharge> {
  return stripeChargeOf(await stripe.charges.retrieve(chargeId, { expand: ["balance_transaction"] }, on(account)));
}

/** A transfer (Parley's payout to a solo), less what was reversed; null when Stripe has none of that id. */
export async function retrieveStripeTransfer(stripe: Stripe, transferId: string): Promise<StripeTransfer | null> {
  try {
    const t = await stripe.transfers.retrieve(transferId);
    return { id: t.id, currency: t.currency.toUpperCase(), amountMinor: t.amount - t.amount_reversed };
  } catch (err) {
    if (missing(err)) return null;
    throw err;
  }
}

/** Every balance transaction of the account created in [from, to) (epoch ms), with its source object. */
export async function listBalance(stripe: Stripe, account: string | null, range: { from: number; to: number }): Promise<BalanceEntry[]> {
  const entries: BalanceEntry[] = [];
  const params: Stripe.BalanceTransactionListParams = { created: { gte: Math.floor(range.from / 1000), lt: Math.ceil(range.to / 1000) }, limit: 100, expand: ["data.source"] };
  for await (const txn of stripe.balanceTransactions.list(params, on(account))) entries.push(balanceEntryOf(txn));
  return entries;
}

type Source = { id: string; object: string; payment_intent?: string | { id: string } | null; metadata?: Record<string, string> | null };

export function balanceEntryOf(txn: Stripe.BalanceTransaction): BalanceEntry {
  const source = (typeof txn.source === "object" && txn.source ? txn.source : { id: txn.source ?? "", object: "" }) as Source;
  const intent = source.payment_intent;
  const type: BalanceEntry["type"] =
    source.object === "charge" ? "payment" : source.object === "refund" ? "refund" : source.object === "dispute" ? "dispute" : source.object === "transfer" ? "transfer" : "other";
  return {
    id: txn.id,
    type,
    sourceId: source.id,
    currency: txn.currency.toUpperCase(),
    amountMinor: txn.amount,
    feeMinor: txn.fee,
    paymentIntentId: typeof intent === "string" ? intent : (intent?.id ?? null),
    chatId: source.object === "charge" ? (source.metadata?.chat_id ?? null) : null,
    payoutId: source.object === "transfer" ? (source.metadata?.payout_id ?? null) : null,
  };
}
