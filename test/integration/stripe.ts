import { exports } from "cloudflare:workers";
import { env } from "cloudflare:test";

// The fake Stripe as the tests see it: its API with the Worker's key (optionally on a connected
// account), and a company's Stripe account connected and ready, for tests of paid chats.

export const STRIPE = "http://stripe.fake";

export function stripeApi(path: string, init: RequestInit & { account?: string } = {}): Promise<Response> {
  const { account, ...rest } = init;
  return fetch(`${STRIPE}${path}`, {
    ...rest,
    headers: {
      authorization: "Bearer sk_test_parley_fake",
      "content-type": "application/x-www-form-urlencoded",
      ...(account ? { "stripe-account": account } : {}),
      ...rest.headers,
    },
  });
}

export async function stripeJson<T>(path: string, init: RequestInit & { account?: string } = {}): Promise<T> {
  const res = await stripeApi(path, init);
  if (!res.ok) throw new Error(`fake Stripe ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * What Stripe.js does with the card typed into the Payment Element, with the publishable key `pk`:
 * a PaymentMethod, then the PaymentIntent confirmed with its client secret.
 */
export async function stripeJsConfirm<T>(pk: string, clientSecret: string, account: string | null, cardNumber: string): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${pk}`, ...(account ? { "stripe-account": account } : {}) };
  const pm = await stripeJson<{ id: string }>("/v1/payment_methods", {
    method: "POST",
    headers,
    body: new URLSearchParams({ type: "card", "card[number]": cardNumber, "card[exp_month]": "12", "card[exp_year]": "34", "card[cvc]": "123" }),
  });
  const id = clientSecret.split("_secret_")[0];
  return stripeJson<T>(`/v1/payment_intents/${id}/confirm`, { method: "POST", headers, body: new URLSearchParams({ client_secret: clientSecret, payment_method: pm.id }) });
}

/**
 * Gives a company a Standard account on the fake that finished onboarding, and records it as
 * the Payments page would (its own tests go through that page). Returns the account id.
 */
export async function connectStripe(slug: string): Promise<string> {
  const account = await stripeJson<{ id: string }>("/v1/accounts", { method: "POST", body: `type=standard&metadata[company]=${slug}` });
  const done = await fetch(`${STRIPE}/_fake/accounts/${account.id}/complete_onboarding`, { method: "POST" });
  if (!done.ok) throw new Error(`fake Stripe onboarding: ${done.status}`);
  await env.DB.prepare("update companies set stripe_account_id = ?, stripe_account_ready = 1 where slug = ?").bind(account.id, slug).run();
  return account.id;
}

const WEBHOOK_SECRET = "whsec_parley_test";

/** Signs a body as Stripe does: t=…,v1=HMAC-SHA256(secret, "t.body") in hex. */
export async function signWebhook(body: string, secret = WEBHOOK_SECRET, t = Math.floor(Date.now() / 1000)): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`)));
  return `t=${t},v1=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export type FakeEvent = { id: string; type: string; created: number; data: { object: { id: string; customer?: string } } };

/** POSTs one event to the Worker's webhook endpoint, signed; the Worker's answer. */
export async function postWebhook(event: FakeEvent): Promise<{ received: boolean; duplicate: boolean }> {
  const body = JSON.stringify(event);
  const res = await exports.default.fetch(new Request("https://parley.test/webhooks/stripe", { method: "POST", body, headers: { "stripe-signature": await signWebhook(body), "content-type": "application/json" } }));
  if (res.status !== 200) throw new Error(`webhook ${event.type}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The fake's events about one billing customer, oldest first, as Stripe would deliver them. */
export async function customerEvents(customerId: string): Promise<FakeEvent[]> {
  const types = ["customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted", "invoice.paid", "invoice.payment_failed"];
  const list = await stripeJson<{ data: FakeEvent[] }>(`/v1/events?limit=100&${types.map((t) => `types[]=${t}`).join("&")}`);
  return list.data.filter((e) => e.data.object.customer === customerId).reverse();
}

/** Delivers every event about the customer not delivered by this call before (Stripe's webhooks, in order). */
export async function deliverCustomerEvents(customerId: string, seen = new Set<string>()): Promise<FakeEvent[]> {
  const fresh = (await customerEvents(customerId)).filter((e) => !seen.has(e.id));
  for (const event of fresh) {
    await postWebhook(event);
    seen.add(event.id);
  }
  return fresh;
}
