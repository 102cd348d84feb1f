import { and, eq, sql } from "drizzle-orm";
import { openDb, prepared } from "../stores/db";
import { chatGuests, chats } from "../db/schema";

/** The chat's own agent, or an agent who joined it as a conference guest, may open it. */
const chatAccessQuery = prepared((db) =>
  db
    .select({ agentId: chats.agentId, joinedAt: chatGuests.joinedAt })
    .from(chats)
    .leftJoin(chatGuests, and(eq(chatGuests.chatId, chats.id), eq(chatGuests.userId, sql.placeholder("agentId"))))
    .where(and(eq(chats.id, sql.placeholder("chatId")), eq(chats.companyId, sql.placeholder("companyId"))))
    .prepare(),
);

export async function agentMayOpenChat(d1: D1Database, agent: { id: string; companyId: string }, chatId: string): Promise<{ host: boolean } | null> {
  const row = await chatAccessQuery(openDb(d1)).get({ agentId: agent.id, chatId, companyId: agent.companyId });
  if (!row) return null;
  if (row.agentId === agent.id) return { host: true };
  return row.joinedAt !== null ? { host: false } : null;
}
