// A stateful fake of the parts of Stripe's HTTP API that Parley uses, so tests and the local demo
// never reach the internet. It speaks Stripe's wire format (form-encoded requests with bracket
// notation, JSON objects and error envelopes, idempotency keys, the Stripe-Account header) and
// Stripe's test cards (pm_card_visa, pm_card_chargeDeclinedInsufficientFunds,
// pm_card_authenticationRequired…). It is a pure fetch handler — standard Request/Response and
// WebCrypto only — so it runs in Node, in workerd, or as a Miniflare outbound service:
//
//   const fake = createFakeStripe();
//   const stripe = new Stripe("sk_test_fake", { httpClient: Stripe.createFetchHttpClient(fake.fetch),
//                                               host: "localhost", port: 12111, protocol: "http" });
//
// What it does not do, and where it knowingly differs from Stripe, is listed in
// test/fakes/stripe/README.md.
import { cardByTestId, type Decline } from "./stripe/cards";
import type { FakeStripeControls, Interruption, PaymentMethodOutcome } from "./stripe/controls";
import { completeCheckout, renewSubscription } from "./stripe/resources/billing";
import { settleCharges } from "./stripe/resources/charges";
import { completeOnboarding } from "./stripe/resources/connect";
import { createDispute } from "./stripe/resources/disputes";
import { completeAuthentication, expireAuthorization, failAuthentication } from "./stripe/resources/payment-intents";
import { CORS_HEADERS, createRouter } from "./stripe/router";
import { Store } from "./stripe/store";
import { handleTestRoute } from "./stripe/test-pages";
import { stripeJs } from "./stripe/stripe-js";
import type { StripeEvent } from "./stripe/types";
import { signEvent, WebhookDispatcher, type FetchLike, type WebhookEndpoint } from "./stripe/webhooks";

export type { FakeStripeControls as FakeStripe, PaymentMethodOutcome } from "./stripe/controls";
export type { FakeStripeState } from "./stripe/store";
export type * from "./stripe/types";
export type { SignedWebhook, WebhookEndpoint, FetchLike } from "./stripe/webhooks";
export { TEST_CARDS } from "./stripe/cards";
export { signPayload } from "./stripe/webhooks";

/** The API version the fake reports (stripe-node 23's pinned version). */
export const FAKE_STRIPE_API_VERSION = "2026-10-28.endive";
export const DEFAULT_WEBHOOK_SECRET = "whsec_fake_parley";

export interface FakeStripeOptions {
  /** Accept only this secret key (default: any sk_test_… or rk_test_…). */
  apiKey?: string;
  /** Origin used in URLs the fake hands out (3-D Secure, onboarding, receipts); default: each request's origin. */
  publicUrl?: string;
  /** Clock in milliseconds (default Date.now), for `created` and webhook timestamps. */
  now?: () => number;
  apiVersion?: string;
  /**
   * Refuse direct charges on connected accounts that have not completed onboarding, and
   * destination charges / transfers to accounts without the transfers capability, as Stripe
   * does (default true). Tests call `completeOnboarding(accountId)` first.
   */
  strictConnect?: boolean;
  /** Endpoints that receive every event automatically, like a Stripe webhook endpoint. */
  webhooks?: WebhookEndpoint[];
  /** Default secret for signedWebhook()/deliverTo() when none is given. */
  webhookSecret?: string;
  /** How webhook deliveries reach their URL (default: global fetch). */
  fetch?: FetchLike;
}

function declineFor(outcome: string): Decline {
  const known = [...["pm_card_chargeDeclined", "pm_card_chargeDeclinedInsufficientFunds", "pm_card_chargeDeclinedLostCard", "pm_card_chargeDeclinedStolenCard",
    "pm_card_chargeDeclinedFraudulent", "pm_card_chargeDeclinedExpiredCard", "pm_card_chargeDeclinedIncorrectCvc", "pm_card_chargeDeclinedProcessingError"]]
    .map((id) => cardByTestId(id)?.decline)
    .find((decline) => decline && (decline.decline_code === outcome || decline.code === outcome));
  return known ?? { code: "card_declined", decline_code: outcome, message: "Your card was declined." };
}

