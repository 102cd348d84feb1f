// The cards a customer picks from while Parley runs against test Stripe (no Payment Element):
// Stripe's test payment methods, which the card pages list and their routes accept.

/** Stripe's test payment methods the customer may pick while Parley runs against test Stripe. */
export const TEST_CARDS = [
  { id: "pm_card_visa", label: "Visa •••• 4242", hint: "authorises and pays" },
  { id: "pm_card_mastercard", label: "Mastercard •••• 4444", hint: "authorises and pays" },
  { id: "pm_card_authenticationRequiredOnSetup", label: "Visa •••• 3184", hint: "asks for 3-D Secure first" },
  { id: "pm_card_chargeDeclinedInsufficientFunds", label: "Visa •••• 9995", hint: "declined: insufficient funds" },
  { id: "pm_card_fake_insufficientFundsAfterFirstCharge", label: "Visa •••• 0341", hint: "authorises, later charges fail" },
] as const;

/** The test cards an invoice may be paid with (the one that only fails on a later charge is no use here). */
export const INVOICE_TEST_CARDS = TEST_CARDS.filter((card) => card.id !== "pm_card_fake_insufficientFundsAfterFirstCharge");

/** The card on file, offered again when the bank asks the customer to confirm a payment with it. */
export const SAVED_CARD = "saved";
