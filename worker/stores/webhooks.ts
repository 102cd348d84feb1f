import { and, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import { chats, rooms, users, webhookDeliveries, webhookEndpoints } from "../db/schema";
import type { ChatFacts } from "../webhooks/payloads";
import { CLAIM_LEASE_MS, SWEEP_AFTER_MS, type AfterFailure } from "../webhooks/delivery";
import type { WebhookEvent, WebhookEventType } from "../webhooks/events";
import type { Db } from "./db";
import { inList } from "./in-list";

// Integrators' endpoints and the webhook outbox. An event is written in the batch of what
// happened (webhookInsert: one delivery per endpoint of the company that wants it); once that
// batch committed its id goes on the webhook queue (enqueueWebhooks, worker/adapters/webhook-queue.ts),
// whose consumer claims, sends and settles each delivery (worker/jobs/webhook-delivery.ts).

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/**
 * The statement that queues `event` for every endpoint of the company that chose its type, for the
 * caller's batch; it adds nothing for a company without one, nor when `onlyIf` (read after the
 * batch's earlier statements) is false: an event that happens only if a conditional update did.
 */
export const webhookInsert = (db: Db, companyId: string, event: WebhookEvent, onlyIf: SQL = sql`1`) =>
  db
    .insert(webhookDeliveries)
    .select(
      sql`select ${event.id} || ':' || e.id, e.id, ${event.id}, ${event.type}, ${JSON.stringify(event)}, ${QUEUED_REST} from webhook_endpoints e
        where e.company_id = ${companyId} and exists (select 1 from json_each(e.events) where value = ${event.type}) and ${onlyIf}`,
    )
    .onConflictDoNothing();

/** A new delivery's columns after its payload, in the table's order: queued, no attempt yet, created now. */
const QUEUED_REST = sql.raw(`'queued', 0, null, null, null, null, null, null, unixepoch('subsec') * 1000, null`);

/** A chat as its events tell it (worker/webhooks/payloads.ts); undefined for no such chat. */
export async function chatFacts(db: Db, chatId: string): Promise<ChatFacts | undefined> {
  const row = await db
    .select({
      chatId: chats.id,
      companyId: chats.companyId,
      // A private room's chat is named by its private room, as the customer asked in it.
      room: sql<string>`coalesce('~' || (select u.handle from users u where u.id = ${chats.privateAgentId}), ${rooms.name})`,
      privateAgentId: chats.privateAgentId,
      mode: chats.mode,
      agentId: users.id,
      agentName: users.name,
      agentEmail: users.email,
      name: chats.customerName,
      email: chats.customerEmail,
      phone: chats.customerPhone,
      message: chats.customerMessage,
      createdAt: chats.createdAt,
      answeredAt: chats.answeredAt,
    })
    .from(chats)
    .innerJoin(rooms, eq(rooms.id, chats.roomId))
    .leftJoin(users, eq(users.id, chats.agentId))
    .where(eq(chats.id, chatId))
    .get();
  if (!row) return undefined;
  return {
    chatId: row.chatId,
    companyId: row.companyId,
    room: row.room,
    privateRoom: !!row.privateAgentId,
    mode: row.mode,
    agent: row.agentId ? { id: row.agentId, name: row.agentName!, email: row.agentEmail! } : null,
    customer: { name: row.name, email: row.email, phone: row.phone, message: row.message },
    createdAt: row.createdAt,
    answeredAt: row.answeredAt,
  };
}

/** The deliveries of these events, to put on the queue once the event's batch committed. */
export async function deliveriesOfEvents(db: Db, eventIds: string[]): Promise<string[]> {
  if (!eventIds.length) return [];
  const rows = await db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(inList(webhookDeliveries.eventId, eventIds));
  return rows.map((r) => r.id);
}

export const endpointsOf = (db: Db, companyId: string): Promise<WebhookEndpoint[]> =>
  db.select().from(webhookEndpoints).where(eq(webhookEndpoints.companyId, companyId)).orderBy(webhookEndpoints.createdAt);

/** The company's endpoint; undefined for another company's (the admin's page answers 404). */
export const endpointOf = (db: Db, companyId: string, id: string): Promise<WebhookEndpoint | undefined> =>
  db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.companyId, companyId)))
    .get();

export const insertEndpoint = (db: Db, endpoint: { id: string; companyId: string; url: string; events: WebhookEventType[]; secretSealed: string; origin?: string }) =>
  db.insert(webhookEndpoints).values(endpoint).run();

export const setEndpointSecret = (db: Db, companyId: string, id: string, secretSealed: string) =>
  db
    .update(webhookEndpoints)
    .set({ secretSealed })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.companyId, companyId)))
    .run();

/** Removes the company's endpoint with its deliveries (the foreign key cascades); false when it is not theirs. */
export async function deleteEndpoint(db: Db, companyId: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.companyId, companyId)))
    .returning({ id: webhookEndpoints.id });
  return gone.length > 0;
}

