import { and, desc, eq } from "drizzle-orm";
import type { Db } from "./db";
import { agentProfiles, payouts } from "../db/schema";
import type { PayoutInput, PayoutMethod } from "../billing/payout-method";

// A solo professional's payouts (fees.ts schedules one per paid chat) and where they go.

export type PayoutRow = typeof payouts.$inferSelect;
export type PayoutDestination = { method: PayoutMethod; account: string } | null;

/** The company's payouts, newest first; only one person's when `userId` is given. */
export const listPayouts = (db: Db, companyId: string, userId: string | null, limit = 50): Promise<PayoutRow[]> =>
  db
    .select()
    .from(payouts)
    .where(userId ? and(eq(payouts.companyId, companyId), eq(payouts.userId, userId)) : eq(payouts.companyId, companyId))
    .orderBy(desc(payouts.createdAt))
    .limit(limit);

export async function getPayoutDestination(db: Db, userId: string): Promise<PayoutDestination> {
  const row = await db.select({ method: agentProfiles.payoutMethod, account: agentProfiles.payoutAccount }).from(agentProfiles).where(eq(agentProfiles.userId, userId)).get();
  return row?.method && row.account ? { method: row.method, account: row.account } : null;
}

export const savePayoutDestination = (db: Db, userId: string, input: PayoutInput) =>
  db
    .insert(agentProfiles)
    .values({ userId, payoutMethod: input.payoutMethod, payoutAccount: input.payoutAccount })
    .onConflictDoUpdate({ target: agentProfiles.userId, set: { payoutMethod: input.payoutMethod, payoutAccount: input.payoutAccount } });
