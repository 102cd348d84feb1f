// The rules of a conference chat, kept pure: the chat's agent (the host) invites other agents of
// the company, each joins or declines, and a guest may leave while the chat goes on. Guests talk
// by text; billing, invoices, recording and the call stay the host's.

export const MAX_GUESTS = 3;

export type GuestState = "invited" | "joined" | "declined" | "left";
export type Guest = { agentId: string; name: string; state: GuestState; invitedAt: number; joinedAt: number | null };
/** The chat's guests by agent id, in the order they were invited. */
export type Conference = Record<string, Guest>;

export type Invitee = { agentId: string; name: string };

export type ConferenceContext = {
  /** The room's Conference Chat button (phone customization). */
  enabled: boolean;
  connected: boolean;
  hostId: string | null;
  now: number;
};

export type ConferenceStep = { conference: Conference; guest: Guest } | { error: string };

/** How a guest's lines are stored in the chat's transcript. */
export const guestSender = (agentId: string) => `guest:${agentId}`;
/** The guest who sent a stored line, or null for the customer's and the host's lines. */
export const guestOf = (sender: string): string | null => (sender.startsWith("guest:") ? sender.slice(6) : null);

/** Guests present or on their way: they count against MAX_GUESTS and cannot be invited again. */
const taking = (g: Guest) => g.state === "invited" || g.state === "joined";

/** The host invites `invitee` (checked by the caller to be an active agent of the company). */
export function inviteStep(conference: Conference, invitee: Invitee | null, ctx: ConferenceContext): ConferenceStep {
  if (!ctx.enabled) return { error: "Conference chat is not available in this chat room." };
  if (!ctx.connected) return { error: "You can add an agent once the chat is connected." };
  if (!invitee) return { error: "That agent is not in your company." };
  if (invitee.agentId === ctx.hostId) return { error: "You are already in this chat." };
  const existing = conference[invitee.agentId];
  if (existing?.state === "invited") return { error: `${invitee.name} has already been invited.` };
  if (existing?.state === "joined") return { error: `${invitee.name} is already in this chat.` };
  if (Object.values(conference).filter(taking).length >= MAX_GUESTS) return { error: `A chat can have at most ${MAX_GUESTS} added agents.` };
  const guest: Guest = { agentId: invitee.agentId, name: invitee.name, state: "invited", invitedAt: ctx.now, joinedAt: null };
  return { conference: { ...conference, [guest.agentId]: guest }, guest };
}

/** The invited agent answers: joins (while the chat is connected) or declines. */
export function answerStep(conference: Conference, agentId: string, join: boolean, ctx: ConferenceContext): ConferenceStep {
  const guest = conference[agentId];
  if (guest?.state !== "invited") return { error: "That invitation is no longer open." };
  if (join && !ctx.connected) return { error: "That chat has ended." };
  const answered: Guest = join ? { ...guest, state: "joined", joinedAt: ctx.now } : { ...guest, state: "declined" };
  return { conference: { ...conference, [agentId]: answered }, guest: answered };
}

/** A guest leaves; the chat goes on between the others. */
export function leaveStep(conference: Conference, agentId: string): ConferenceStep {
  const guest = conference[agentId];
  if (guest?.state !== "joined") return { error: "You are not in this chat." };
  const left: Guest = { ...guest, state: "left" };
  return { conference: { ...conference, [agentId]: left }, guest: left };
}

export const joinedGuests = (conference: Conference): Guest[] => Object.values(conference).filter((g) => g.state === "joined");
export const invitedGuests = (conference: Conference): Guest[] => Object.values(conference).filter((g) => g.state === "invited");
