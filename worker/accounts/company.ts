import type { AccountType } from "../billing/fees";

// A company: the account that owns rooms, agents and money. PLANS is also the `companies.plan`
// column's enum (worker/db/schema.ts takes it from here).

/** Forever Free, Pro, Large Enterprise: what a company may use (rooms/presets.ts, rooms/settings.ts). */
export const PLANS = ["free", "pro", "enterprise"] as const;
export type Plan = (typeof PLANS)[number];

/** A company as the app reads it (D1 `companies`). */
export type Company = {
  id: string;
  slug: string;
  name: string;
  accountType: AccountType;
  plan: Plan;
  entitlementQuota: number;
  /** Connected chats and emails sent in entitlementPeriod, counted against the quota (spec: "every email … will consume the quota"). */
  entitlementUsed: number;
  /** Of entitlementUsed, the emails. */
  entitlementEmails: number;
  /** The month the counts are of ("YYYY-MM", UTC): an earlier month's counts are no longer used (accounts/entitlement.ts). */
  entitlementPeriod: string;
  contactEmail: string | null;
  logoUrl: string | null;
  stripeAccountId: string | null;
  stripeAccountReady: boolean;
  createdAt: number;
};
