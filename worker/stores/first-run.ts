import { and, asc, count, eq, isNotNull } from "drizzle-orm";
import type { Company } from "../accounts/company";
import type { FirstRunFacts } from "../accounts/first-run";
import { agentProfiles, chats, rooms, users } from "../db/schema";
import type { Db } from "./db";

// The facts the admin's first-run checklist is ticked by, read side by side (a few indexed reads).

export async function firstRunFacts(db: Db, company: Company): Promise<FirstRunFacts> {
  const [agents, chat, embedded, payout] = await Promise.all([
    db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.companyId, company.id), eq(users.isAgent, true), eq(users.disabled, false)))
      .get(),
    db.select({ id: chats.id }).from(chats).where(eq(chats.companyId, company.id)).limit(1).get(),
    db
      .select({ origin: rooms.embedOrigin })
      .from(rooms)
      .where(and(eq(rooms.companyId, company.id), isNotNull(rooms.embedOrigin)))
      .orderBy(asc(rooms.position))
      .limit(1)
      .get(),
    // A solo professional is paid out by Parley: to the destination chosen on the Payments page.
    company.accountType === "solo"
      ? db
          .select({ method: agentProfiles.payoutMethod })
          .from(agentProfiles)
          .innerJoin(users, eq(users.id, agentProfiles.userId))
          .where(and(eq(users.companyId, company.id), eq(users.isAdmin, true), isNotNull(agentProfiles.payoutMethod)))
          .get()
      : Promise.resolve(undefined),
  ]);
  const paymentsReady =
    company.accountType === "solo" ? !!payout?.method && (payout.method !== "stripe" || company.stripeAccountReady) : company.stripeAccountReady;
  return { accountType: company.accountType, agents: agents?.n ?? 0, chatStarted: !!chat, embedOrigin: embedded?.origin ?? null, paymentsReady };
}
