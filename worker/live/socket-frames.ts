import type { InkColor } from "../calls/remote-control";
import type { ChatMessage } from "./socket-messages";

type SignalMessage = Extract<ChatMessage, { type: "signal" }>;

// What the server sends over the live sockets, typed. A frame is one of two kinds, told apart by
// the WebSocket frame type itself rather than by its text: a text frame is an HTML fragment for
// htmx to swap (out-of-band, by id); a binary frame is a JSON message with a `type`, for the
// page's controllers (static/controllers/socket-messages.js hands it to them as a
// `parley:message` event, and htmx never sees it). The heartbeat's "pong" is the transport's.

/** A message for a page's controller rather than for htmx. */
export type ServerMessage =
  /** Peer to peer: the other party's offer, answer or ICE candidate, relayed as sent (call_controller.js). */
  | { type: "call.signal"; from: string; description?: SignalMessage["description"]; candidate?: SignalMessage["candidate"] }
  /** The agent's pointer over the customer's shared screen; null: it left the screen (remote_control_controller.js). */
  | { type: "remote.pointer"; point: [number, number] | null }
  /** A chunk of the agent's ink: a new line when `index` is new, else more points of that line. */
  | { type: "remote.ink"; index: number; color: InkColor; points: number[] };

/** An HTML fragment (text frame) or an encoded message (binary frame). */
export type Frame = string | ArrayBuffer;

const encoder = new TextEncoder();

// The encoder's bytes own their whole buffer, which is what the socket sends (a view it would not).
export const messageFrame = (message: ServerMessage): ArrayBuffer => encoder.encode(JSON.stringify(message)).buffer as ArrayBuffer;

/** Sends one frame to each socket; a socket that is closing is skipped (its close handler does the bookkeeping). */
export function sendFrame(sockets: Iterable<WebSocket>, frame: Frame): void {
  for (const ws of sockets) {
    try {
      ws.send(frame);
    } catch {
      // a closing socket
    }
  }
}
