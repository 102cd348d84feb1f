import { and, asc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "./db";
import type { ChatInfo, DateRange, LedgerLine } from "../billing/revenue";
import { charges, chats, ledgerEntries, rooms, users } from "../db/schema";

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

/**
 * The chats of the scope: those with ledger lines in it (money paid or refunded), and those whose
 * unpaid charge rows were written in it (a card that failed, a fee given up): they owe money.
 */
function scopedChatIds(db: Db, scope: RevenueScope) {
  const conditions: SQL[] = [eq(chats.companyId, scope.companyId), inArray(charges.status, ["failed", "pending", "abandoned"])];
  if (scope.agentId) conditions.push(eq(chats.agentId, scope.agentId));
  if (scope.range.from !== null) conditions.push(gte(charges.createdAt, scope.range.from));
  if (scope.range.to !== null) conditions.push(lt(charges.createdAt, scope.range.to));
  const withCharges = db.select({ id: charges.chatId }).from(charges).innerJoin(chats, eq(chats.id, charges.chatId)).where(and(...conditions));
  const inLedger = db.select({ id: ledgerEntries.chatId }).from(ledgerEntries).where(inScope(scope));
  return inLedger.union(withCharges);
}

/** The chats of the scope with their room and customer, and every charge row and refund of theirs. */
export async function listRevenueChats(db: Db, scope: RevenueScope): Promise<ChatInfo[]> {
  const ids = scopedChatIds(db, scope);
  const [rows, chargeRows, refunds] = await Promise.all([
    db
      .select({
        id: chats.id,
        room: rooms.name,
        privateHandle: privateAgent.handle,
        customerName: chats.customerName,
        agentId: chats.agentId,
        chargeableSeconds: chats.chargeableSeconds,
        currency: chats.currency,
        amountMinor: chats.amountMinor,
      })
      .from(chats)
      .leftJoin(rooms, eq(rooms.id, chats.roomId))
      .leftJoin(privateAgent, eq(privateAgent.id, chats.privateAgentId))
      .where(and(eq(chats.companyId, scope.companyId), inArray(chats.id, ids))),
    db
      .select({ chatId: charges.chatId, status: charges.status, amountMinor: charges.amountMinor, currency: charges.currency, failureCode: charges.failureCode, at: charges.createdAt })
      .from(charges)
      .where(inArray(charges.chatId, ids)),
    db
      .select({ chatId: ledgerEntries.chatId, currency: ledgerEntries.currency, amountMinor: sql<number>`sum(${ledgerEntries.amountMinor})`.mapWith(Number) })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.companyId, scope.companyId), eq(ledgerEntries.kind, "refund"), eq(ledgerEntries.account, "customer"), inArray(ledgerEntries.chatId, ids)))
      .groupBy(ledgerEntries.chatId, ledgerEntries.currency),
  ]);
  const byChat = new Map<string, ChatInfo>(rows.map((chat) => [chat.id, { ...chat, charges: [], refundedMinor: {} }]));
  for (const { chatId, ...charge } of chargeRows) byChat.get(chatId!)?.charges.push(charge);
  for (const r of refunds) {
    const chat = byChat.get(r.chatId!);
    if (chat) chat.refundedMinor[r.currency] = r.amountMinor;
  }
  return [...byChat.values()];
}

export type CompanyPerson = { id: string; name: string; email: string; isAgent: boolean };

/** Everyone of the company, by name: the agent filter's choices and the names in the tables. */
export const listCompanyPeople = (db: Db, companyId: string): Promise<CompanyPerson[]> =>
  db
    .select({ id: users.id, name: users.name, email: users.email, isAgent: users.isAgent })
    .from(users)
    .where(eq(users.companyId, companyId))
    .orderBy(asc(users.name));
