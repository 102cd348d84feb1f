import { and, eq, gt, lte, sql } from "drizzle-orm";
import { newId } from "../accounts/tokens";
import { agentFreeMail, ALERT_LIFETIME_MS, customerWaitingMail, type AlertOutcome, type OpenAlert } from "../alerts/free-alert";
import { chats, customerRequests, rooms, users } from "../db/schema";
import type { OutgoingMail } from "../mail/message";
import { alertedAgents } from "./customer-requests";
import type { Db } from "./db";
import { mailInsert, senderOf } from "./outbox";

// Alerts in D1 (customer_requests of kind "alert"): written with the mails to the room's agents,
// settled with the customer's mail when an agent is free, expired, or stopped by the customer.

/** The alert a waiting customer asks for, and where it waits. */
export type NewFreeAlert = {
  companyId: string;
  roomId: string;
  privateAgentId: string | null;
  /** The room's object, which hears when an agent of the room is free. */
  roomKey: string;
  roomUrl: string;
  chatId: string;
  name: string | null;
  email: string;
};

/** The room's name as its people know it: an agent's private room by the agent's name. */
const roomNameOf = (db: Db, roomId: string, privateAgentId: string | null) =>
  db
    .select({ room: rooms.name, agent: users.name })
    .from(rooms)
    .leftJoin(users, eq(users.id, privateAgentId ?? ""))
    .where(eq(rooms.id, roomId))
    .get()
    .then((row) => (row?.agent ? `${row.agent}'s private room` : (row?.room ?? "")));

/**
 * Saves the alert and, in the same batch, a mail to each agent of the room who keeps Email Alert
 * on, telling them a customer is waiting. One alert per customer per room a day: asking again
 * within the day adds nothing (`added: false`). Returns the outbox ids, for the mail queue.
 */
export async function addFreeAlert(db: Db, alert: NewFreeAlert, origin: string, now = Date.now()): Promise<{ added: boolean; mailIds: string[] }> {
  const email = alert.email.trim().toLowerCase();
  const earlier = await db
    .select({ id: customerRequests.id })
    .from(customerRequests)
    .where(and(eq(customerRequests.kind, "alert"), eq(customerRequests.roomKey, alert.roomKey), eq(customerRequests.email, email), gt(customerRequests.createdAt, now - ALERT_LIFETIME_MS)))
    .get();
  if (earlier) return { added: false, mailIds: [] };
  const id = newId();
  const [sender, roomName, agents] = await Promise.all([senderOf(db, alert.companyId, alert.roomId), roomNameOf(db, alert.roomId, alert.privateAgentId), alertedAgents(db, alert)]);
  const mails = agents.map(
    (agent): OutgoingMail => ({
      id: `${id}:waiting:${agent.email}`,
      companyId: alert.companyId,
      kind: "alert",
      unsubscribeUrl: `${origin}/agent/profile#emailAlert`,
      to: agent.email,
      sender,
      content: customerWaitingMail(agent, { name: alert.name, email }, roomName, `${origin}/agent`),
    }),
  );
  await db.batch([db.insert(customerRequests).values({ id, ...alert, email, kind: "alert", createdAt: now }), ...mails.map((m) => mailInsert(db, m))]);
  return { added: true, mailIds: mails.map((m) => m.id) };
}

export type RoomAlert = OpenAlert & { companyId: string; roomId: string; privateAgentId: string | null; name: string | null; email: string; roomUrl: string | null };

/** The room's open alerts, each with whether an agent answered the chat it came from. */
export const openAlerts = (db: Db, roomKey: string): Promise<RoomAlert[]> =>
  db
    .select({
      id: customerRequests.id,
      chatId: customerRequests.chatId,
      createdAt: customerRequests.createdAt,
      chatAnswered: sql<boolean>`${chats.answeredAt} is not null`.mapWith(Boolean),
      companyId: customerRequests.companyId,
      roomId: customerRequests.roomId,
      privateAgentId: customerRequests.privateAgentId,
      name: customerRequests.name,
      email: customerRequests.email,
      roomUrl: customerRequests.roomUrl,
    })
    .from(customerRequests)
    .leftJoin(chats, eq(chats.id, customerRequests.chatId))
    .where(and(eq(customerRequests.kind, "alert"), eq(customerRequests.status, "open"), eq(customerRequests.roomKey, roomKey)));

