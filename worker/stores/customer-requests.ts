import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { newId } from "../accounts/tokens";
import { agentProfiles, customerRequests, roomAgents, rooms, users } from "../db/schema";
import type { OutgoingMail } from "../mail/message";
import type { Db } from "./db";
import { mailInsert, senderOf } from "./outbox";
import { webhookInsert } from "./webhooks";
import { messageLeft } from "../webhooks/payloads";

// What customers ask of a company outside a live chat: a message left by email ("Email us" on the
// contact form, "Leave an email message" on the waiting screen), which the room's agents read and
// answer in their Inbox. The other kind, an alert to be written to when an agent is free, is
// worker/stores/free-alerts.ts.

export type InboxStatus = (typeof customerRequests.$inferSelect)["status"];

/**
 * A message left for the company; its text may be missing where the room hides the message field.
 * One left in an agent's private room names that agent.
 */
export type NewCustomerMessage = { companyId: string; roomId: string; privateAgentId: string | null; name: string | null; email: string; body: string | null };

/**
 * Saves a customer's message and, in the same batch, an alert mail to each agent of the room who
 * keeps Email Alert on (for a private room's message, its agent only), linking to the message in
 * the Inbox, and the message.left webhook. A room with no such agent still gets the message: it
 * waits in the Inbox. Returns the outbox ids and the event's id, for the mail and webhook queues.
 */
export async function saveCustomerMessage(db: Db, message: NewCustomerMessage, origin: string, now = Date.now()): Promise<{ mails: string[]; events: string[] }> {
  const id = newId();
  const [sender, room, agents] = await Promise.all([
    senderOf(db, message.companyId, message.roomId),
    db.select({ name: rooms.name }).from(rooms).where(eq(rooms.id, message.roomId)).get(),
    alertedAgents(db, message),
  ]);
  const who = message.name || message.email;
  const roomName = message.privateAgentId ? "your private" : (room?.name ?? "");
  const mails = agents.map(
    (agent): OutgoingMail => ({
      id: `${id}:alert:${agent.email}`,
      companyId: message.companyId,
      kind: "alert",
      unsubscribeUrl: `${origin}/agent/profile#emailAlert`,
      to: agent.email,
      sender,
      content: {
        subject: `New message from ${who}`,
        greeting: `Hello ${agent.name},`,
        paragraphs: [
          message.body ? `${who} left a message in the ${roomName} room:` : `${who} asked to be answered by email in the ${roomName} room.`,
          ...(message.body ? [message.body] : []),
          "Answer it from your Inbox; your reply goes to the customer by email.",
        ],
        facts: [
          ["Name", message.name ?? "—"],
          ["Email", message.email],
          ["Room", message.privateAgentId ? "Your private room" : (room?.name ?? "—")],
        ],
        action: { label: "Open in the Inbox", url: `${origin}/agent/inbox/${id}` },
      },
    }),
  );
  const event = messageLeft({ id, room: room?.name ?? "", privateRoom: !!message.privateAgentId, name: message.name, email: message.email, body: message.body }, now);
  await db.batch([
    db.insert(customerRequests).values({ id, ...message, kind: "message" }),
    ...mails.map((m) => mailInsert(db, m)),
    webhookInsert(db, message.companyId, event),
  ]);
  return { mails: mails.map((m) => m.id), events: [event.id] };
}

/**
 * The agents to alert about a room's customer: those serving the room who keep Email Alert on
 * (for an agent's private room, that agent only), neither disabled nor no longer agents.
 */
export const alertedAgents = (db: Db, place: { companyId: string; roomId: string; privateAgentId: string | null }) =>
  db
    .select({ email: users.email, name: users.name })
    .from(users)
    .leftJoin(agentProfiles, eq(agentProfiles.userId, users.id))
    .where(
      and(
        place.privateAgentId ? eq(users.id, place.privateAgentId) : inArray(users.id, sql`(select ${roomAgents.userId} from ${roomAgents} where ${roomAgents.roomId} = ${place.roomId})`),
        eq(users.companyId, place.companyId),
        eq(users.isAgent, true),
        eq(users.disabled, false),
        // No profile saved yet: Email Alert is on by default.
        sql`coalesce(${agentProfiles.emailAlert}, 1) = 1`,
      ),
    );

