import { eq } from "drizzle-orm";
import type { Db } from "../stores/db";
import { stripeClient, type StripeEnv } from "../adapters/stripe";
import { createCompanyAccount } from "../adapters/stripe-connect";
import { accountReady } from "../billing/connect";
import { companies } from "../db/schema";
import { DEMO } from "./seed";

/**
 * Connects the demo company to the local fake Stripe, so its paid rooms work as soon as
 * `npm start` is up. The fake keeps its memory between runs on the demo's own state, but not on
 * a fresh or throw-away one, so this runs at every start and makes a new account when the stored
 * one is gone. With a Stripe key of your own (no STRIPE_API_BASE) nothing happens: the admin
 * connects through the Payments page, as in production.
 */
export async function connectDemoStripe(db: Db, env: StripeEnv): Promise<"connected" | "already connected" | "skipped"> {
  const stripe = stripeClient(env);
  if (!stripe || !env.STRIPE_API_BASE) return "skipped";
  const company = await db.select().from(companies).where(eq(companies.slug, DEMO.company)).get();
  if (!company) return "skipped";
  if (company.stripeAccountId) {
    const known = await stripe.accounts.retrieve(company.stripeAccountId).catch(() => null);
    if (known && accountReady(known, company.accountType)) return "already connected";
  }
  // The idempotency key is per company; the restarted fake has never seen it.
  const accountId = await createCompanyAccount(stripe, { id: company.id, name: company.name, email: DEMO.admin, accountType: company.accountType });
  // The fake's own control for "the admin finished Stripe's onboarding" (test/fakes/stripe/README.md).
  const done = await fetch(`${env.STRIPE_API_BASE}/_fake/accounts/${accountId}/complete_onboarding`, { method: "POST" });
  if (!done.ok) throw new Error(`the fake Stripe did not finish onboarding: ${done.status}`);
  await db.update(companies).set({ stripeAccountId: accountId, stripeAccountReady: true }).where(eq(companies.id, company.id));
  return "connected";
}
