import type { AccountType, LedgerLine } from "./fees";

// The ledger books a charge with Parley's estimate of Stripe's processing fee (fees.ts), because
// Stripe's own figure is known only from the charge's balance transaction. Once it is, a
// correcting entry moves the ledger to Stripe's numbers: the estimate stays visible, the sums
// still balance, and the merchant's net becomes what Stripe actually paid in.

/** What Stripe says about one charge, in Parley's terms. */
export type StripeCharge = {
  /** ch_… */
  id: string;
  paymentIntentId: string | null;
  /** The chat Parley charged for (the PaymentIntent's metadata); null: not a charge Parley made. */
  chatId: string | null;
  /** Upper case, as Parley writes currencies. */
  currency: string;
  capturedMinor: number;
  /** Refunded to the customer; the released rest of a partly captured hold does not count. */
  refundedMinor: number;
  /** Null until Stripe has made the balance transaction (it may settle after the capture). */
  balanceTransactionId: string | null;
  /** Stripe's processing fee, from the balance transaction; null while there is none. */
  stripeFeeMinor: number | null;
  /** The Connect application fee Stripe took for Parley (company accounts), from the balance transaction; null while there is none. */
  applicationFeeMinor: number | null;
};

/** What the ledger holds for one charge's fees now: the processor's and Parley's sides. */
export type BookedFees = { processingFeeMinor: number; platformFeeMinor: number };

/**
 * The correcting entry that brings a charge's booked fees to Stripe's: the processing fee on the
 * account that bears it (the company's, or Parley's on a solo account), and on a company account
 * Parley's fee where the application fee Stripe took differs. No lines when they already agree.
 */
export function feeCorrectionLines(booked: BookedFees, stripe: Pick<StripeCharge, "stripeFeeMinor" | "applicationFeeMinor">, account: AccountType): LedgerLine[] {
  const lines: LedgerLine[] = [];
  if (stripe.stripeFeeMinor !== null && stripe.stripeFeeMinor !== booked.processingFeeMinor) {
    const more = stripe.stripeFeeMinor - booked.processingFeeMinor;
    lines.push(
      { kind: "processing_fee", account: account === "company" ? "merchant" : "platform", amountMinor: -more },
      { kind: "processing_fee", account: "processor", amountMinor: more },
    );
  }
  // On a solo account Parley's share is its own bookkeeping, not a fee Stripe takes.
  if (account === "company" && stripe.applicationFeeMinor !== null && stripe.applicationFeeMinor !== booked.platformFeeMinor) {
    const more = stripe.applicationFeeMinor - booked.platformFeeMinor;
    lines.push({ kind: "platform_fee", account: "merchant", amountMinor: -more }, { kind: "platform_fee", account: "platform", amountMinor: more });
  }
  return lines;
}

/** The booked fees of lines about to be written (a charge's estimate), before any correction. */
export function bookedFeesOf(lines: LedgerLine[]): BookedFees {
  const sum = (kind: LedgerLine["kind"], account: LedgerLine["account"]) => lines.filter((l) => l.kind === kind && l.account === account).reduce((t, l) => t + l.amountMinor, 0);
  return { processingFeeMinor: sum("processing_fee", "processor"), platformFeeMinor: sum("platform_fee", "platform") };
}

/** Ledger ids of a charge's correcting entry: one per line, the same whoever writes it (capture, webhook, nightly check). */
export const feeCorrectionTxnId = (chargeId: string) => `${chargeId}:fees`;
export const feeCorrectionLineId = (chargeId: string, line: LedgerLine) => `${chargeId}:fees:${line.kind}:${line.account}`;
