import { and, asc, desc, eq, exists, isNotNull, or, sql, type SQL } from "drizzle-orm";
import type { SessionUser } from "../accounts/sessions";
import type { Db } from "./db";
import { inList } from "./in-list";
import { chatGuests, chats, messages, recordingConsents, recordings, rooms, users } from "../db/schema";

// The records of past and current chats for Chat View and Chat Records, and who may read them:
// an agent their own chats and those they joined as a conference guest, a company administrator
// every chat of the company.

export type RecordScope = { companyId: string; agentId: string | null };

/** What `user` may read: the whole company for an administrator, else the chats they served. */
export const recordScope = (user: SessionUser): RecordScope => ({ companyId: user.companyId, agentId: user.isAdmin ? null : user.id });

export const RECORD_SORTS = ["newest", "oldest", "customer", "room", "agent"] as const;
export type RecordSort = (typeof RECORD_SORTS)[number];

export type ChatRecord = {
  id: string;
  roomName: string;
  agentId: string | null;
  agentName: string | null;
  customerName: string | null;
  customerEmail: string | null;
  mode: "chat" | "voice" | "video";
  status: string;
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** The customer's rating, 1 to 5, and their comment. */
  rating: number | null;
  ratingComment: string | null;
};

export type RecordingRow = { chatId: string; segment: number; bytes: number; durationMs: number | null; mimeType: string; createdAt: number };
/** `userId`, `authorName`: the agent who wrote an agent's line (the chat's agent or a conference guest). */
export type TranscriptRow = { chatId: string; sender: string; userId: string | null; authorName: string | null; body: string; createdAt: number };

/** A private room's chat by the room its customer came to (`~handle`), as the console names it, not by the room whose settings it used. */
const recordRoomName = sql<string>`coalesce('~' || (select ${users.handle} from ${users} where ${users.id} = ${chats.privateAgentId}), ${rooms.name})`;

const ORDER: Record<RecordSort, SQL[]> = {
  newest: [desc(chats.createdAt)],
  oldest: [asc(chats.createdAt)],
  customer: [asc(chats.customerName), desc(chats.createdAt)],
  room: [asc(recordRoomName), desc(chats.createdAt)],
  agent: [asc(users.name), desc(chats.createdAt)],
};

/** One page of the chats in scope that reached an agent; `hasMore` says whether a next page exists. */
export async function listChatRecords(db: Db, scope: RecordScope, { sort, page, pageSize }: { sort: RecordSort; page: number; pageSize: number }) {
  const rows = await db
    .select({
      id: chats.id,
      roomName: recordRoomName,
      agentId: chats.agentId,
      agentName: users.name,
      customerName: chats.customerName,
      customerEmail: chats.customerEmail,
      mode: chats.mode,
      status: chats.status,
      createdAt: chats.createdAt,
      answeredAt: chats.answeredAt,
      endedAt: chats.endedAt,
      rating: chats.rating,
      ratingComment: chats.ratingComment,
    })
    .from(chats)
    .innerJoin(rooms, eq(rooms.id, chats.roomId))
    .leftJoin(users, eq(users.id, chats.agentId))
    .where(and(eq(chats.companyId, scope.companyId), scope.agentId ? servedBy(db, scope.agentId) : isNotNull(chats.agentId)))
    .orderBy(...ORDER[sort], asc(chats.id))
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize);
  return { chats: rows.slice(0, pageSize) as ChatRecord[], hasMore: rows.length > pageSize };
}

/** The chats this agent served, or joined as a conference guest. */
const servedBy = (db: Db, agentId: string) =>
  or(
    eq(chats.agentId, agentId),
    exists(
      db
        .select({ one: chatGuests.chatId })
        .from(chatGuests)
        .where(and(eq(chatGuests.chatId, chats.id), eq(chatGuests.userId, agentId), isNotNull(chatGuests.joinedAt))),
    ),
  );

/** The transcripts, recordings and consent answers of these chats, by chat id. */
export async function chatRecordDetails(db: Db, chatIds: string[]) {
  if (!chatIds.length) return { transcripts: new Map<string, TranscriptRow[]>(), recordings: new Map<string, RecordingRow[]>(), consents: new Map<string, string>() };
  const [lines, parts, answers] = await Promise.all([
    db
      .select({ chatId: messages.chatId, sender: messages.sender, userId: messages.userId, authorName: users.name, body: messages.body, createdAt: messages.createdAt })
      .from(messages)
      .leftJoin(users, eq(users.id, messages.userId))
      .where(inList(messages.chatId, chatIds))
      .orderBy(asc(messages.createdAt), asc(messages.id)),
    db
      .select({ chatId: recordings.chatId, segment: recordings.segment, bytes: recordings.bytes, durationMs: recordings.durationMs, mimeType: recordings.mimeType, createdAt: recordings.createdAt })
      .from(recordings)
      .where(inList(recordings.chatId, chatIds))
      .orderBy(asc(recordings.segment)),
    db.select({ chatId: recordingConsents.chatId, answer: recordingConsents.answer }).from(recordingConsents).where(inList(recordingConsents.chatId, chatIds)),
  ]);
  return { transcripts: groupBy(lines), recordings: groupBy(parts), consents: new Map(answers.map((a) => [a.chatId, a.answer])) };
}

function groupBy<T extends { chatId: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) out.set(row.chatId, [...(out.get(row.chatId) ?? []), row]);
  return out;
}

/** The chat, if `user` may read its record (and its recordings). */
export async function readableChat(db: Db, user: SessionUser, chatId: string) {
  const chat = await db
    .select({ id: chats.id, companyId: chats.companyId, agentId: chats.agentId })
    .from(chats)
    .where(and(eq(chats.id, chatId), eq(chats.companyId, user.companyId), user.isAdmin ? undefined : servedBy(db, user.id)))
    .get();
  return chat ?? null;
}

/** Whether `agentId` served this chat and its customer allowed recording: the condition to upload a part. */
export async function mayUploadRecording(db: Db, agentId: string, chatId: string): Promise<{ companyId: string } | "not_agent" | "no_consent"> {
  const row = await db
    .select({ companyId: chats.companyId, agentId: chats.agentId, answer: recordingConsents.answer })
    .from(chats)
    .leftJoin(recordingConsents, eq(recordingConsents.chatId, chats.id))
    .where(eq(chats.id, chatId))
    .get();
  if (!row || row.agentId !== agentId) return "not_agent";
  if (row.answer !== "allowed") return "no_consent";
  return { companyId: row.companyId };
}

export const recordingKey = (companyId: string, chatId: string, segment: number) => `recordings/${companyId}/${chatId}/${segment}.webm`;

/** Records an uploaded part; uploading the same part again replaces its row. */
export async function saveRecording(db: Db, row: { chatId: string; userId: string; segment: number; r2Key: string; mimeType: string; bytes: number; durationMs: number | null }) {
  await db
    .insert(recordings)
    .values({ id: `${row.chatId}:${row.segment}`, ...row })
    .onConflictDoUpdate({
      target: [recordings.chatId, recordings.segment],
      set: { r2Key: row.r2Key, mimeType: row.mimeType, bytes: row.bytes, durationMs: row.durationMs, userId: row.userId, createdAt: Date.now() },
    });
}

export async function recordingOf(db: Db, chatId: string, segment: number) {
  return db.select().from(recordings).where(and(eq(recordings.chatId, chatId), eq(recordings.segment, segment))).get();
}
