import { and, eq } from "drizzle-orm";
import { openDb } from "../adapters/db";
import { chatGuests, chats } from "../db/schema";

/** The chat's own agent, or an agent who joined it as a conference guest, may open it. */
export async function agentMayOpenChat(d1: D1Database, agent: { id: string; companyId: string }, chatId: string): Promise<{ host: boolean } | null> {
  const row = await openDb(d1)
    .select({ agentId: chats.agentId, joinedAt: chatGuests.joinedAt })
    .from(chats)
    .leftJoin(chatGuests, and(eq(chatGuests.chatId, chats.id), eq(chatGuests.userId, agent.id)))
    .where(and(eq(chats.id, chatId), eq(chats.companyId, agent.companyId)))
    .get();
  if (!row) return null;
  if (row.agentId === agent.id) return { host: true };
  return row.joinedAt !== null ? { host: false } : null;
}