/** Who reads an Inbox: an agent sees the rooms they serve, an administrator all of the company's. */
export type InboxReader = { id: string; companyId: string; isAdmin: boolean };

/** The messages the reader may see, as a condition: a private room's only to its agent (and the administrators). */
const readable = (reader: InboxReader) =>
  and(
    eq(customerRequests.companyId, reader.companyId),
    eq(customerRequests.kind, "message"),
    reader.isAdmin
      ? undefined
      : or(
          eq(customerRequests.privateAgentId, reader.id),
          and(isNull(customerRequests.privateAgentId), inArray(customerRequests.roomId, sql`(select ${roomAgents.roomId} from ${roomAgents} where ${roomAgents.userId} = ${reader.id})`)),
        ),
  );

const inboxColumns = {
  id: customerRequests.id,
  roomId: customerRequests.roomId,
  roomName: rooms.name,
  privateAgentId: customerRequests.privateAgentId,
  name: customerRequests.name,
  email: customerRequests.email,
  body: customerRequests.body,
  status: customerRequests.status,
  createdAt: customerRequests.createdAt,
  handledAt: customerRequests.handledAt,
  answeredAt: customerRequests.answeredAt,
  answeredBy: users.name,
  replyText: customerRequests.replyText,
};

export type InboxMessage = {
  id: string;
  roomId: string;
  roomName: string;
  privateAgentId: string | null;
  name: string | null;
  email: string;
  body: string | null;
  status: InboxStatus;
  createdAt: number;
  handledAt: number | null;
  answeredAt: number | null;
  answeredBy: string | null;
  replyText: string | null;
};

const inboxQuery = (db: Db) =>
  db.select(inboxColumns).from(customerRequests).innerJoin(rooms, eq(rooms.id, customerRequests.roomId)).leftJoin(users, eq(users.id, customerRequests.answeredBy));

/** The reader's messages with this status, newest first. */
export const listInbox = (db: Db, reader: InboxReader, status: InboxStatus, limit = 200): Promise<InboxMessage[]> =>
  inboxQuery(db)
    .where(and(readable(reader), eq(customerRequests.status, status)))
    .orderBy(desc(customerRequests.createdAt), desc(customerRequests.id))
    .limit(limit);

/** One message, if the reader may see it. */
export const getInboxMessage = (db: Db, reader: InboxReader, id: string): Promise<InboxMessage | undefined> =>
  inboxQuery(db).where(and(readable(reader), eq(customerRequests.id, id))).get();

/** How many of the reader's messages are open. */
export async function openInboxCount(db: Db, reader: InboxReader): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(customerRequests)
    .where(and(readable(reader), eq(customerRequests.status, "open")))
    .get();
  return row?.n ?? 0;
}

/**
 * Emails the agent's reply to the customer and records it on the message (the last reply: who,
 * when, what), in one batch. Returns the outbox id, for the mail queue.
 */
export async function replyToMessage(db: Db, agent: InboxReader, message: InboxMessage, text: string, now = Date.now()): Promise<string> {
  const sender = await senderOf(db, agent.companyId, message.roomId);
  const mail: OutgoingMail = {
    id: `${message.id}:reply:${now}`,
    companyId: agent.companyId,
    kind: "notice",
    to: message.email,
    sender,
    content: {
      subject: `Re: ${message.body ? firstLine(message.body) : "your message"}`,
      greeting: message.name ? `Hello ${message.name},` : undefined,
      paragraphs: [...text.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean), ...(message.body ? [`You wrote: “${message.body}”`] : [])],
    },
  };
  await db.batch([
    db.update(customerRequests).set({ answeredAt: now, answeredBy: agent.id, replyText: text }).where(eq(customerRequests.id, message.id)),
    mailInsert(db, mail),
  ]);
  return mail.id;
}

/** The subject's "Re: …": the message's first line, cut to a reasonable length. */
const firstLine = (body: string) => {
  const line = body.trim().split(/\r?\n/)[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
};

/** Done, or open again. */
export async function setInboxStatus(db: Db, id: string, status: InboxStatus, now = Date.now()): Promise<void> {
  await db
    .update(customerRequests)
    .set({ status, handledAt: status === "done" ? now : null })
    .where(eq(customerRequests.id, id));
}
