import { describe, expect, it } from "vitest";
import { cardEntry, stripeTestMode } from "../../worker/adapters/stripe";
import type { Invoice, InvoicesView } from "../../worker/live/chat-views";
import { invoicePanel } from "../../views/live/InvoiceFragments";

// How the customer enters a card for Pay Now, by what the server is configured with.

const invoice: Invoice = {
  n: 1,
  terms: { kind: "service", description: "30-minute consultation", amountMinor: 5000, currency: "EUR", durationSeconds: 1800 },
  account: "company",
  merchant: { stripeAccount: "acct_1" },
  status: "open",
  paymentIntentId: null,
  attempts: 0,
  authenticating: false,
  lastError: null,
  paidAt: null,
  recorded: false,
  clock: null,
  repeatOf: null,
};

const customerPanel = (env: Parameters<typeof cardEntry>[0]) => {
  const view: InvoicesView = {
    chatId: "c1",
    party: "customer",
    live: true,
    testMode: stripeTestMode(env),
    cardEntry: cardEntry(env),
    customerName: "Carla",
    customerEmail: null,
    latest: invoice,
    remainingSeconds: null,
    paidTotals: [],
    form: null,
  };
  return invoicePanel("c1", view);
};

describe("Pay Now's card entry", () => {
  it("links to the Payment Element page whenever a publishable key is set, live or test", () => {
    expect(cardEntry({ STRIPE_SECRET_KEY: "sk_live_x", STRIPE_PUBLISHABLE_KEY: "pk_live_x" })).toBe("payment_element");
    expect(cardEntry({ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_PUBLISHABLE_KEY: "pk_test_x" })).toBe("payment_element");
    const html = customerPanel({ STRIPE_SECRET_KEY: "sk_live_x", STRIPE_PUBLISHABLE_KEY: "pk_live_x" });
    expect(html).toContain('href="/chats/c1/invoices/1/pay"');
    expect(html).toContain("Pay Now · EUR 50.00");
    expect(html).not.toContain("pm_card_visa");
  });

  it("offers Stripe's test cards in test mode without a publishable key", () => {
    expect(cardEntry({ STRIPE_SECRET_KEY: "sk_test_x" })).toBe("test_cards");
    const html = customerPanel({ STRIPE_SECRET_KEY: "sk_test_x" });
    expect(html).toContain('value="pm_card_visa"');
    expect(html).toContain("Test mode");
  });

  it("says card entry is not configured with live keys and no publishable key", () => {
    expect(cardEntry({ STRIPE_SECRET_KEY: "sk_live_x" })).toBe("not_configured");
    const html = customerPanel({ STRIPE_SECRET_KEY: "sk_live_x" });
    expect(html).toContain("Card entry is not configured on this server");
    expect(html).not.toContain("Pay Now");
    expect(html).not.toContain("pm_card_visa");
  });
});
