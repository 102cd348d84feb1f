// Who gets what of a customer's payment (spec: Business Revenue — Pricing; cheat sheet: Get Paid).
// Company accounts: direct charges on the company's Stripe account, Parley's application fee is
// 10 % of services and 4 % of physical goods, the company bears Stripe's fees. Solo accounts:
// charges on Parley's account, Parley keeps 20 % and bears the processing fees, the solo's 80 %
// is paid out within 5 business days.

/** Solo professional or company: who is charged on whose Stripe account, and who pays the fees. */
export const ACCOUNT_TYPES = ["solo", "company"] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export type SaleKind = "service" | "goods";

const PERCENT = { company: { service: 10, goods: 4 }, solo: { service: 20, goods: 20 } } as const;

const percentOf = (amount: number, percent: number) => Math.floor((amount * percent + 50) / 100);

export const platformFeeMinor = (amountMinor: number, account: AccountType, kind: SaleKind) => percentOf(amountMinor, PERCENT[account][kind]);

/**
 * Stripe's card processing fee as an estimate (2.9 % + 30 minor units; 40 for zero-decimal
 * currencies). The ledger is corrected with Stripe's real fee when its balance transaction is
 * known (fee-correction.ts): at once from the capture's answer, else by webhook or the nightly check.
 */
export function processingFeeEstimateMinor(amountMinor: number, currency: string): number {
  const fixed = currency.toUpperCase() === "JPY" ? 40 : 30;
  return Math.floor((amountMinor * 29 + 500) / 1000) + fixed;
}

/** What a ledger line is for; `dispute` and `dispute_fee` are what a card holder's dispute took back. */
export const LEDGER_KINDS = ["charge", "platform_fee", "processing_fee", "refund", "dispute", "dispute_fee", "payout"] as const;
/** Whose money a line moves: the customer's card, the merchant (company or solo), Parley, Stripe, the solo's bank. */
export const LEDGER_ACCOUNTS = ["customer", "merchant", "platform", "processor", "payout"] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
export type LedgerAccount = (typeof LEDGER_ACCOUNTS)[number];

export type LedgerLine = { kind: LedgerKind; account: LedgerAccount; amountMinor: number };

/**
 * The double-entry lines of one successful charge; they sum to zero. The customer pays; the
 * merchant (company or solo agent) receives the amount less Parley's fee and, for companies, less
 * processing; Parley receives its fee and, for solo accounts, pays the processing itself.
 */
export function chargeLines(amountMinor: number, currency: string, account: AccountType, kind: SaleKind): LedgerLine[] {
  const fee = platformFeeMinor(amountMinor, account, kind);
  const processing = processingFeeEstimateMinor(amountMinor, currency);
  const merchantBearsProcessing = account === "company";
  return [
    { kind: "charge", account: "customer", amountMinor: -amountMinor },
    { kind: "charge", account: "merchant", amountMinor: amountMinor },
    { kind: "platform_fee", account: "merchant", amountMinor: -fee },
    { kind: "platform_fee", account: "platform", amountMinor: fee },
    { kind: "processing_fee", account: merchantBearsProcessing ? "merchant" : "platform", amountMinor: -processing },
    { kind: "processing_fee", account: "processor", amountMinor: processing },
  ];
}

/** A refund reverses the customer's payment out of the merchant's share. */
export function refundLines(amountMinor: number): LedgerLine[] {
  return [
    { kind: "refund", account: "merchant", amountMinor: -amountMinor },
    { kind: "refund", account: "customer", amountMinor: amountMinor },
  ];
}

/**
 * A dispute: Stripe takes the disputed amount back out of the merchant's share and charges its
 * dispute fee, borne by whoever bears processing (the company; Parley for a solo).
 */
export function disputeLines(amountMinor: number, feeMinor: number, account: AccountType): LedgerLine[] {
  return [
    { kind: "dispute", account: "merchant", amountMinor: -amountMinor },
    { kind: "dispute", account: "customer", amountMinor: amountMinor },
    { kind: "dispute_fee", account: account === "company" ? "merchant" : "platform", amountMinor: -feeMinor },
    { kind: "dispute_fee", account: "processor", amountMinor: feeMinor },
  ];
}

/** What a solo agent is owed from one charge: the amount less Parley's 20 %. */
export const soloPayoutMinor = (amountMinor: number) => amountMinor - platformFeeMinor(amountMinor, "solo", "service");

/** The payout date: five business days (Monday to Friday) after the charge, in UTC. */
export function payoutDue(chargedAt: number): number {
  const d = new Date(chargedAt);
  let added = 0;
  while (added < 5) {
    d.setUTCDate(d.getUTCDate() + 1);
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6) added++;
  }
  return d.getTime();
}
