import type Stripe from "stripe";
import { onboardingOutcome, type OnboardingOutcome } from "../billing/connect";

// The Stripe Connect calls of the admin's Payments page. Companies get a Standard account: the
// company has its own relationship with Stripe and its full dashboard, and bears Stripe's fees,
// refunds and chargebacks itself, which is what direct charges on a Standard account mean.

/**
 * Creates the company's connected account. The idempotency key is the company's id, so a
 * double click or a retry after a lost response gives back the same account, not a second one.
 */
export async function createCompanyAccount(stripe: Stripe, company: { id: string; name: string; email: string }): Promise<string> {
  const account = await stripe.accounts.create(
    { type: "standard", email: company.email, business_profile: { name: company.name }, metadata: { company_id: company.id } },
    { idempotencyKey: `company:${company.id}:connect-account` },
  );
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
export async function accountOnboarding(stripe: Stripe, accountId: string): Promise<OnboardingOutcome> {
  return onboardingOutcome(await stripe.accounts.retrieve(accountId));
}
