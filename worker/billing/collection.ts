// What to do next about the money of an automatically charged chat, as pure data: split bills
// during the chat, the final charge, a card that failed, the agent giving up an unpaid fee. The
// caller writes the step to storage, makes its one Stripe call, records the outcome and asks again,
// so a crash anywhere resumes from the stored step with the same idempotency key.

/** A hold (a manual-capture PaymentIntent) on the customer's card. */
export type Hold = {
  /** Numbers a chat's holds; hold n is captured as charge n (keys `chat:{id}:hold:{n}`, `chat:{id}:charge:{n}`). */
  n: number;
  paymentIntentId: string | null;
  amountMinor: number;
  /** False after a decline or while 3-D Secure is pending: the customer must give a card for it. */
  authorised: boolean;
  /** Cards the customer tried on this hold's PaymentIntent. */
  attempts: number;
};

export type Step =
  /** Take money from a hold; Stripe releases the rest of it. */
  | { kind: "capture"; n: number; paymentIntentId: string; amountMinor: number }
  /** Hold the next amount off-session on the saved card. */
  | { kind: "hold"; n: number; amountMinor: number }
  /** Let a hold go (nothing more to take from it). */
  | { kind: "release"; n: number; paymentIntentId: string };

export type Next = Step | { kind: "wait" } | { kind: "done"; uncollectedMinor: number };

export type Situation = {
  /** During the chat (a meter tick) or after it ended (the final amount is fixed). */
  moment: "tick" | "end";
  /** Owed by the meter and not yet paid. */
  unpaidMinor: number;
  /** Split bills: charge once this much is unpaid; null: only at the end. */
  thresholdMinor: number | null;
  /** Stripe's minimum charge in the currency. */
  minimumMinor: number;
  hold: Hold | null;
  nextHoldN: number;
  /** What each hold during the chat asks for (the customer agreed to it). */
  holdMinor: number;
  /** The agent hung up anyway: let the hold go and collect nothing more. */
  abandon: boolean;
};

/**
 * What is due now: at a tick the unpaid part once it reaches the threshold, at the end all of it,
 * and nothing below Stripe's minimum — that stays unpaid and is carried to the next charge.
 */
export function dueMinor(s: Pick<Situation, "moment" | "unpaidMinor" | "thresholdMinor" | "minimumMinor">): number {
  if (s.unpaidMinor <= 0 || s.unpaidMinor < s.minimumMinor) return 0;
  if (s.moment === "end") return s.unpaidMinor;
  return s.thresholdMinor !== null && s.unpaidMinor >= s.thresholdMinor ? s.unpaidMinor : 0;
}

/**
 * The next Stripe call, or "wait" (nothing due, or a card is awaited from the customer), or "done"
 * (the end: whatever is still unpaid is not collected — below the minimum, or abandoned).
 */
export function nextStep(s: Situation): Next {
  const due = s.abandon ? 0 : dueMinor(s);
  const { hold } = s;
  if (s.abandon || (s.moment === "end" && due === 0)) {
    if (hold?.paymentIntentId) return { kind: "release", n: hold.n, paymentIntentId: hold.paymentIntentId };
    return { kind: "done", uncollectedMinor: Math.max(0, s.unpaidMinor) };
  }
  // The last hold was captured (or lapsed): the next one keeps the chat covered; at the end it
  // asks for exactly what is still owed.
  if (!hold) return { kind: "hold", n: s.nextHoldN, amountMinor: s.moment === "end" ? due : s.holdMinor };
  if (!hold.authorised || !hold.paymentIntentId || due === 0) return { kind: "wait" };
  return { kind: "capture", n: hold.n, paymentIntentId: hold.paymentIntentId, amountMinor: Math.min(due, hold.amountMinor) };
}
