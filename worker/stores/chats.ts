import { and, eq, sql } from "drizzle-orm";
import { chatGuests, chats, companies, messages, users } from "../db/schema";
import { chatEnded, chatQueued, chatStarted, type EndedMeter } from "../webhooks/payloads";
import { guestOf } from "../live/conference-rules";
import { openDb, prepared, type Db } from "./db";
import { invitationOfChat } from "./invitations";
import { countEntitlement } from "./entitlements";
import { endOfChatTranscript } from "./transcripts";
import { chatFacts, webhookInsert } from "./webhooks";

// A chat's D1 record as the chat goes: written when the customer asks, connected when an agent
// answers, finished with its transcript; and who may open it.

export type TranscriptLine = { seq: number; sender: string; body: string; at: number };

export type NewChat = typeof chats.$inferInsert;

/**
 * The record of a chat the customer just asked for (it waits for an agent), with its chat.queued
 * webhook; `room` is the name the customer asked in (`~handle` for a private room). The
 * invitation it names is kept only if it invited to this room (stores/invitations.ts). Returns the
 * event's id, for the webhook queue.
 */
export async function insertChat(db: Db, { invitationId, ...chat }: NewChat & { id: string }, room: string, now = Date.now()): Promise<string[]> {
  const event = chatQueued(
    {
      chatId: chat.id,
      companyId: chat.companyId,
      room,
      privateRoom: !!chat.privateAgentId,
      mode: chat.mode ?? "chat",
      customer: { name: chat.customerName ?? null, email: chat.customerEmail ?? null, phone: chat.customerPhone ?? null, message: chat.customerMessage ?? null },
      createdAt: now,
    },
    now,
  );
  await db.batch([
    db
      .insert(chats)
      .values({
        ...chat,
        createdAt: now,
        invitationId: invitationId ? invitationOfChat(invitationId, { companyId: chat.companyId, roomId: chat.roomId, privateAgentId: chat.privateAgentId ?? null }) : null,
      }),
    webhookInsert(db, chat.companyId, event),
  ]);
  return [event.id];
}

/** The room the chat was asked in; undefined for no such chat. */
/** The chat's room, and its agent when it came through their private room. */
export const roomOfChat = (db: Db, chatId: string): Promise<{ roomId: string; privateAgentId: string | null } | undefined> =>
  db.select({ roomId: chats.roomId, privateAgentId: chats.privateAgentId }).from(chats).where(eq(chats.id, chatId)).get();

/**
 * The chat is connected: it counts against the company's entitlement of this month, and the
 * chat.started webhook is written with it. Returns the event's id, for the webhook queue.
 */
export async function markChatConnected(d1: D1Database, init: { chatId: string; companyId: string }, agentId: string, now = Date.now()): Promise<string[]> {
  const db = openDb(d1);
  const [facts, agent] = await Promise.all([
    chatFacts(db, init.chatId),
    db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, agentId)).get(),
  ]);
  const event = facts ? chatStarted({ ...facts, agent: agent ?? null, answeredAt: now }, now) : null;
  await db.batch([
    db.update(chats).set({ status: "connected", agentId, answeredAt: now }).where(eq(chats.id, init.chatId)),
    countEntitlement(db, eq(companies.id, init.companyId), "chat", now),
    ...(event ? [webhookInsert(db, init.companyId, event)] : []),
  ]);
  return event ? [event.id] : [];
}

/** A stored line as D1 keeps it: the customer, or an agent named by user id (the host or a conference guest). */
const author = (sender: string, hostId: string | null) => {
  const guest = guestOf(sender);
  if (guest) return { sender: "agent" as const, userId: guest };
  return sender === "agent" ? { sender: "agent" as const, userId: hostId } : { sender: "customer" as const, userId: null };
};

/**
 * Writes the chat's end and its transcript to D1, with the transcript's mail to the customer when
 * the room always sends it, and the chat.ended webhook. Message, mail and event ids derive from
 * the chat (and sequence number), so writing the same end twice (a retried alarm) adds nothing.
 * Returns the outbox ids and the event's id to enqueue.
 */
export async function finishChatRecord(
  d1: D1Database,
  init: { chatId: string },
  status: "ended" | "missed",
  endedBy: "customer" | "agent" | "timeout" | "system",
  transcript: TranscriptLine[],
  hostId: string | null,
  now = Date.now(),
  meter: EndedMeter | null = null,
): Promise<{ mails: string[]; events: string[] }> {
  const db = openDb(d1);
  const lines = transcript.map((m) => ({ ...author(m.sender, hostId), body: m.body, at: m.at }));
  const [mail, facts] = await Promise.all([status === "ended" ? endOfChatTranscript(db, init.chatId, lines) : null, chatFacts(db, init.chatId)]);
  const event = facts ? chatEnded(facts, { status, endedBy, meter }, now) : null;
  await db.batch([
    db.update(chats).set({ status, endedBy, endedAt: now }).where(eq(chats.id, init.chatId)),
    ...transcript.map((m) =>
      db
        .insert(messages)
        .values({ id: `${init.chatId}:${m.seq}`, chatId: init.chatId, ...author(m.sender, hostId), body: m.body, createdAt: m.at })
        .onConflictDoNothing(),
    ),
    ...(mail ? [mail.insert] : []),
    ...(event && facts ? [webhookInsert(db, facts.companyId, event)] : []),
  ]);
  return { mails: mail ? [mail.id] : [], events: event ? [event.id] : [] };
}

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
