import { z } from "zod";

// What browsers may send over the live sockets. htmx's ws extension sends a form's values as
// JSON plus a HEADERS object; anything else is refused with an error frame.
export const MAX_FRAME_BYTES = 8 * 1024;
export const MAX_TEXT = 4000;

const headers = { HEADERS: z.record(z.string(), z.unknown()).optional() };

export const consoleMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("status"), status: z.enum(["WAITING_NEW_CALL", "TAKING_BREAK"]), ...headers }),
  // The room is named by the ring card, for an agent object that forgot the ring (the room checks it).
  z.object({ type: z.literal("answer"), chatId: z.string().uuid(), roomKey: z.string().max(200).optional(), ...headers }),
]);
export type ConsoleMessage = z.infer<typeof consoleMessage>;

export const chatMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().trim().min(1).max(MAX_TEXT), ...headers }),
  z.object({ type: z.literal("typing"), text: z.string().max(MAX_TEXT), ...headers }),
  z.object({ type: z.literal("hangup"), ...headers }),
  z.object({ type: z.literal("askAll"), ...headers }),
  // The agent's Start/Resume ("true") or Stop/Pause ("false") of the charges timer.
  z.object({ type: z.literal("timer"), running: z.enum(["true", "false"]).transform((v) => v === "true"), ...headers }),
]);
export type ChatMessage = z.infer<typeof chatMessage>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

/** Parses one frame; the error is a sentence for the person whose browser sent it. */
export function parseFrame<T>(schema: z.ZodType<T>, frame: string | ArrayBuffer): ParseResult<T> {
  if (typeof frame !== "string") return { ok: false, error: "Binary messages are not accepted." };
  if (frame.length > MAX_FRAME_BYTES) return { ok: false, error: "That message is too long." };
  let data: unknown;
  try {
    data = JSON.parse(frame);
  } catch {
    return { ok: false, error: "That message could not be read." };
  }
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