/** A room renamed: its open alerts wait on its new key (the old name's link still leads to it). */
export const moveOpenAlerts = (db: Db, fromKey: string, toKey: string) =>
  db
    .update(customerRequests)
    .set({ roomKey: toKey })
    .where(and(eq(customerRequests.kind, "alert"), eq(customerRequests.status, "open"), eq(customerRequests.roomKey, fromKey)));

/** When the room's open alerts expire, or null when it has none: the mark its object keeps. */
export async function openAlertsUntil(db: Db, roomKey: string): Promise<number | null> {
  const row = await db
    .select({ latest: sql<number | null>`max(${customerRequests.createdAt})` })
    .from(customerRequests)
    .where(and(eq(customerRequests.kind, "alert"), eq(customerRequests.status, "open"), eq(customerRequests.roomKey, roomKey)))
    .get();
  return row?.latest ? row.latest + ALERT_LIFETIME_MS : null;
}

/** The unsubscribe link of a customer's alert mail: it needs no session, the alert's id is the secret. */
export const unsubscribeUrl = (roomUrl: string, alertId: string) => `${new URL(roomUrl).origin}/alerts/${alertId}/unsubscribe`;

/** The customer's mail for an alert whose agent is free now. */
export async function agentFreeMailFor(db: Db, alert: RoomAlert): Promise<OutgoingMail | null> {
  if (!alert.roomUrl) return null;
  const [sender, roomName] = await Promise.all([senderOf(db, alert.companyId, alert.roomId), roomNameOf(db, alert.roomId, alert.privateAgentId)]);
  return {
    id: `${alert.id}:free`,
    companyId: alert.companyId,
    kind: "alert",
    unsubscribeUrl: unsubscribeUrl(alert.roomUrl, alert.id),
    to: alert.email,
    sender,
    content: agentFreeMail(alert, { companyName: sender.name, roomName, roomUrl: alert.roomUrl }),
  };
}

const settle = (db: Db, id: string, outcome: AlertOutcome, now: number) =>
  db
    .update(customerRequests)
    .set({ status: "done", handledAt: now, alertOutcome: outcome })
    .where(and(eq(customerRequests.id, id), eq(customerRequests.status, "open")));

/**
 * Ends the alerts with their outcomes and writes the customers' mails, in one batch. Settling
 * twice writes nothing more: the update wants an open alert, the mail's id is the alert's.
 */
export async function settleAlerts(db: Db, settled: { id: string; outcome: AlertOutcome }[], mails: OutgoingMail[], now = Date.now()): Promise<void> {
  const statements = [...settled.map((a) => settle(db, a.id, a.outcome, now)), ...mails.map((m) => mailInsert(db, m))];
  if (statements.length) await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
}

/** Ends the alerts nobody was free for within a day. Returns how many. */
export async function expireAlerts(db: Db, now = Date.now()): Promise<number> {
  const expired = await db
    .update(customerRequests)
    .set({ status: "done", handledAt: now, alertOutcome: "expired" })
    .where(and(eq(customerRequests.kind, "alert"), eq(customerRequests.status, "open"), lte(customerRequests.createdAt, now - ALERT_LIFETIME_MS)))
    .returning({ id: customerRequests.id });
  return expired.length;
}

const alertOf = (db: Db, alertId: string) =>
  db
    .select({ companyId: customerRequests.companyId, roomId: customerRequests.roomId, email: customerRequests.email })
    .from(customerRequests)
    .where(and(eq(customerRequests.id, alertId), eq(customerRequests.kind, "alert")))
    .get();

/** The company's name as the alert's mail showed it, or undefined for an unknown alert. */
export async function alertCompanyName(db: Db, alertId: string): Promise<string | undefined> {
  const alert = await alertOf(db, alertId);
  return alert && (await senderOf(db, alert.companyId, alert.roomId)).name;
}

/**
 * The customer stops alerts from the company: every open alert of theirs there ends. Returns the
 * company's name as the mail showed it, or undefined for an unknown alert.
 */
export async function unsubscribeAlerts(db: Db, alertId: string, now = Date.now()): Promise<string | undefined> {
  const alert = await alertOf(db, alertId);
  if (!alert) return undefined;
  await db
    .update(customerRequests)
    .set({ status: "done", handledAt: now, alertOutcome: "unsubscribed" })
    .where(and(eq(customerRequests.kind, "alert"), eq(customerRequests.status, "open"), eq(customerRequests.companyId, alert.companyId), eq(customerRequests.email, alert.email)));
  return (await senderOf(db, alert.companyId, alert.roomId)).name;
}
