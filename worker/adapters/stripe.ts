import Stripe from "stripe";

export type StripeEnv = { STRIPE_SECRET_KEY?: string; STRIPE_API_BASE?: string };

/**
 * The Stripe client, or null when no key is configured. STRIPE_API_BASE points it at another
 * server that speaks Stripe's API (the fake under test/fakes for tests and the local demo).
 * Workers have no Node http: the fetch client and SubtleCrypto are used.
 */
export function stripeClient(env: StripeEnv): Stripe | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : null;
  return new Stripe(env.STRIPE_SECRET_KEY, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
          protocol: base.protocol === "https:" ? "https" : "http",
        }
      : {}),
  });
}

/** Test mode: test keys, or a fake Stripe. The customer page then offers test cards and says so. */
export const stripeTestMode = (env: StripeEnv) => !!env.STRIPE_API_BASE || !!env.STRIPE_SECRET_KEY?.startsWith("sk_test_");

export type PaymentElementEnv = StripeEnv & { STRIPE_PUBLISHABLE_KEY?: string; STRIPE_JS_URL?: string };

/** Where the customer's browser loads Stripe.js from. */
export const stripeJsUrl = (env: PaymentElementEnv) => env.STRIPE_JS_URL || "https://js.stripe.com/v3/";

/** Stripe.js and the publishable key for the Payment Element; null when no publishable key is set. */
export function paymentElementConfig(env: PaymentElementEnv): { publishableKey: string; jsUrl: string } | null {
  if (!env.STRIPE_PUBLISHABLE_KEY) return null;
  return { publishableKey: env.STRIPE_PUBLISHABLE_KEY, jsUrl: stripeJsUrl(env) };
}

/** How a customer enters a card: Stripe's Payment Element, test cards (test mode without a publishable key), or not at all (live keys without one). */
export type CardEntry = "payment_element" | "test_cards" | "not_configured";

export function cardEntry(env: PaymentElementEnv): CardEntry {
  if (paymentElementConfig(env)) return "payment_element";
  return stripeTestMode(env) ? "test_cards" : "not_configured";
}

export const webhookCrypto = Stripe.createSubtleCryptoProvider();

export { Stripe };
