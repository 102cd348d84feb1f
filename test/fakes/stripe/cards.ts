// Stripe's test cards, by the PaymentMethod ids Stripe accepts in test mode (`pm_card_visa`…) and
// by card number (for `POST /v1/payment_methods` with `card[number]`, as Stripe.js would send).
// https://docs.stripe.com/testing. Each profile says how a charge on the card behaves.

export interface Decline {
  code: string;
  decline_code?: string;
  message: string;
}

export interface CardProfile {
  testId: string;
  number?: string;
  brand: "visa" | "mastercard" | "amex";
  funding: "credit" | "debit";
  country: string;
  /**
   * 3-D Secure: "none"; "always" (every payment needs the customer, so off-session ones fail
   * with authentication_required); "unless_setup" (needed on session, but once a payment with
   * setup_future_usage was authenticated the card works off-session).
   */
  authentication: "none" | "always" | "unless_setup";
  /** Charges fail with this decline (after authentication, if any). */
  decline?: Decline;
  /** Attaching the card to a customer already fails (Stripe validates the card on attach). */
  declineOnAttach?: boolean;
  /** Fake-only: the first N successful payments pass, later ones fail with `decline`. */
  declineAfterSuccesses?: number;
}

const generic: Decline = { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
export const INSUFFICIENT_FUNDS: Decline = {
  code: "card_declined",
  decline_code: "insufficient_funds",
  message: "Your card has insufficient funds.",
};
export const AUTHENTICATION_REQUIRED: Decline = {
  code: "authentication_required",
  decline_code: "authentication_required",
  message: "Your card was declined. This transaction requires authentication.",
};

const visa = { brand: "visa", funding: "credit", country: "US", authentication: "none" } as const;

export const TEST_CARDS: readonly CardProfile[] = [
  { ...visa, testId: "pm_card_visa", number: "4242424242424242" },
  { ...visa, testId: "pm_card_visa_debit", number: "4000056655665556", funding: "debit" },
  { ...visa, testId: "pm_card_mastercard", number: "5555555555554444", brand: "mastercard" },
  { ...visa, testId: "pm_card_amex", number: "378282246310005", brand: "amex" },
  { ...visa, testId: "pm_card_chargeDeclined", number: "4000000000000002", decline: generic, declineOnAttach: true },
  { ...visa, testId: "pm_card_chargeDeclinedInsufficientFunds", number: "4000000000009995", decline: INSUFFICIENT_FUNDS },
  {
    ...visa,
    testId: "pm_card_chargeDeclinedLostCard",
    number: "4000000000009987",
    decline: { code: "card_declined", decline_code: "lost_card", message: "Your card was declined." },
    declineOnAttach: true,
  },
  {
    ...visa,
    testId: "pm_card_chargeDeclinedStolenCard",
    number: "4000000000009979",
    decline: { code: "card_declined", decline_code: "stolen_card", message: "Your card was declined." },
    declineOnAttach: true,
  },
  {
    ...visa,
    testId: "pm_card_chargeDeclinedFraudulent",
    number: "4100000000000019",
    decline: { code: "card_declined", decline_code: "fraudulent", message: "Your card was declined." },
  },
  {
    ...visa,
    testId: "pm_card_chargeDeclinedExpiredCard",
    number: "4000000000000069",
    decline: { code: "expired_card", decline_code: "expired_card", message: "Your card has expired." },
    declineOnAttach: true,
  },
  {
    ...visa,
    testId: "pm_card_chargeDeclinedIncorrectCvc",
    number: "4000000000000127",
    decline: { code: "incorrect_cvc", decline_code: "incorrect_cvc", message: "Your card's security code is incorrect." },
    declineOnAttach: true,
  },
  {
    ...visa,
    testId: "pm_card_chargeDeclinedProcessingError",
    number: "4000000000000119",
    decline: { code: "processing_error", decline_code: "processing_error", message: "An error occurred while processing your card. Try again in a little bit." },
  },
  // Attaching succeeds, every charge fails: a saved card that stopped working.
  { ...visa, testId: "pm_card_chargeCustomerFail", number: "4000000000000341", decline: generic },
  { ...visa, testId: "pm_card_authenticationRequired", number: "4000002760003184", country: "DE", authentication: "always" },
  { ...visa, testId: "pm_card_threeDSecure2Required", number: "4000000000003220", authentication: "always" },
  { ...visa, testId: "pm_card_authenticationRequiredOnSetup", number: "4000002500003155", country: "IE", authentication: "unless_setup" },
  {
    ...visa,
    testId: "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds",
    number: "4000008260003178",
    country: "GB",
    authentication: "always",
    decline: INSUFFICIENT_FUNDS,
  },
  // Fake-only (Stripe has no such card): the first payment (the hold) succeeds, later ones are
  // declined for insufficient funds — the split-bill / final-charge failure of the product.
  { ...visa, testId: "pm_card_fake_insufficientFundsAfterFirstCharge", decline: INSUFFICIENT_FUNDS, declineAfterSuccesses: 1 },
];

export function cardByTestId(id: string): CardProfile | undefined {
  return TEST_CARDS.find((card) => card.testId === id);
}

export function cardByNumber(number: string): CardProfile | undefined {
  return TEST_CARDS.find((card) => card.number === number);
}

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
