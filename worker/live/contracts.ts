import type { RoutingRules, WaitingCustomer } from "../routing/distribute";
import type { BillingConfig } from "./chat-bill";
import type { AgentPresence, Device, Location } from "../routing/presence";
import type { MediaPath, PhoneButtons } from "../calls/media";

// What the Worker and the Durable Objects tell each other: the arguments and replies of their
// calls, and the words of their refusals. The objects import this module, never each other. A
// room is addressed by its key, `{companyId}:{roomName}`, where an agent's private room is named
// `~{handle}`.

export const roomKey = (companyId: string, roomName: string) => `${companyId}:${roomName}`;

export type ContactDetails = { name: string | null; email: string | null; phone: string | null; message: string | null };

export type AgentIdentity = {
  agentId: string;
  email: string;
  name: string;
  companyId: string;
  ringtone: string;
  /** Show a browser notification when a chat rings. */
  notify: boolean;
  greeting: string;
  photoUrl: string | null;
  /** Keys of the rooms this agent serves, the private room included. */
  roomKeys: string[];
  location: Location | null;
};

export type RingInfo = {
  chatId: string;
  roomKey: string;
  /** The room as the agent reads it: a public room's name, or a private room's address `~handle`. */
  roomName: string;
  mode: "chat" | "voice" | "video";
  customer: ContactDetails;
  askedAt: number;
  simultaneousChats: boolean;
};

export type ChatInit = {
  chatId: string;
  companyId: string;
  roomKey: string;
  /** As RingInfo's: `~handle` in a private room. */
  roomName: string;
  companyName: string;
  /** The room's theme colour (#rrggbb), so the chat's pages look like its contact form (absent: older chats). */
  theme?: string;
  /** The contact form this chat came from, for "Start a new chat". */
  contactPath: string;
  mode: "chat" | "voice" | "video";
  agentRole: string;
  hidePreviewTyping: boolean;
  allowLeaveEmail: boolean;
  allowEmailAlert: boolean;
  sameAgent: boolean;
  wrapUpSeconds: number | null;
  customerTokenHash: string;
  customer: ContactDetails;
  /** Automatic charges: the chat is distributed only once the customer's card is authorised. */
  billing: BillingConfig | null;
  /** The room takes manual payment requests (absent: older chats, whose D1 record says). */
  manualPayments?: boolean;
  /** How this chat's calls travel and which call buttons its room shows (absent: older chats, P2P and the defaults). */
  call?: { path: MediaPath; buttons: PhoneButtons };
  /** The room's Video Recording button (phone customization): the agent may ask to record. */
  recording?: boolean;
  /** The room's Conference Chat button: the agent may add agents of the company to the chat. */
  conference?: boolean;
};

export type EnqueueRequest = {
  ring: RingInfo;
  visitorId: string;
  location: Location | null;
  rules: RoutingRules;
};

/**
 * What a waiting customer is told about the queue: their place (1 = next), whether some agent of
 * the room is free, whether anyone is logged on in the room at all, and whether the chat waits
 * for the agent who served this customer last (sticky-agent mode), who alone is rung.
 */
export type QueueState = { position: number; agentFree: boolean; anyoneOnline: boolean; forLastAgent: boolean };

export type AgentCard = { agentId: string; name: string; greeting: string; photoUrl: string | null };

export type AnswerResult = { ok: true } | { ok: false; reason: string };

/** The two sides of a chat (a conference guest is neither). */
export type Party = "customer" | "agent";
export const PARTIES: readonly Party[] = ["customer", "agent"];
export const otherParty = (party: Party): Party => (party === "customer" ? "agent" : "customer");

/** Why an answer or a ring is withdrawn, as the agent reads it (the RoomDO, ConsolesDO and AgentDO say the same). */
export const ANSWERED_FIRST = "Another agent answered this chat first.";
export const CUSTOMER_LEFT = "The customer left before you answered.";

/**
 * How many consoles of each device the agent has open (the company's ConsolesDO counts them), and
 * how many of them are in sight (a page in the background, or a phone's screen off, is not).
 */
export type ConsoleCounts = Record<Device, number> & { visible: number };
/**
 * What a console's frame gets back from the AgentDO: `html` for that console alone, `device` for
 * every console of the agent on its device (sent after the agent's earlier frames); `taken`: an
 * answer that took its chat; `unrung`: the answer was refused and the chat's ring card taken down
 * on this agent's consoles, so the chat may ring them again (when they are free). Replying spares
 * a second call back to the ConsolesDO for the agent's own actions.
 */
export type ConsoleReply = { html?: string; device?: string; taken?: boolean; unrung?: boolean };

/** A chat ringing agents, with its ring card rendered once by the room for every agent rung. */
export type RingOffer = { ring: RingInfo; html: string };
/** Agents a room rings, each on the devices the routing rules chose, for some of the chats offered. */
export type RingTarget = { agentId: string; devices: Device[]; chatIds: string[] };

export type { AgentPresence, Device, WaitingCustomer };
