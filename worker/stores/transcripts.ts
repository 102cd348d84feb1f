import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { chats, emailOutbox, messages, rooms, users } from "../db/schema";
import type { OutgoingMail } from "../mail/message";
import { requestedTranscriptMailId, transcriptContent, transcriptMailId, type NamedLine } from "../mail/transcript";
import type { Db } from "./db";
import { mailInsert, senderOf } from "./outbox";

// A chat's transcript by email: the customer asks for it once the chat ended, or the room sends
// it as the chat ends (its "Always email the transcript" setting), in the batch that writes the
// finished record. Either way the row's id derives from the chat, so a retry writes it once.

/** A line as D1 keeps it: the customer's, or an agent's named by user id (the host or a conference guest). */
export type StoredLine = { sender: "customer" | "agent" | "system"; userId: string | null; body: string; at: number };

type TranscriptRecord = {
  companyId: string;
  roomId: string;
  roomName: string;
  status: string;
  agentId: string | null;
  customerName: string | null;
  customerEmail: string | null;
  createdAt: number;
  alwaysEmailTranscript: boolean;
};

const recordOf = (db: Db, chatId: string): Promise<TranscriptRecord | undefined> =>
  db
    .select({
      companyId: chats.companyId,
      roomId: chats.roomId,
      roomName: rooms.name,
      status: chats.status,
      agentId: chats.agentId,
      customerName: chats.customerName,
      customerEmail: chats.customerEmail,
      createdAt: chats.createdAt,
      alwaysEmailTranscript: rooms.alwaysEmailTranscript,
    })
    .from(chats)
    .innerJoin(rooms, eq(rooms.id, chats.roomId))
    .where(eq(chats.id, chatId))
    .get();

/** The lines with their writers' names: agents and guests by their own names, the customer by the name they gave. */
async function namedLines(db: Db, record: TranscriptRecord, lines: StoredLine[]): Promise<NamedLine[]> {
  const ids = [...new Set([record.agentId, ...lines.map((l) => l.userId)].filter((id): id is string => !!id))];
  const people = ids.length ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids)) : [];
  const names = new Map(people.map((p) => [p.id, p.name]));
  const customer = record.customerName || "You";
  return lines.map((l) => ({
    name: l.sender === "customer" ? customer : l.sender === "system" ? "Parley" : (names.get(l.userId ?? record.agentId ?? "") ?? "Agent"),
    at: l.at,
    body: l.body,
  }));
}

async function transcriptMail(db: Db, chatId: string, record: TranscriptRecord, lines: StoredLine[], id: string, to: string): Promise<OutgoingMail> {
  const [sender, named, agent] = await Promise.all([
    senderOf(db, record.companyId, record.roomId),
    namedLines(db, record, lines),
    record.agentId ? db.select({ name: users.name }).from(users).where(eq(users.id, record.agentId)).get() : undefined,
  ]);
  const content = transcriptContent({ chatId, companyName: sender.name, roomName: record.roomName, agentName: agent?.name ?? null, startedAt: record.createdAt }, named);
  return { id, companyId: record.companyId, kind: "transcript", to, sender, content };
}

/**
 * The room's transcript mail for a chat that is ending after an agent answered it, for the batch
 * that writes the finished record (its lines are not in D1 yet, so they come from the chat):
 * only when the room always sends it and the customer gave an email address.
 */
export async function endOfChatTranscript(db: Db, chatId: string, lines: StoredLine[]): Promise<{ id: string; insert: BatchItem<"sqlite"> } | null> {
  const record = await recordOf(db, chatId);
  if (!record?.alwaysEmailTranscript || !record.customerEmail || !record.agentId) return null;
  const mail = await transcriptMail(db, chatId, record, lines, transcriptMailId(chatId), record.customerEmail);
  return { id: mail.id, insert: mailInsert(db, mail) };
}

/** Whether the customer may ask for the transcript: the chat ended after an agent answered it (so its lines are in D1). */
export async function transcriptReady(db: Db, chatId: string): Promise<boolean> {
  const record = await recordOf(db, chatId);
  return record?.status === "ended" && record.agentId !== null;
}

/**
 * Writes the transcript the customer asked for to this address, unless it was already written
 * for this chat and address (asked before, or sent by the room's setting): returns the outbox id
 * to enqueue, or null when it went before.
 */
export async function requestTranscript(db: Db, chatId: string, to: string): Promise<string | null> {
  const record = await recordOf(db, chatId);
  if (!record) return null;
  const before = await db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, to), or(eq(emailOutbox.id, transcriptMailId(chatId)), eq(emailOutbox.id, requestedTranscriptMailId(chatId, to)))))
    .get();
  if (before) return null;
  const lines = await db
    .select({ sender: messages.sender, userId: messages.userId, body: messages.body, at: messages.createdAt })
    .from(messages)
    .where(eq(messages.chatId, chatId))
    .orderBy(asc(messages.createdAt), sql`rowid`);
  const mail = await transcriptMail(db, chatId, record, lines, requestedTranscriptMailId(chatId, to), to);
  // Two posts at once: the second insert adds nothing, and says so.
  const [written] = await db.batch([mailInsert(db, mail).returning({ id: emailOutbox.id })]);
  return written.length ? mail.id : null;
}