export type DeliveryRow = Pick<WebhookDelivery, "id" | "endpointId" | "eventId" | "type" | "status" | "attempts" | "responseCode" | "note" | "createdAt" | "deliveredAt">;

/** The company's latest deliveries, newest first: what the admin's Webhooks page lists. */
export const recentDeliveries = (db: Db, companyId: string, limit = 50): Promise<DeliveryRow[]> =>
  db
    .select({
      id: webhookDeliveries.id,
      endpointId: webhookDeliveries.endpointId,
      eventId: webhookDeliveries.eventId,
      type: webhookDeliveries.type,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      responseCode: webhookDeliveries.responseCode,
      note: webhookDeliveries.note,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookEndpoints.companyId, companyId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);

/**
 * Resends a delivery of the company's as a new delivery of the same event (same id and body:
 * a receiver that had it drops it), its 24 hours counted from now. Undefined for another company's.
 */
export async function resendDelivery(db: Db, companyId: string, id: string, newId: string): Promise<string | undefined> {
  const [row] = await db
    .insert(webhookDeliveries)
    .select(
      sql`select ${newId}, d.endpoint_id, d.event_id, d.type, d.payload, ${QUEUED_REST} from webhook_deliveries d
        join webhook_endpoints e on e.id = d.endpoint_id where d.id = ${id} and e.company_id = ${companyId}`,
    )
    .returning({ id: webhookDeliveries.id });
  return row?.id;
}

export type ClaimedDelivery = WebhookDelivery & { url: string; secretSealed: string; companyId: string; endpointStatus: WebhookEndpoint["status"]; origin: string | null };

/**
 * Takes a delivery for one attempt: a queued row (or one whose attempt vanished past its lease)
 * becomes `sending` under this claim. Undefined when it is not there to take.
 */
export async function claimDelivery(db: Db, id: string, claim: string, now: number): Promise<ClaimedDelivery | undefined> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: "sending", attempts: sql`${webhookDeliveries.attempts} + 1`, claim, claimedAt: now })
    .where(
      and(
        eq(webhookDeliveries.id, id),
        or(eq(webhookDeliveries.status, "queued"), and(eq(webhookDeliveries.status, "sending"), lt(webhookDeliveries.claimedAt, now - CLAIM_LEASE_MS))),
      ),
    )
    .returning();
  if (!row) return undefined;
  const endpoint = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, row.endpointId)).get();
  return endpoint && { ...row, url: endpoint.url, secretSealed: endpoint.secretSealed, companyId: endpoint.companyId, endpointStatus: endpoint.status, origin: endpoint.origin };
}

const claimed = (id: string, claim: string) => and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.claim, claim), eq(webhookDeliveries.status, "sending"));

export type Answer = { code: number | null; body: string | null };

/** Delivered: the row says so, and its endpoint is active again. */
export async function markDelivered(db: Db, row: { id: string; endpointId: string }, claim: string, answer: Answer, now: number): Promise<void> {
  await db.batch([
    db
      .update(webhookDeliveries)
      .set({ status: "delivered", deliveredAt: now, responseCode: answer.code, responseBody: answer.body, note: null, nextAttemptAt: null })
      .where(claimed(row.id, claim)),
    db.update(webhookEndpoints).set({ status: "active" }).where(eq(webhookEndpoints.id, row.endpointId)),
  ]);
}

/**
 * The attempt failed: the row waits for its retry, or is given up. Given up, its endpoint becomes
 * failing; true when this made it so (the caller tells the admin once, not per delivery).
 */
export async function markDeliveryFailed(db: Db, row: { id: string; endpointId: string }, claim: string, answer: Answer, after: AfterFailure): Promise<boolean> {
  const [settled] = await db
    .update(webhookDeliveries)
    .set({ status: after.status, note: after.note, responseCode: answer.code, responseBody: answer.body, nextAttemptAt: after.status === "queued" ? after.nextAttemptAt : null })
    .where(claimed(row.id, claim))
    .returning({ id: webhookDeliveries.id });
  if (!settled || after.status !== "failed") return false;
  const [turned] = await db
    .update(webhookEndpoints)
    .set({ status: "failing" })
    .where(and(eq(webhookEndpoints.id, row.endpointId), eq(webhookEndpoints.status, "active")))
    .returning({ id: webhookEndpoints.id });
  return !!turned;
}

/** Deliveries the queue missed: queued and a minute past their time, or `sending` past the lease. Oldest first. */
export async function webhooksToSweep(db: Db, now: number, limit = 500): Promise<string[]> {
  const rows = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      or(
        and(eq(webhookDeliveries.status, "queued"), lt(sql`coalesce(${webhookDeliveries.nextAttemptAt}, ${webhookDeliveries.createdAt})`, now - SWEEP_AFTER_MS)),
        and(eq(webhookDeliveries.status, "sending"), lt(webhookDeliveries.claimedAt, now - CLAIM_LEASE_MS)),
      ),
    )
    .orderBy(webhookDeliveries.createdAt)
    .limit(limit);
  return rows.map((r) => r.id);
}
