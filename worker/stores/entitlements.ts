import { sql, type SQL } from "drizzle-orm";
import { entitlementPeriod } from "../accounts/entitlement";
import { companies } from "../db/schema";
import type { Db } from "./db";

// The entitlement's counts in D1, by the monthly rule of worker/accounts/entitlement.ts, written in
// SQL: one UPDATE both moves a company's count to the new month and adds to it, so two counts at
// the turn of the month (a chat connecting, a mail going out) neither lose one nor start the month
// twice, and no cron has to run first.

/** One more connected chat or sent email, in the month of `now`, for the company `which` picks. */
export function countEntitlement(db: Db, which: SQL, what: "chat" | "email", now: number) {
  const period = entitlementPeriod(now);
  // Every SET reads the row as it was. A count of a later month stays that month's: a late write
  // from an earlier one counts in it rather than moving the month back.
  const current = sql`${companies.entitlementPeriod} >= ${period}`;
  return db
    .update(companies)
    .set({
      entitlementUsed: sql`case when ${current} then ${companies.entitlementUsed} + 1 else 1 end`,
      entitlementEmails: sql`case when ${current} then ${companies.entitlementEmails} else 0 end + ${what === "email" ? 1 : 0}`,
      entitlementPeriod: sql`max(${companies.entitlementPeriod}, ${period})`,
    })
    .where(which);
}

/**
 * The company whose id is `companyId` (a column of the statement's own table) has used up this
 * month's entitlement; a count of an earlier month does not hold anything back.
 */
export const usedUp = (companyId: SQL, now: number): SQL =>
  sql`exists (select 1 from companies where companies.id = ${companyId} and companies.entitlement_period >= ${entitlementPeriod(now)} and companies.entitlement_used >= companies.entitlement_quota)`;
