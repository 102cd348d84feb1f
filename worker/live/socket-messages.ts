import * as z from "zod";
import { wellFormed } from "../http/well-formed";
import { MAX_TRACKS, TRACK_NAME } from "../calls/media";
import { remoteControlMessages } from "../calls/remote-control";

// What browsers may send over the live sockets. htmx's ws extension sends a form's values as
// JSON plus a HEADERS object; anything else is refused with an error frame.
export const MAX_FRAME_BYTES = 8 * 1024;
export const MAX_TEXT = 4000;
/** Call signalling carries SDP, which is bigger than any text (see chatFrameLimit). */
export const MAX_SIGNAL_BYTES = 32 * 1024;

const headers = { HEADERS: z.record(z.string(), z.unknown()).optional() };
const invoiceNumber = z.string().regex(/^\d{1,6}$/).transform(Number);
/** One page's id in a call (random, made by the page). */
const clientId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);

export const consoleMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("status"), status: z.enum(["WAITING_NEW_CALL", "TAKING_BREAK"]), ...headers }),
  // The room is named by the ring card, for an agent object that forgot the ring (the room checks it).
  z.object({ type: z.literal("answer"), chatId: z.string().uuid(), roomKey: z.string().max(200).optional(), ...headers }),
  // Conference chat: the invited agent's answer to an invitation.
  z.object({ type: z.literal("join"), chatId: z.string().uuid(), ...headers }),
  z.object({ type: z.literal("decline"), chatId: z.string().uuid(), ...headers }),
  // The console's page went into the background or came back (a hidden console's agent is also pushed).
  z.object({ type: z.literal("visibility"), hidden: z.boolean() }),
]);
export type ConsoleMessage = z.infer<typeof consoleMessage>;

export const chatMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().trim().min(1).max(MAX_TEXT), ...headers }),
  z.object({ type: z.literal("typing"), text: z.string().max(MAX_TEXT), ...headers }),
  z.object({ type: z.literal("hangup"), ...headers }),
  z.object({ type: z.literal("askAll"), ...headers }),
  // The agent's Start/Resume ("true") or Stop/Pause ("false") of the charges timer.
  z.object({ type: z.literal("timer"), running: z.enum(["true", "false"]).transform((v) => v === "true"), ...headers }),
  // Manual payment requests: the agent's invoice form (checked in worker/billing/invoice.ts, so
  // that a refused form comes back with its own messages), Service Starts / Finished, and the
  // customer's Buy another session.
  z.object({
    type: z.literal("invoice"),
    kind: z.string().max(20).default(""),
    description: z.string().max(1000).default(""),
    amount: z.string().max(40).default(""),
    currency: z.string().max(8).default(""),
    minutes: z.string().max(10).default(""),
    ...headers,
  }),
  z.object({ type: z.literal("service"), action: z.enum(["start", "finish"]), invoice: invoiceNumber, ...headers }),
  z.object({ type: z.literal("buyAgain"), invoice: invoiceNumber, ...headers }),
  // Automatic charges: the agent gives up a fee the customer's cards could not pay.
  z.object({ type: z.literal("hangUpAnyway"), ...headers }),
  // Recording: the agent asks, the customer allows or refuses, and the agent's recorder says what
  // it does so that the customer sees it (durable-objects/chat/recording.ts).
  z.object({ type: z.literal("recording"), action: z.enum(["ask", "allow", "refuse", "start", "pause", "resume", "stop"]), ...headers }),
  // Conference chat: the host invites another agent of the company (checked against D1).
  z.object({ type: z.literal("invite"), agentId: z.string().min(1).max(64), ...headers }),
  // Remote control: the customer's grant, the agent's pointer and ink (worker/calls/remote-control.ts).
  ...remoteControlMessages,
  // A call: what this page sends (declared before it is negotiated), and, peer to peer, the
  // offers, answers and ICE candidates the ChatDO relays to the other party.
  z.object({
    type: z.literal("media"),
    clientId,
    tracks: z.array(z.object({ name: z.string().regex(TRACK_NAME), kind: z.enum(["mic", "camera", "screen"]) })).max(MAX_TRACKS),
    micMuted: z.boolean(),
    cameraMuted: z.boolean(),
  }),
  z.object({
    type: z.literal("signal"),
    clientId,
    description: z.object({ type: z.enum(["offer", "answer"]), sdp: z.string().max(MAX_SIGNAL_BYTES) }).optional(),
    candidate: z
      .object({
        candidate: z.string().max(1024),
        sdpMid: z.string().max(64).nullish(),
        sdpMLineIndex: z.number().int().min(0).max(64).nullish(),
        usernameFragment: z.string().max(256).nullish(),
      })
      .optional(),
  }),
]);
export type ChatMessage = z.infer<typeof chatMessage>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

/** How long a chat frame may be: a call's signalling frame (it starts so) carries an SDP. */
const chatFrameLimit = (frame: string | ArrayBuffer) =>
  typeof frame === "string" && frame.startsWith('{"type":"signal"') ? MAX_SIGNAL_BYTES : MAX_FRAME_BYTES;

/**
 * A text as the schema would give it, read without the schema: texts are most of a chat's
 * frames. Null for anything else, and for any text the schema might refuse, which then goes
 * through the schema. Unknown keys are left out, as the schema strips them.
 */
export function plainText(data: unknown): ChatMessage | null {
  if (typeof data !== "object" || data === null) return null;
  const { type, text, HEADERS } = data as { type?: unknown; text?: unknown; HEADERS?: unknown };
  if (type !== "text" || typeof text !== "string") return null;
  const trimmed = text.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_TEXT) return null;
  if (HEADERS === undefined) return { type, text: trimmed };
  if (typeof HEADERS !== "object" || HEADERS === null || Array.isArray(HEADERS)) return null;
  return { type, text: trimmed, HEADERS: { ...HEADERS } };
}

/** Parses a chat frame: as parseFrame, with a plain text read without the schema. */
export const parseChatFrame = (frame: string | ArrayBuffer): ParseResult<ChatMessage> => parseFrame(chatMessage, frame, chatFrameLimit(frame), plainText);

/**
 * Parses one frame; the error is a sentence for the person whose browser sent it. `shortcut`
 * may read the commonest frames without the schema (null: the schema decides).
 */
export function parseFrame<T>(schema: z.ZodType<T>, frame: string | ArrayBuffer, maxBytes = MAX_FRAME_BYTES, shortcut?: (data: unknown) => T | null): ParseResult<T> {
  if (typeof frame !== "string") return { ok: false, error: "Binary messages are not accepted." };
  if (frame.length > maxBytes) return { ok: false, error: "That message is too long." };
  let data: unknown;
  try {
    data = JSON.parse(frame);
  } catch {
    return { ok: false, error: "That message could not be read." };
  }
  if (!wellFormed(data)) return { ok: false, error: "That message holds characters that cannot be sent." };
  const quick = shortcut?.(data);
  if (quick) return { ok: true, message: quick };
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const textTooLong = parsed.error.issues.some((i) => i.path[0] === "text" && i.code === "too_big");
    return { ok: false, error: textTooLong ? `Messages can be at most ${MAX_TEXT} characters.` : "That message could not be understood." };
  }
  return { ok: true, message: parsed.data };
}

export function assertNever(x: never): never {
  throw new Error(`unhandled message ${JSON.stringify(x)}`);
}

/** Answers the peer's close frame: a hibernatable socket does not, and the peer would hang in CLOSING. */
export function answerClose(ws: WebSocket): void {
  try {
    ws.close(1000, "closed");
  } catch {
    // already closed, or errored
  }
}
