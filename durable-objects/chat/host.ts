import type { CachedKv } from "../cached-kv";
import type { AgentCard, ChatInit, Party } from "../../worker/live/contracts";
import type { ConferenceViewer } from "../../views/live/ConferenceFragments";
import type { ChatFrame } from "./frames";
import type { Bindings } from "../../worker/app-env";

// What the ChatDO lends each of its slices (billing, invoices, conference, recording, remote
// control, media): its storage, where each slice keeps its own keys, the chat's facts, its
// sockets, and its alarm. A slice sends data (ChatFrame); the ChatDO renders it (frames.ts).

export type ChatStatus = "waiting" | "connected" | "ended";

export interface ChatHost {
  /** The Worker's bindings, with the optional secrets (Stripe) the slices read. */
  readonly env: Bindings;
  readonly kv: CachedKv;
  /** The chat's facts from its start (a slice is only made for a started chat). */
  init(): ChatInit;
  status(): ChatStatus;
  /** The agent who took the chat; null while it waits. */
  agent(): AgentCard | null;
  /** How each party is named on the other's screen. */
  names(): Record<Party, string>;
  send(party: Party, frame: ChatFrame): void;
  /** To the customer, the host and the conference's guests, each its own. */
  sendAll(frame: (viewer: ConferenceViewer) => ChatFrame): void;
  /** To the one socket a frame came from (a refusal). */
  reply(ws: WebSocket, frame: ChatFrame): void;
  setDeadline(name: string, at: number): Promise<void>;
  clearDeadline(name: string): void;
}
