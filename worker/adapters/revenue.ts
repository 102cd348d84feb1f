import { and, asc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "./db";
import type { ChatInfo, DateRange, LedgerLine } from "../billing/revenue";
import { chats, ledgerEntries, rooms, users } from "../db/schema";

// D1 reads of the Business Revenue page. Every query is bounded by one company; an agent's scope
// adds their own id, so nobody reads another company's or (unless admin) another agent's money.

export type RevenueScope = { companyId: string; agentId: string | null; range: DateRange };

function inScope(scope: RevenueScope): SQL {
  const conditions: SQL[] = [eq(ledgerEntries.companyId, scope.companyId)];
  if (scope.agentId) conditions.push(eq(ledgerEntries.agentId, scope.agentId));
  if (scope.range.from !== null) conditions.push(gte(ledgerEntries.createdAt, scope.range.from));
  if (scope.range.to !== null) conditions.push(lt(ledgerEntries.createdAt, scope.range.to));
  return and(...conditions)!;
}

/** The scope's ledger lines, summed per charge, account and kind (integer sums in SQLite). */
export const listLedgerLines = (db: Db, scope: RevenueScope): Promise<LedgerLine[]> =>
  db
    .select({
      chargeId: ledgerEntries.chargeId,
      chatId: ledgerEntries.chatId,
      agentId: ledgerEntries.agentId,
      currency: ledgerEntries.currency,
      kind: ledgerEntries.kind,
      account: ledgerEntries.account,
      amountMinor: sql<number>`sum(${ledgerEntries.amountMinor})`.mapWith(Number),
      at: sql<number>`max(${ledgerEntries.createdAt})`.mapWith(Number),
    })
    .from(ledgerEntries)
    .where(inScope(scope))
    .groupBy(ledgerEntries.chargeId, ledgerEntries.chatId, ledgerEntries.agentId, ledgerEntries.currency, ledgerEntries.account, ledgerEntries.kind);

const privateAgent = alias(users, "private_agent");

/** The chats that have ledger lines in the scope, with their room and customer. */
export const listRevenueChats = (db: Db, scope: RevenueScope): Promise<ChatInfo[]> =>
  db
    .select({
      id: chats.id,
      room: rooms.name,
      privateHandle: privateAgent.handle,
      customerName: chats.customerName,
      chargeableSeconds: chats.chargeableSeconds,
      amountMinor: chats.amountMinor,
      paidMinor: chats.paidMinor,
    })
    .from(chats)
    .leftJoin(rooms, eq(rooms.id, chats.roomId))
    .leftJoin(privateAgent, eq(privateAgent.id, chats.privateAgentId))
    .where(
      and(
        eq(chats.companyId, scope.companyId),
        inArray(chats.id, db.select({ id: sql<string>`${ledgerEntries.chatId}` }).from(ledgerEntries).where(inScope(scope))),
      ),
    );

export type CompanyPerson = { id: string; name: string; email: string; isAgent: boolean };

/** Everyone of the company, by name: the agent filter's choices and the names in the tables. */
export const listCompanyPeople = (db: Db, companyId: string): Promise<CompanyPerson[]> =>
  db
    .select({ id: users.id, name: users.name, email: users.email, isAgent: users.isAgent })
    .from(users)
    .where(eq(users.companyId, companyId))
    .orderBy(asc(users.name));
