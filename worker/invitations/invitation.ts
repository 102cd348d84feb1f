import * as z from "zod";
import type { Plan } from "../accounts/company";
import { emailField } from "../accounts/validation";
import type { MailContent } from "../mail/message";
import type { Room } from "../rooms/room";
import { isRoomUsable } from "../rooms/usable-rooms";

// A consultation invitation (the cheat sheets' "Friends / Business" menu, Parley's Clients page):
// an agent emails a client a link to one of their rooms, whose contact form opens with the
// client's name and email filled in. The rooms an agent may invite to, what the form may hold,
// and what the mail says.

export const NOTE_MAX = 1000;

/** The room choice's value for the agent's own private room; a public room's is its id. */
export const PRIVATE_ROOM = "private";

/** A room an agent may invite a client to, and where its contact form is. */
export type InvitableRoom = {
  /** What the form's room choice sends. */
  value: string;
  label: string;
  /** The contact form's path: /c/{company}/{room} or /c/{company}/~{handle}. */
  path: string;
  /** The room whose settings (and public profile) the contact form uses. */
  room: Pick<Room, "id" | "name" | "chargingMode">;
  /** Set for the agent's private room: its chats come to this agent alone. */
  privateAgentId: string | null;
};

type Inviter = { id: string; handle: string; companySlug: string; plan: Plan };

/**
 * The rooms an agent may invite to: those they serve that the company's plan keeps open, then
 * their private room when they have one (its settings are another room's, usable by construction).
 */
export function invitableRooms(agent: Inviter, served: (Room & { rank: number })[], privateRoom: Room | undefined): InvitableRoom[] {
  const rooms = served
    .filter((r) => isRoomUsable(agent.plan, r.rank))
    .map((r): InvitableRoom => ({ value: r.id, label: r.name, path: `/c/${agent.companySlug}/${encodeURIComponent(r.name)}`, room: r, privateAgentId: null }));
  if (privateRoom) {
    rooms.push({ value: PRIVATE_ROOM, label: "Your private room", path: `/c/${agent.companySlug}/~${agent.handle}`, room: privateRoom, privateAgentId: agent.id });
  }
  return rooms;
}

const CHOOSE_ROOM = "Choose one of your rooms.";

/** The invitation form; `rooms` are the values of the rooms this agent may invite to. */
export const invitationForm = (rooms: string[]) =>
  z.object({
    name: z
      .string({ error: "Enter your client's name." })
      // A name is one line: a hand-made request's line breaks are folded, as in a mail's header.
      .transform((s) => s.replace(/\s+/g, " ").trim())
      .pipe(z.string().min(1, "Enter your client's name.").max(80, "Use at most 80 characters.")),
    email: z.string({ error: "Enter your client's email address." }).trim().min(1, "Enter your client's email address.").pipe(emailField),
    room: z.string({ error: CHOOSE_ROOM }).refine((v) => rooms.includes(v), CHOOSE_ROOM),
    note: z
      .string()
      .trim()
      .max(NOTE_MAX, `Use at most ${NOTE_MAX} characters.`)
      .optional()
      .transform((s) => s || null),
  });

export type InvitationInput = z.output<ReturnType<typeof invitationForm>>;

/** What the client reads: who invites them, the agent's note, what the room costs, the link. */
export function invitationMail({
  agentName,
  businessName,
  clientName,
  note,
  room,
  link,
}: {
  agentName: string;
  /** The sender's name: the room's public profile, else the company's. */
  businessName: string;
  clientName: string;
  note: string | null;
  room: InvitableRoom;
  link: string;
}): MailContent {
  const who = agentName === businessName ? agentName : `${agentName} of ${businessName}`;
  const price: Record<Room["chargingMode"], string | null> = {
    none: null,
    automatic: "This is a paid consultation: you will be asked to authorise a card before it starts, and charged for its time when it ends.",
    manual: `This is a paid consultation: ${agentName} may send you an invoice to pay during the chat.`,
  };
  return {
    // The agent's and the business's names only: the note is free text and stays in the body.
    subject: `${who} invites you to a consultation`,
    greeting: `Hello ${clientName},`,
    paragraphs: [
      `${who} invites you to a consultation.`,
      ...(note ? note.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean) : []),
      ...[price[room.room.chargingMode]].filter((p) => p !== null),
      room.privateAgentId
        ? `The link below opens ${agentName}'s contact form with your name and email filled in; choose how you would like to talk, and you are put through to ${agentName}.`
        : `The link below opens ${businessName}'s contact form with your name and email filled in; choose how you would like to talk when it suits you.`,
    ],
    action: { label: "Open the contact form", url: link },
  };
}
