import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { chats, users } from "../db/schema";
import type { Rating, RatingInput, RatingTally } from "../ratings/rating";
import type { RecordScope } from "./chat-records";
import type { Db } from "./db";
import { inList } from "./in-list";
import { chatFacts, webhookInsert } from "./webhooks";
import { ratingCreated } from "../webhooks/payloads";

// Customers' ratings of their chats, kept on the chat's row, and the agents' tallies of them for
// the records pages and the statistics details.

/** Whether a chat may be rated (it ended after an agent answered), and its rating when it has one. */
export type RatingState = { rateable: boolean; rating: Rating | null };

export async function chatRatingOf(db: Db, chatId: string): Promise<RatingState | null> {
  const row = await db
    .select({ status: chats.status, agentId: chats.agentId, rating: chats.rating, comment: chats.ratingComment, ratedAt: chats.ratedAt })
    .from(chats)
    .where(eq(chats.id, chatId))
    .get();
  if (!row) return null;
  return {
    rateable: row.status === "ended" && row.agentId !== null,
    rating: row.rating !== null && row.ratedAt !== null ? { rating: row.rating, comment: row.comment, ratedAt: row.ratedAt } : null,
  };
}

/**
 * Rates the chat, once: only an ended chat that an agent answered and nobody rated yet changes,
 * in one statement, so two posts at the same moment cannot both count; its rating.created webhook
 * is written in the same batch, only if the rating was. Returns whether it did, and the event's
 * id for the webhook queue.
 */
export async function rateChat(db: Db, chatId: string, { rating, comment }: RatingInput, now = Date.now()): Promise<{ rated: boolean; events: string[] }> {
  const facts = await chatFacts(db, chatId);
  const event = facts ? ratingCreated(facts, { rating, comment }, now) : null;
  const [rated] = await db.batch([
    db
      .update(chats)
      .set({ rating, ratingComment: comment, ratedAt: now })
      .where(and(eq(chats.id, chatId), eq(chats.status, "ended"), isNotNull(chats.agentId), isNull(chats.rating)))
      .returning({ id: chats.id }),
    ...(event && facts ? [webhookInsert(db, facts.companyId, event, sql`exists (select 1 from chats where id = ${chatId} and rated_at = ${now})`)] : []),
  ]);
  return { rated: rated.length === 1, events: rated.length === 1 && event ? [event.id] : [] };
}

export type AgentTally = RatingTally & { agentId: string; agentName: string };

/** Each agent's ratings among the chats in `scope`, by name. */
export async function agentTallies(db: Db, scope: RecordScope): Promise<AgentTally[]> {
  const rows = await db
    .select({ agentId: chats.agentId, agentName: users.name, sum: sql<number>`sum(${chats.rating})`, count: sql<number>`count(${chats.rating})` })
    .from(chats)
    .innerJoin(users, eq(users.id, chats.agentId))
    .where(and(eq(chats.companyId, scope.companyId), scope.agentId ? eq(chats.agentId, scope.agentId) : undefined, isNotNull(chats.rating)))
    .groupBy(chats.agentId)
    .orderBy(users.name);
  return rows.map((r) => ({ agentId: r.agentId!, agentName: r.agentName, sum: Number(r.sum), count: Number(r.count) }));
}

/** The ratings of the company's agents with these emails (as the statistics name agents), by email. */
export async function tallyByEmail(db: Db, companyId: string, emails: string[]): Promise<Map<string, RatingTally>> {
  if (!emails.length) return new Map();
  const rows = await db
    .select({ email: users.email, sum: sql<number>`sum(${chats.rating})`, count: sql<number>`count(${chats.rating})` })
    .from(users)
    .innerJoin(chats, and(eq(chats.companyId, users.companyId), eq(chats.agentId, users.id), isNotNull(chats.rating)))
    .where(and(eq(users.companyId, companyId), inList(users.email, emails)))
    .groupBy(users.email);
  return new Map(rows.map((r) => [r.email, { sum: Number(r.sum), count: Number(r.count) }]));
}
