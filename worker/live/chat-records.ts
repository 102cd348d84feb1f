import { eq, sql } from "drizzle-orm";
import { openDb } from "../stores/db";
import { chats, companies, messages } from "../db/schema";
import { guestOf } from "./conference-rules";
import type { ChatInit } from "./types";

export type TranscriptLine = { seq: number; sender: string; body: string; at: number };

/** The chat is connected: it counts against the company's entitlement from now on. */
export async function markChatConnected(d1: D1Database, init: ChatInit, agentId: string, now = Date.now()): Promise<void> {
  const db = openDb(d1);
  await db.batch([
    db.update(chats).set({ status: "connected", agentId, answeredAt: now }).where(eq(chats.id, init.chatId)),
    db
      .update(companies)
      .set({ entitlementUsed: sql`${companies.entitlementUsed} + 1` })
      .where(eq(companies.id, init.companyId)),
  ]);
}

/** A stored line as D1 keeps it: the customer, or an agent named by user id (the host or a conference guest). */
const author = (sender: string, hostId: string | null) => {
  const guest = guestOf(sender);
  if (guest) return { sender: "agent" as const, userId: guest };
  return sender === "agent" ? { sender: "agent" as const, userId: hostId } : { sender: "customer" as const, userId: null };
};

/**
 * Writes the chat's end and its transcript to D1. Message ids derive from the chat and sequence
 * number, so writing the same end twice (a retried alarm) adds nothing.
 */
export async function finishChatRecord(
  d1: D1Database,
  init: ChatInit,
  status: "ended" | "missed",
  endedBy: "customer" | "agent" | "timeout" | "system",
  transcript: TranscriptLine[],
  hostId: string | null,
  now = Date.now(),
): Promise<void> {
  const db = openDb(d1);
  await db.batch([
    db.update(chats).set({ status, endedBy, endedAt: now }).where(eq(chats.id, init.chatId)),
    ...transcript.map((m) =>
      db
        .insert(messages)
        .values({
          id: `${init.chatId}:${m.seq}`,
          chatId: init.chatId,
          ...author(m.sender, hostId),
          body: m.body,
          createdAt: m.at,
        })
        .onConflictDoNothing(),
    ),
  ]);
}
