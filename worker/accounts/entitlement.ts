import type { Company } from "./company";

// A company's entitlement (connected chats and emails sent) is counted per calendar month in UTC,
// on every plan. One rule for all plans is the one an admin can predict: "500 chats a month"
// starts again on the 1st, whatever the plan and whenever it was bought, and a Forever Free
// company has no billing date to anchor to. UTC because the count lives in one row that every
// Worker updates: it needs one clock, and the pages say so. Pure: the stores apply the same rule
// in SQL (worker/stores/entitlements.ts) so that a count and its month change in one statement.

/** The month a count belongs to, "YYYY-MM" in UTC: ordered as text, as D1 compares it. */
export function entitlementPeriod(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}

/** When the month of `period` ends and the count starts again: the 1st of the next month, 00:00 UTC. */
export function periodEnd(period: string): number {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return Date.UTC(year, month, 1);
}

export type EntitlementUsage = {
  /** Chats and emails counted this month. */
  used: number;
  chats: number;
  emails: number;
  quota: number;
  /** Nothing but receipts goes out and no chat starts until the count starts again. */
  usedUp: boolean;
  /** When the count starts again at 0. */
  resetsAt: number;
};

/** The company's count this month: nothing yet when the stored count is of an earlier month. */
export function entitlementUsage(company: Pick<Company, "entitlementPeriod" | "entitlementUsed" | "entitlementEmails" | "entitlementQuota">, now: number): EntitlementUsage {
  const period = entitlementPeriod(now);
  // A count of a later month than this Worker's clock says is still the current count.
  const current = company.entitlementPeriod >= period;
  const used = current ? company.entitlementUsed : 0;
  const emails = current ? company.entitlementEmails : 0;
  return {
    used,
    chats: used - emails,
    emails,
    quota: company.entitlementQuota,
    usedUp: used >= company.entitlementQuota,
    resetsAt: periodEnd(current ? company.entitlementPeriod : period),
  };
}
