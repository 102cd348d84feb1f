// Why a customer's card failed, in words: the agent's and the customer's for the usual Stripe
// codes, and Stripe's own sentence otherwise. Pure: the chat and invoice screens and the card
// pages all say it the same way.

/** What a card that Stripe refuses as a request (not as a decline) is called among the failure codes. */
export const CARD_NOT_USABLE = "card_not_usable";

/** Why a card failed, for the usual Stripe codes: in the agent's words, and to the customer. */
const CARD_FAILURES = new Map<string, { agent: string; customer: string }>([
  ["insufficient_funds", { agent: "insufficient funds", customer: "there are not enough funds" }],
  ["authentication_required", { agent: "the bank asks the customer to confirm the payment (3-D Secure)", customer: "your bank asks you to confirm the payment" }],
  ["expired_card", { agent: "the card has expired", customer: "the card has expired" }],
  [CARD_NOT_USABLE, { agent: "Stripe refused the card for this payment", customer: "it cannot be used for this payment" }],
]);
const cardFailure = (code: string | null) => (code ? CARD_FAILURES.get(code) : undefined);

/** The reason told to the agent: "insufficient funds". */
export const failedBecause = (code: string | null) => cardFailure(code)?.agent ?? "the card was declined";

/**
 * Why the customer's card failed, said to the customer: the reason in our words for the usual
 * codes, else Stripe's own sentence after ours (it starts "Your card…" itself).
 */
export function cardFailureText(failure: { failureCode: string | null; lastError: string | null }): string {
  const reason = cardFailure(failure.failureCode)?.customer;
  if (reason) return `Your card could not be charged: ${reason}.`;
  return failure.lastError ? `Your card could not be charged. ${failure.lastError}` : "Your card could not be charged: it was declined.";
}

/** Stripe's sentence for a declined card, and what the customer does next: "Your card has insufficient funds. Please try another card." */
export const tryAnotherCard = (declined: string) => `${declined} Please try another card.`;
