// Where a chat's money stands: what the Revenue page, its CSV and the customer's receipt say about
// a chat. Pure: derived from the chat's price (chats.amount_minor), its charge rows and its
// refunds, so every screen that shows a chat's money says the same thing.

export const PAYMENT_STATES = ["paid", "part_paid", "payment_needed", "abandoned", "refunded", "part_refunded", "disputed"] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const PAYMENT_STATE_LABELS: Record<PaymentState, string> = {
  paid: "Paid",
  part_paid: "Part paid",
  payment_needed: "Payment needed",
  abandoned: "Abandoned",
  refunded: "Refunded",
  part_refunded: "Part refunded",
  disputed: "Disputed",
};

/**
 * A charge row's state. succeeded/refunded/disputed: money taken (a refund or a dispute does not
 * undo the charge, it adds lines that take money back). failed: the card refused it and nobody
 * has paid it since. pending: a card is authorised for it, not yet captured. abandoned: never to
 * be collected (below the minimum, or given up).
 */
export const CHARGE_STATUSES = ["pending", "succeeded", "failed", "abandoned", "refunded", "disputed"] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

/** The failure code of an uncollected rest that was below the card minimum, not given up. */
export const BELOW_MINIMUM = "below_minimum";

/** The failure code of a card that Stripe refuses as a request (not as a decline): it cannot be used for this payment. */
export const CARD_NOT_USABLE = "card_not_usable";

/** A card as a receipt names it: "visa", "4242". */
export type CardLabel = { brand: string; last4: string };

/** One charge row of a chat (D1 `charges`), as far as its money goes. */
export type ChargeFact = {
  status: ChargeStatus;
  amountMinor: number;
  failureCode: string | null;
};

export type PaymentFacts = {
  /** What the chat costs: the meter's amount (so far, or final), or its paid invoices. */
  amountMinor: number;
  charges: ChargeFact[];
  /** Everything given back to the customer for this chat. */
  refundedMinor: number;
};

export type Standing = {
  state: PaymentState;
  paidMinor: number;
  /** Owed and still to be collected. */
  outstandingMinor: number;
  /** Owed, and given up by the agent ("Hang up anyway"). */
  abandonedMinor: number;
  /** Owed, but below the card's minimum charge: never asked for. */
  notChargedMinor: number;
  refundedMinor: number;
  /** Why the card failed, while payment is needed. */
  failureCode: string | null;
};

const sum = (charges: ChargeFact[]) => charges.reduce((t, c) => t + c.amountMinor, 0);
const TAKEN: ChargeStatus[] = ["succeeded", "refunded", "disputed"];

/**
 * A card holder's dispute is the last word on a chat (their bank took the money back); then a
 * refund; then a fee the agent gave up; then a card that failed and has not been replaced; then
 * money still to come; else everything owed is paid. A rest below the card minimum is not owed: a
 * chat that paid all but that is paid.
 */
export function standing(facts: PaymentFacts): Standing {
  const paidMinor = sum(facts.charges.filter((c) => TAKEN.includes(c.status)));
  const uncollected = facts.charges.filter((c) => c.status === "abandoned");
  const notChargedMinor = sum(uncollected.filter((c) => c.failureCode === BELOW_MINIMUM));
  const abandonedMinor = sum(uncollected.filter((c) => c.failureCode !== BELOW_MINIMUM));
  const outstandingMinor = Math.max(0, facts.amountMinor - paidMinor - abandonedMinor - notChargedMinor);
  const failed = facts.charges.find((c) => c.status === "failed");
  const disputed = facts.charges.some((c) => c.status === "disputed");
  const state = stateOf({ disputed, refundedMinor: facts.refundedMinor, paidMinor, abandonedMinor, failed: !!failed, outstandingMinor });
  return { state, paidMinor, outstandingMinor, abandonedMinor, notChargedMinor, refundedMinor: facts.refundedMinor, failureCode: state === "payment_needed" ? (failed?.failureCode ?? null) : null };
}

function stateOf(s: { disputed: boolean; refundedMinor: number; paidMinor: number; abandonedMinor: number; failed: boolean; outstandingMinor: number }): PaymentState {
  if (s.disputed) return "disputed";
  if (s.refundedMinor > 0) return s.refundedMinor >= s.paidMinor ? "refunded" : "part_refunded";
  if (s.abandonedMinor > 0) return "abandoned";
  if (s.failed) return "payment_needed";
  return s.outstandingMinor > 0 ? "part_paid" : "paid";
}

/** Whether a chat has anything to show on the Revenue page: money paid, owed or given up, or a card to replace. */
export const hasMoney = (s: Standing) => s.paidMinor > 0 || s.outstandingMinor > 0 || s.abandonedMinor > 0 || s.state === "payment_needed";
