import type { LedgerLine } from "./fees";
import { PAYOUT_METHOD_LABELS, type PayoutMethod } from "./payout-method";

// Executing a solo professional's payouts (cheat sheet: Pricing – "Solo User" account): when one
// is due, a Stripe payout is a Transfer to the solo's connected account; PayPal, AliPay and
// WeChat Pay have no API Parley can call here, so those are paid by hand by Parley's staff and
// marked paid with their reference.

export type PayoutState = "scheduled" | "sending" | "paid" | "failed" | "manual";

/** What the run does with a due payout. */
export type PayoutPlan =
  | { kind: "transfer"; destination: string }
  | { kind: "manual"; method: Exclude<PayoutMethod, "stripe">; destination: string }
  | { kind: "fail"; code: string; reason: string };

/** The solo's choice of method, and their connected account (companies.stripe_account_*) for Stripe. */
export function planPayout(
  choice: { method: PayoutMethod; account: string } | null,
  connected: { stripeAccountId: string | null; stripeAccountReady: boolean },
  stripeConfigured: boolean,
): PayoutPlan {
  if (!choice) return { kind: "fail", code: "no_payout_method", reason: "Choose a payout method on the Payments page." };
  if (choice.method !== "stripe") return { kind: "manual", method: choice.method, destination: choice.account };
  if (!stripeConfigured) return { kind: "fail", code: "stripe_unconfigured", reason: "Stripe is not configured on this server." };
  if (!connected.stripeAccountId || !connected.stripeAccountReady)
    return { kind: "fail", code: "no_connected_account", reason: "Connect your Stripe account on the Payments page to receive Stripe payouts." };
  return { kind: "transfer", destination: connected.stripeAccountId };
}

/**
 * One key per attempt: a retry after a crash or a lost answer repeats the attempt's first result
 * (one Transfer at most); a new attempt is made only after Stripe refused the last one.
 */
export const transferKey = (payoutId: string, attempt: number) => `payout:${payoutId}:transfer:${attempt}`;

/** Every attempt of one payout shares a transfer group, so Stripe's dashboard shows them together. */
export const transferGroup = (payoutId: string) => `payout:${payoutId}`;

/** A failed Transfer request: refused for good (record why), or unanswered (try the same attempt later). */
export type TransferFailure = { retry: true } | { retry: false; code: string; reason: string };

const REASONS: Record<string, string> = {
  balance_insufficient: "Parley's Stripe balance did not cover this payout yet; it is tried again at the next payout run.",
  insufficient_capabilities_for_transfer: "Your Stripe account cannot receive transfers yet: finish its setup with Stripe.",
  account_invalid: "Your Stripe account no longer accepts transfers from Parley: connect it again.",
};

export function transferFailure(err: unknown): TransferFailure {
  const e = err as { type?: string; code?: string; message?: string };
  // Stripe looked at the request and said no: nothing was moved, so the next attempt is safe.
  if (e?.type === "StripeInvalidRequestError" || e?.type === "StripePermissionError") {
    const code = e.code ?? "transfer_refused";
    return { retry: false, code, reason: REASONS[code] ?? `Stripe refused the transfer: ${e.message ?? code}` };
  }
  // Connection lost, Stripe's 5xx, rate limits, a concurrent request with the same key: the
  // Transfer may exist; only the same key may ask again.
  return { retry: true };
}

/** A payout moves the solo's share out of their balance with Parley; the two lines sum to zero. */
export function payoutLines(amountMinor: number): LedgerLine[] {
  return [
    { kind: "payout", account: "merchant", amountMinor: -amountMinor },
    { kind: "payout", account: "payout", amountMinor: amountMinor },
  ];
}

/** The line under a payout's state: where it went, or why it has not. */
export function payoutNote(p: { state: PayoutState; method: PayoutMethod; destination: string | null; reference: string | null; failureReason: string | null }): string | null {
  const to = p.destination ? `${PAYOUT_METHOD_LABELS[p.method]} ${p.destination}` : PAYOUT_METHOD_LABELS[p.method];
  switch (p.state) {
    case "scheduled":
      return null;
    case "sending":
      return `Sending to ${to}.`;
    case "paid":
      return p.reference ? `${p.method === "stripe" ? "Transfer" : "Reference"} ${p.reference}` : `Sent to ${to}.`;
    case "failed":
      return p.failureReason;
    case "manual":
      return `Parley pays this to ${to} by hand; it shows as paid once sent.`;
  }
}
