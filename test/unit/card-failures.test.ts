import { describe, expect, it } from "vitest";
import { CARD_NOT_USABLE, cardFailureText, failedBecause, tryAnotherCard } from "../../worker/billing/card-failures";
import { INVOICE_TEST_CARDS, TEST_CARDS } from "../../worker/billing/test-cards";

describe("why a card failed, in words", () => {
  it("tells the agent the reason for the usual codes, and that the card was declined otherwise", () => {
    expect(failedBecause("insufficient_funds")).toBe("insufficient funds");
    expect(failedBecause("authentication_required")).toBe("the bank asks the customer to confirm the payment (3-D Secure)");
    expect(failedBecause("expired_card")).toBe("the card has expired");
    expect(failedBecause(CARD_NOT_USABLE)).toBe("Stripe refused the card for this payment");
    expect(failedBecause("do_not_honor")).toBe("the card was declined");
    expect(failedBecause(null)).toBe("the card was declined");
  });

  it("tells the customer the reason in our words for the usual codes, whatever Stripe said", () => {
    expect(cardFailureText({ failureCode: "insufficient_funds", lastError: "Your card has insufficient funds." })).toBe("Your card could not be charged: there are not enough funds.");
    expect(cardFailureText({ failureCode: "authentication_required", lastError: null })).toBe("Your card could not be charged: your bank asks you to confirm the payment.");
    expect(cardFailureText({ failureCode: CARD_NOT_USABLE, lastError: null })).toBe("Your card could not be charged: it cannot be used for this payment.");
  });

  it("gives the customer Stripe's own sentence for other codes, and says declined when there is none", () => {
    expect(cardFailureText({ failureCode: "do_not_honor", lastError: "Your card was declined." })).toBe("Your card could not be charged. Your card was declined.");
    expect(cardFailureText({ failureCode: null, lastError: null })).toBe("Your card could not be charged: it was declined.");
  });

  it("asks for another card after Stripe's sentence", () => {
    expect(tryAnotherCard("Your card has insufficient funds.")).toBe("Your card has insufficient funds. Please try another card.");
  });
});

describe("test cards", () => {
  it("offers every test card for a chat's hold, and for an invoice all but the one that fails only on a later charge", () => {
    expect(TEST_CARDS.map((card) => card.id)).toContain("pm_card_fake_insufficientFundsAfterFirstCharge");
    expect(INVOICE_TEST_CARDS.map((card) => card.id)).toEqual(TEST_CARDS.map((card) => card.id).filter((id) => id !== "pm_card_fake_insufficientFundsAfterFirstCharge"));
  });
});
