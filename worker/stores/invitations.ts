import { and, count, desc, eq, inArray, isNull, min, sql, type SQL } from "drizzle-orm";
import type { SessionUser } from "../accounts/sessions";
import { newId } from "../accounts/tokens";
import { chats, emailOutbox, invitations, rooms } from "../db/schema";
import { invitableRooms, invitationMail, type InvitableRoom, type InvitationInput } from "../invitations/invitation";
import type { MailStatus, OutgoingMail } from "../mail/message";
import type { Db } from "./db";
import { mailInsert, senderOf } from "./outbox";
import { getUsablePrivateRoom, listServedRooms } from "./rooms";

// Consultation invitations (the Clients page): sent by an agent with their mail in one batch,
// listed for that agent with whether each led to a chat, and read back by the contact form the
// link opens. A chat started from the link names its invitation (chats.invitation_id).

type Agent = Pick<SessionUser, "id" | "name" | "handle" | "companyId" | "companySlug" | "plan">;

/** The rooms this agent may invite a client to (invitations/invitation.ts). */
export async function listInvitableRooms(db: Db, agent: Agent): Promise<InvitableRoom[]> {
  const [served, own] = await Promise.all([listServedRooms(db, agent), getUsablePrivateRoom(db, { id: agent.companyId, plan: agent.plan }, agent.handle)]);
  return invitableRooms(agent, served, own?.room);
}

/** The invitation's mail in the outbox is `{invitation id}:invitation`: one mail per invitation. */
const MAIL_ID_SUFFIX = ":invitation";

/**
 * Saves the invitation and, in the same batch, its mail to the client from the room's public
 * profile, with the link to the room's contact form. Returns both ids; the mail's is for the queue.
 */
export async function sendInvitation(db: Db, agent: Agent, room: InvitableRoom, input: InvitationInput, origin: string): Promise<{ id: string; mailId: string }> {
  const id = newId();
  const sender = await senderOf(db, agent.companyId, room.room.id);
  const mail: OutgoingMail = {
    id: `${id}${MAIL_ID_SUFFIX}`,
    companyId: agent.companyId,
    kind: "notice",
    to: input.email,
    sender,
    content: invitationMail({ agentName: agent.name, businessName: sender.name, clientName: input.name, note: input.note, room, link: `${origin}${room.path}?invitation=${id}` }),
  };
  await db.batch([
    db.insert(invitations).values({
      id,
      companyId: agent.companyId,
      agentId: agent.id,
      roomId: room.room.id,
      privateAgentId: room.privateAgentId,
      name: input.name,
      email: input.email,
      note: input.note,
    }),
    mailInsert(db, mail),
  ]);
  return { id, mailId: mail.id };
}

/** Where a contact form is: a company's room, or an agent's private room (whose room is the one it takes settings from). */
export type ContactPlace = { companyId: string; roomId: string; privateAgentId: string | null };

/** Invitations to this place: a private room's by its agent (its settings' room may have changed since), a room's by the room. */
const toPlace = (place: ContactPlace) =>
  and(
    eq(invitations.companyId, place.companyId),
    place.privateAgentId ? eq(invitations.privateAgentId, place.privateAgentId) : and(isNull(invitations.privateAgentId), eq(invitations.roomId, place.roomId)),
  );

/** The invitation a contact form's link names, when it invited to this place: the name and email to fill in. */
export const invitationTo = (db: Db, id: string, place: ContactPlace): Promise<{ id: string; name: string; email: string } | undefined> =>
  db
    .select({ id: invitations.id, name: invitations.name, email: invitations.email })
    .from(invitations)
    .where(and(eq(invitations.id, id), toPlace(place)))
    .get();

/**
 * The invitation a new chat names, for its record: the id when it invited to the chat's place,
 * else null. A subquery, so the chat's one insert checks it (a stale or made-up reference
 * neither fails the chat nor marks someone else's invitation).
 */
export const invitationOfChat = (id: string, place: ContactPlace): SQL =>
  sql`(select ${invitations.id} from ${invitations} where ${and(eq(invitations.id, id), toPlace(place))})`;

export type SentInvitation = {
  id: string;
  name: string;
  email: string;
  roomName: string;
  privateRoom: boolean;
  note: string | null;
  createdAt: number;
  /** Where its mail stands; null if the row is gone. */
  mailStatus: MailStatus | null;
  /** Chats started from its link; the first one's start, and the first answer by an agent. */
  chats: number;
  firstChatAt: number | null;
  answeredAt: number | null;
};

/** The invitations this agent sent, newest first, each with its mail's state and the chats it led to. */
export async function listSentInvitations(db: Db, agent: { id: string; companyId: string }, limit = 200): Promise<SentInvitation[]> {
  const mine = and(eq(invitations.agentId, agent.id), eq(invitations.companyId, agent.companyId));
  // Grouped and joined, not correlated: see listRooms (stores/rooms.ts) on drizzle's unqualified ids.
  const led = db
    .select({ invitationId: chats.invitationId, chats: count().as("chats"), firstChatAt: min(chats.createdAt).as("first_chat_at"), answeredAt: min(chats.answeredAt).as("first_answered_at") })
    .from(chats)
    .where(inArray(chats.invitationId, db.select({ id: invitations.id }).from(invitations).where(mine)))
    .groupBy(chats.invitationId)
    .as("led");
  const rows = await db
    .select({
      id: invitations.id,
      name: invitations.name,
      email: invitations.email,
      roomName: rooms.name,
      privateAgentId: invitations.privateAgentId,
      note: invitations.note,
      createdAt: invitations.createdAt,
      mailStatus: emailOutbox.status,
      chats: sql<number>`coalesce(${led.chats}, 0)`,
      firstChatAt: led.firstChatAt,
      answeredAt: led.answeredAt,
    })
    .from(invitations)
    .innerJoin(rooms, eq(rooms.id, invitations.roomId))
    .leftJoin(emailOutbox, eq(emailOutbox.id, sql`${invitations.id} || ${MAIL_ID_SUFFIX}`))
    .leftJoin(led, eq(led.invitationId, invitations.id))
    .where(mine)
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(limit);
  return rows.map(({ privateAgentId, ...row }) => ({ ...row, privateRoom: privateAgentId !== null }));
}
