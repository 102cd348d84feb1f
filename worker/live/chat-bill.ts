import type { Hold, Step } from "../billing/collection";
import type { PricingScheme } from "../billing/meter";
import { BELOW_MINIMUM, standing, type Standing } from "../billing/payment-state";
import type { Merchant } from "../billing/connect";
import type { CardLabel } from "../billing/payment-state";
import type { Taximeter } from "../billing/taximeter";

// A chat's automatic charges as its ChatDO keeps them (durable-objects/chat/billing.ts does the
// charging), and the bill its pages show: shared by the object and the views.

export type BillingConfig = {
  scheme: PricingScheme;
  holdMinor: number;
  /** The room gives the agent a Start/Resume button: the meter waits for it. */
  agentStarts: boolean;
  agentPauses: boolean;
  account: "solo" | "company";
  merchant: Merchant;
};

/** Who is paid and who is told, for the records written when a chat is charged. */
export type RevenueParties = { companyId: string; agentId: string | null; customerEmail: string | null };

export type BillingPhase =
  /** Before the chat: no card authorised yet. */
  | "authorising"
  /** A hold covers the chat. */
  | "authorised"
  /** A hold failed off-session (declined, authentication required): the customer is asked for another card on it. */
  | "payment_needed"
  /** The end: everything owed is paid, or nothing was owed, or the rest is below Stripe's minimum. */
  | "settled"
  /** The agent hung up anyway: the unpaid fee is recorded as abandoned. */
  | "abandoned";

/** A charge taken from the customer's card: the split bills and the final charge, in order. */
export type ChargeTaken = { n: number; amountMinor: number; at: number };

export type Billing = {
  config: BillingConfig;
  phase: BillingPhase;
  customerId: string | null;
  /** The card saved for off-session holds: the last one the customer authorised. */
  cardId: string | null;
  /** That card as the receipt names it (absent: chats stored before it was kept, or Stripe did not say). */
  card?: CardLabel | null;
  /** The current hold: authorised, or waiting for the customer's card. */
  hold: Hold | null;
  nextHoldN: number;
  /** The Stripe call in flight: written before it is made, cleared once its outcome is recorded. */
  step: Step | null;
  lastError: string | null;
  failureCode: string | null;
  meter: Taximeter | null;
  /** Fixed when the chat ends (or the agent gives up the fee), before anything is captured; `at` is absent in chats stored before it was kept. */
  final: { amountMinor: number; seconds: number; at?: number } | null;
  chargedMinor: number;
  /** What `chargedMinor` is made of (absent: chats stored before it was kept). */
  charges?: ChargeTaken[];
  /** The agent pressed "Hang up anyway". */
  abandon: boolean;
  /** At the end: owed but not charged (below the minimum, or abandoned). */
  uncollectedMinor: number;
};

/** `paused`: running, but a party is offline, so nothing is counted now. */
export type MeterView = { chargeableSeconds: number; accruedMinor: number; paidMinor: number; running: boolean; paused: boolean; ended: boolean; currency: string };

export const newBilling = (config: BillingConfig): Billing => ({
  config,
  phase: "authorising",
  customerId: null,
  cardId: null,
  hold: null,
  nextHoldN: 0,
  step: null,
  lastError: null,
  failureCode: null,
  meter: null,
  final: null,
  chargedMinor: 0,
  charges: [],
  abandon: false,
  uncollectedMinor: 0,
});

/** What both parties' end screens show once the chat's amount is fixed: the customer's receipt, the agent's summary. */
export type Bill = {
  seconds: number;
  amountMinor: number;
  charges: ChargeTaken[];
  /** Where the money stands, by the Revenue page's rules. */
  standing: Standing;
  card: CardLabel | null;
  /** When the amount was fixed, if known. */
  at: number | null;
};

/**
 * The bill of an ended chat, from the billing state alone: the charges taken, the hold the
 * customer is asked to replace (payment needed), and what was left uncollected at the end.
 */
export function billOf(b: Billing): Bill | null {
  if (!b.final) return null;
  const taken = b.charges ?? (b.chargedMinor > 0 ? [{ n: 0, amountMinor: b.chargedMinor, at: b.final.at ?? 0 }] : []);
  const facts = standing({
    amountMinor: b.final.amountMinor,
    charges: [
      ...taken.map((c) => ({ status: "succeeded" as const, amountMinor: c.amountMinor, failureCode: null })),
      ...(b.phase === "payment_needed" ? [{ status: "failed" as const, amountMinor: b.hold?.amountMinor ?? 0, failureCode: b.failureCode }] : []),
      ...(b.uncollectedMinor > 0 ? [{ status: "abandoned" as const, amountMinor: b.uncollectedMinor, failureCode: b.abandon ? (b.failureCode ?? "abandoned") : BELOW_MINIMUM }] : []),
    ],
    refundedMinor: 0,
  });
  return { seconds: b.final.seconds, amountMinor: b.final.amountMinor, charges: taken, standing: facts, card: b.card ?? null, at: b.final.at ?? null };
}
