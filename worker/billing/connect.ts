// Stripe Connect for company accounts (spec: Business Revenue — How You Get Paid): a company's
// customers pay into the company's own Stripe account (direct charges), never through Parley's.
// A solo account is charged on Parley's account and paid out (fees.ts).

/** Where a customer's payment goes. */
export type Merchant = {
  /** The company's connected account for direct charges; null: charges on Parley's account. */
  stripeAccount: string | null;
};

/** What Stripe says about a connected account, as far as taking payments or transfers goes. */
export type AccountStatus = { charges_enabled: boolean; details_submitted: boolean; capabilities?: { transfers?: string } | null };

type AccountType = "solo" | "company";

/**
 * What the account is for decides when it is ready: a company's takes card payments (direct
 * charges, the one thing a paid chat needs); a solo professional's only receives Parley's
 * transfers of their 80 % (an Express account, which Stripe recommends for separate charges and
 * transfers).
 */
export const accountReady = (account: Pick<AccountStatus, "charges_enabled" | "capabilities">, accountType: AccountType) =>
  accountType === "solo" ? account.capabilities?.transfers === "active" : account.charges_enabled;

/** The connected account Stripe is asked to create for a company (Standard) or a solo professional (Express). */
export function connectedAccountParams(company: { id: string; name: string; email: string; accountType: AccountType }) {
  const common = { email: company.email, business_profile: { name: company.name }, metadata: { company_id: company.id } };
  return company.accountType === "solo"
    ? { ...common, type: "express" as const, capabilities: { transfers: { requested: true } } }
    : { ...common, type: "standard" as const };
}

/**
 * What the admin is told on coming back from Stripe's onboarding: ready, or every detail was
 * sent and Stripe is still checking them, or some are still missing (Continue setup).
 */
export type OnboardingOutcome = "ready" | "in_review" | "incomplete";

export function onboardingOutcome(account: AccountStatus, accountType: AccountType): OnboardingOutcome {
  if (accountReady(account, accountType)) return "ready";
  return account.details_submitted ? "in_review" : "incomplete";
}

export type ConnectState = "not_connected" | "incomplete" | "ready";

export type CompanyPayments = { accountType: "solo" | "company"; stripeAccountId: string | null; stripeAccountReady: boolean };

export function connectState(company: CompanyPayments): ConnectState {
  if (!company.stripeAccountId) return "not_connected";
  return company.stripeAccountReady ? "ready" : "incomplete";
}

/**
 * Where a customer's payment goes: the company's connected account, or Parley's account for a
 * solo professional. Null when a company has no ready account: it cannot take payments yet, and
 * charging on Parley's account instead would hold the company's money with no way to pay it out.
 */
export function merchantFor(company: CompanyPayments): Merchant | null {
  if (company.accountType === "solo") return { stripeAccount: null };
  return connectState(company) === "ready" ? { stripeAccount: company.stripeAccountId } : null;
}