export function createFakeStripe(options: FakeStripeOptions = {}): FakeStripeControls {
  const apiVersion = options.apiVersion ?? FAKE_STRIPE_API_VERSION;
  const now = options.now ?? (() => Date.now());
  const store = new Store({ now, apiVersion });
  const dispatcher = new WebhookDispatcher(store, options.fetch);
  for (const endpoint of options.webhooks ?? []) dispatcher.endpoints.push(endpoint);
  store.onEvent = (event) => dispatcher.schedule(event);
  store.webhookEndpointCount = () => dispatcher.endpoints.length;
  const route = createRouter(store, { apiKey: options.apiKey, publicUrl: options.publicUrl, apiVersion, strictConnect: options.strictConnect ?? true });
  const secretOf = (secret?: string) => secret ?? options.webhookSecret ?? options.webhooks?.[0]?.secret ?? DEFAULT_WEBHOOK_SECRET;

  const interruptions: Interruption[] = [];
  const fake: FakeStripeControls = {
    state: store.state,
    store,

    async fetch(input, init) {
      const request = input instanceof Request && !init ? input : new Request(input instanceof URL ? input.toString() : input, init);
      if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS_HEADERS });
      const path = new URL(request.url).pathname;
      if (path.startsWith("/_fake/")) return handleTestRoute(request, fake);
      // The stand-in of Stripe.js (https://js.stripe.com/v3/) that talks to this fake.
      if (request.method === "GET" && (path === "/v3/" || path === "/v3"))
        return new Response(stripeJs(options.publicUrl ?? new URL(request.url).origin), { headers: { "Content-Type": "text/javascript; charset=utf-8", ...CORS_HEADERS } });
      const cut = interruptions.find((rule) => rule.method === request.method && new RegExp(rule.path).test(path));
      if (!cut) return route(request);
      // The connection drops: before the request reaches Stripe, or after Stripe did the work.
      if (cut.when === "after") await route(request);
      throw new TypeError(`fake Stripe: connection lost ${cut.when} ${request.method} ${path} (a test's interruption)`);
    },

    reset() {
      store.reset();
      dispatcher.reset();
      interruptions.length = 0;
    },

    interrupt(rule) {
      interruptions.push({ method: rule.method ?? "POST", path: rule.path, when: rule.when });
    },
    clearInterruptions() {
      interruptions.length = 0;
    },

    completeAuthentication: (id) => completeAuthentication(store, id),
    failAuthentication: (id) => failAuthentication(store, id),
    expireAuthorization: (id) => expireAuthorization(store, id),
    completeOnboarding: (id) => completeOnboarding(store, id),
    failTransfers(accountId, code) {
      if (code === null) store.transferFailures.delete(accountId);
      else store.transferFailures.set(accountId, code);
    },
    createDispute: (id, opts) => createDispute(store, id, opts),
    deferBalanceTransactions(defer) {
      store.deferBalanceTransactions = defer;
    },
    settleCharges: () => settleCharges(store),
    completeCheckout: (id, card = "pm_card_visa") => completeCheckout(store, id, card),
    renewSubscription: (id, outcome = "paid") => renewSubscription(store, id, outcome),

    setPaymentMethodOutcome(id: string, outcome: PaymentMethodOutcome | null) {
      const internals = store.paymentMethodInternals.get(id);
      if (!internals) throw new Error(`fake Stripe: no PaymentMethod ${id}`);
      if (outcome === null) delete internals.override;
      else if (typeof outcome === "object") internals.override = outcome;
      else if (outcome === "succeeds" || outcome === "authentication_required") internals.override = outcome as "succeeds" | "authentication_required";
      else internals.override = declineFor(outcome);
    },

    events: (type) => store.state.events.filter((e) => !type || e.type === type),
    lastEvent(type) {
      const events = fake.events(type);
      return events[events.length - 1];
    },

    async signedWebhook(event: StripeEvent | string, secret?: string, timestamp?: number) {
      const found = typeof event === "string" ? store.state.events.find((e) => e.id === event) : event;
      if (!found) throw new Error(`fake Stripe: no event ${String(event)}`);
      return signEvent(found, secretOf(secret), timestamp ?? Math.floor(now() / 1000));
    },

    addWebhookEndpoint(endpoint) {
      if (!dispatcher.endpoints.some((e) => e.url === endpoint.url)) dispatcher.endpoints.push(endpoint);
    },
    webhookEndpoints: () => [...dispatcher.endpoints],
    deliverTo(url, opts = {}) {
      const types = opts.types;
      return dispatcher.deliverPending({ url, secret: secretOf(opts.secret), fetch: opts.fetch }, (e) => !types || types.includes(e.type));
    },
    flushWebhooks: () => dispatcher.flush(),
  };
  return fake;
}
