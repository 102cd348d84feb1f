// The fake's public surface (implemented in ../stripe.ts); a separate module so that the
// /_fake/ routes can use it without an import cycle.
import type { Decline } from "./cards";
import type { FakeStripeState, Store } from "./store";
import type { Account, Charge, CheckoutSession, DeliveryRecord, Dispute, PaymentIntent, StripeEvent, Subscription } from "./types";
import type { FetchLike, SignedWebhook, WebhookEndpoint } from "./webhooks";

/**
 * A dropped connection to Stripe for requests whose path matches `path` (a regular expression):
 * "before" the request reaches Stripe, or "after" Stripe did the work (its idempotent result is
 * stored) and before the answer arrives. Lasts until cleared, so client retries fail too.
 */
export type Interruption = { method: string; path: string; when: "before" | "after" };

export type PaymentMethodOutcome = "succeeds" | "authentication_required" | Decline | (string & {});

export interface FakeStripeControls {
  /** Answers one HTTP request the way api.stripe.com would. Usable as a fetch function. */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** Everything the fake holds (maps by id, plus events, requests and webhook deliveries). */
  readonly state: FakeStripeState;
  /** Internals, for advanced tests. */
  readonly store: Store;
  /** Forgets everything (state, idempotency keys, webhook bookkeeping); endpoints stay registered. */
  reset(): void;

  /** The customer passes 3-D Secure on a PaymentIntent in requires_action. */
  completeAuthentication(paymentIntentId: string): PaymentIntent;
  /** The customer fails 3-D Secure: requires_payment_method with payment_intent_authentication_failure. */
  failAuthentication(paymentIntentId: string): PaymentIntent;
  /** A manual-capture hold lapses (Stripe's 7-day window): canceled, reason "automatic". */
  expireAuthorization(paymentIntentId: string): PaymentIntent;
  /** Finishes Connect onboarding: charges and payouts enabled, capabilities active, account.updated. */
  completeOnboarding(accountId: string): Account;
  /**
   * Changes how future payments on a saved card turn out: "succeeds", "authentication_required",
   * a decline code ("insufficient_funds", "generic_decline", "expired_card"…) or a full Decline.
   */
  setPaymentMethodOutcome(paymentMethodId: string, outcome: PaymentMethodOutcome | null): void;
  /**
   * Refuses every later transfer to the account with a 400 and this error code
   * ("balance_insufficient": the platform's available balance is too low; "account_invalid"…);
   * null makes transfers to it succeed again.
   */
  failTransfers(accountId: string, code: string | null): void;
  /** Drops the connection for matching requests (as if the caller crashed or the network failed) until cleared. */
  interrupt(rule: { method?: string; path: string; when: "before" | "after" }): void;
  clearInterruptions(): void;
  /** The card holder disputes a captured charge: the amount and a dispute fee leave the balance, charge.dispute.created. */
  createDispute(chargeId: string, options?: { reason?: string; amount?: number }): Dispute;
  /**
   * From now on (true) captures leave `balance_transaction` null until `settleCharges()`, as
   * Stripe does when it settles a charge after answering; false makes them at once again.
   */
  deferBalanceTransactions(defer: boolean): void;
  /** Gives every captured charge without one its balance transaction and sends charge.updated. */
  settleCharges(): Charge[];
  /**
   * The customer pays on Checkout's hosted page with a test card (`pm_card_visa`…): the
   * subscription starts active and its first invoice is paid. A declining card leaves the
   * session open and answers the decline message.
   */
  completeCheckout(sessionId: string, card?: string): { session: CheckoutSession; declined: string | null };
  /**
   * The subscription's period ends: it ends if set to cancel at period end; otherwise the next
   * invoice is paid, or declined ("failed": past_due, invoice.payment_failed). On a past_due
   * subscription the open invoice is retried instead.
   */
  renewSubscription(subscriptionId: string, outcome?: "paid" | "failed"): Subscription;

  /** Events so far, oldest first, optionally of one type. */
  events(type?: string): StripeEvent[];
  lastEvent(type?: string): StripeEvent | undefined;
  /** The event as Stripe would POST it, with a valid `Stripe-Signature` header value. */
  signedWebhook(event: StripeEvent | string, secret?: string, timestamp?: number): Promise<SignedWebhook>;
  /** Registers an endpoint that receives every later event automatically, after each response. */
  addWebhookEndpoint(endpoint: WebhookEndpoint): void;
  webhookEndpoints(): WebhookEndpoint[];
  /** POSTs every event not yet delivered to `url` (oldest first) and reports each attempt. */
  deliverTo(url: string, options?: { secret?: string; fetch?: FetchLike; types?: string[] }): Promise<DeliveryRecord[]>;
  /** Waits for the automatic deliveries queued so far. */
  flushWebhooks(): Promise<void>;
}
