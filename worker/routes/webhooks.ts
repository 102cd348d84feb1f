import { Hono } from "hono";
import { openDb } from "../stores/db";
import { stripeClient, webhookCrypto } from "../adapters/stripe";
import type { AppEnv } from "../app-env";
import { applyStripeEvent } from "../stores/stripe-events";
import { AppError } from "../http/errors";
import { correctFeesOnChargeEvent } from "../jobs/fee-corrections";
import { chatObject } from "../live/stubs";
import { applyPlanEvent, PLAN_EVENTS } from "../jobs/plan-subscriptions";

// Stripe's webhooks: the raw body is verified with the endpoint secret (SubtleCrypto), then the
// event is applied once; a charge's settled fees correct the ledger (idempotent, so also on a
// repeat); a plan subscription's events set the company's plan. A bad signature is refused with 400 and changes nothing.
export const webhookRoutes = new Hono<AppEnv>().post("/stripe", async (c) => {
  const stripe = stripeClient(c.env);
  const secret = c.env.STRIPE_WEBHOOK_SECRET;
  if (!stripe || !secret) throw new AppError("not_found", "Stripe webhooks are not configured on this server.");
  const signature = c.req.header("stripe-signature");
  if (!signature) throw new AppError("bad_request", "Missing Stripe-Signature header.");
  const body = await c.req.text();
  let event;
  try {
    event = await stripe.webhooks.constructEventAsync(body, signature, secret, undefined, webhookCrypto);
  } catch {
    throw new AppError("bad_request", "The webhook signature does not match.");
  }
  const db = openDb(c.env.DB);
  // Before the event is marked seen, so that a failure here has Stripe deliver it again.
  await correctFeesOnChargeEvent(db, stripe, event);
  // A company's plan subscription (Stripe Billing on Parley's own account).
  if (PLAN_EVENTS.has(event.type) && !event.account) return c.json({ received: true, duplicate: !(await applyPlanEvent(c.env, db, stripe, event, Date.now())) });
  const applied = await applyStripeEvent(db, event);
  // A paid invoice the chat has not heard of (the customer left during 3-D Secure): the chat
  // asks Stripe and records it, once, under the invoice's own ids.
  if (applied && event.type === "payment_intent.succeeded") {
    const { chat_id: chatId, invoice } = event.data.object.metadata ?? {};
    if (chatId && invoice) await chatObject(c.env, chatId).invoicePaymentChanged(null, Number(invoice));
  }
  return c.json({ received: true, duplicate: !applied });
});
