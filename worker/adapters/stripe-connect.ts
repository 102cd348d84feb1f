import type Stripe from "stripe";
import { connectedAccountParams, onboardingOutcome, type OnboardingOutcome } from "../billing/connect";
import { transferGroup, transferKey } from "../billing/payouts";

// The Stripe Connect calls of the admin's Payments page. Companies get a Standard account: the
// company has its own relationship with Stripe and its full dashboard, and bears Stripe's fees,
// refunds and chargebacks itself, which is what direct charges on a Standard account mean. A solo
// professional who is paid out through Stripe gets an Express account that receives transfers.

/**
 * Creates the company's connected account. The idempotency key is the company's id, so a
 * double click or a retry after a lost response gives back the same account, not a second one.
 */
export async function createCompanyAccount(stripe: Stripe, company: { id: string; name: string; email: string; accountType: "solo" | "company" }): Promise<string> {
  const account = await stripe.accounts.create(connectedAccountParams(company), { idempotencyKey: `company:${company.id}:connect-account` });
  return account.id;
}

/** A one-use link to Stripe's hosted onboarding; Stripe sends the admin back to our return or refresh URL. */
export async function onboardingLink(stripe: Stripe, accountId: string, origin: string): Promise<string> {
  const link = await stripe.accountLinks.create({
    account: accountId,
    type: "account_onboarding",
    refresh_url: `${origin}/admin/payments/refresh`,
    return_url: `${origin}/admin/payments/return`,
  });
  return link.url;
}

/** How far the account's onboarding got, as Stripe says now. */
export async function accountOnboarding(stripe: Stripe, accountId: string, accountType: "solo" | "company"): Promise<OnboardingOutcome> {
  return onboardingOutcome(await stripe.accounts.retrieve(accountId), accountType);
}

/** Sends one attempt of a solo's payout to their connected account; Stripe's transfer id. */
export async function transferPayout(
  stripe: Stripe,
  p: { payoutId: string; attempt: number; amountMinor: number; currency: string; destination: string },
): Promise<string> {
  const transfer = await stripe.transfers.create(
    {
      amount: p.amountMinor,
      currency: p.currency.toLowerCase(),
      destination: p.destination,
      transfer_group: transferGroup(p.payoutId),
      description: "Parley payout",
      metadata: { payout_id: p.payoutId, attempt: String(p.attempt) },
    },
    { idempotencyKey: transferKey(p.payoutId, p.attempt) },
  );
  return transfer.id;
}
