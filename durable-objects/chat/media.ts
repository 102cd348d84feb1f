import { DEFAULT_PHONE_BUTTONS, refusedSdp, refusedTracks, type CallsAccess, type MediaPath, type PartyMedia, type PhoneButtons, type TrackKind } from "../../worker/calls/media";
import type { ChatMessage } from "../../worker/live/socket-messages";
import type { ServerMessage } from "../../worker/live/socket-frames";
import { otherParty, type Party } from "../../worker/live/contracts";
import type { CachedKv } from "../cached-kv";
import type { ChatHost } from "./host";
import type { CallView } from "../../worker/live/chat-views";

// A chat's call, kept in the ChatDO's storage: what each party's page sends (track names, mute
// states, screen sharing), the Cloudflare Calls session that belongs to each party, and, peer to
// peer, the relay of offers, answers and ICE candidates. A refreshed page reads it all back from
// the chat's snapshot and negotiates again.


type MediaMessage = Extract<ChatMessage, { type: "media" }>;
type SignalMessage = Extract<ChatMessage, { type: "signal" }>;

/** Tracks a party declared over the chat, remembered so a late offer is still recognised. */
const MAX_KNOWN = 32;


export class ChatMedia {
  private readonly kv: CachedKv;
  private readonly path: MediaPath;
  private readonly buttons: PhoneButtons;

  constructor(host: ChatHost) {
    const call = host.init().call;
    this.kv = host.kv;
    this.path = call?.path ?? "p2p";
    this.buttons = call?.buttons ?? DEFAULT_PHONE_BUTTONS;
  }

  party(party: Party): PartyMedia | null {
    return this.kv.get<PartyMedia>(`media:${party}`) ?? null;
  }

  private known(party: Party): Record<string, TrackKind> {
    return this.kv.get<Record<string, TrackKind>>(`media:known:${party}`) ?? {};
  }

  /** A page says what it sends. Refused (with the reason) when the room hides that button. */
  declare(party: Party, message: MediaMessage): string | null {
    const refusal = refusedTracks(this.buttons, message.tracks);
    if (refusal) return refusal;
    const known = { ...this.known(party) };
    for (const track of message.tracks) {
      delete known[track.name];
      known[track.name] = track.kind;
    }
    const names = Object.keys(known);
    for (const name of names.slice(0, Math.max(0, names.length - MAX_KNOWN))) delete known[name];
    this.kv.put(`media:known:${party}`, known);
    this.kv.put(`media:${party}`, { clientId: message.clientId, tracks: message.tracks, micMuted: message.micMuted, cameraMuted: message.cameraMuted });
    return null;
  }

  /**
   * Peer to peer: the frame to relay to the other party, or why not. An offer or answer may send
   * only tracks this party declared, which the room's buttons allowed.
   */
  signal(party: Party, message: SignalMessage): { relay: ServerMessage } | { error: string } {
    if (this.path !== "p2p") return { error: "This chat's calls go through Cloudflare Calls, not peer to peer." };
    if (message.description && refusedSdp(message.description.sdp, this.known(party))) {
      return { error: refusedSdp(message.description.sdp, this.known(party))! };
    }
    return { relay: { type: "call.signal", from: message.clientId, description: message.description, candidate: message.candidate } };
  }

  /** The Calls session a party's page opened; a new page's session replaces the old one. */
  setCallsSession(party: Party, sessionId: string): void {
    this.kv.put(`calls:${party}`, sessionId);
  }

  callsSession(party: Party): string | null {
    return this.kv.get<string>(`calls:${party}`) ?? null;
  }

  access(party: Party): CallsAccess {
    return {
      ownSessionId: this.callsSession(party),
      ownKnown: this.known(party),
      peerSessionId: this.callsSession(otherParty(party)),
      peerTracks: this.party(otherParty(party))?.tracks ?? [],
    };
  }

  view(party: Party): CallView {
    return {
      party,
      path: this.path,
      buttons: this.buttons,
      me: this.party(party),
      peer: this.party(otherParty(party)),
      peerSessionId: this.path === "calls" ? this.callsSession(otherParty(party)) : null,
    };
  }
}
