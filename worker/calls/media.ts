// The rules of a chat's call, kept pure: which tracks a party may send (the room's phone buttons),
// what a party may ask of Cloudflare Calls, and what an SDP says it sends. The ChatDO stores the
// state (durable-objects/chat/media.ts); the Worker's Calls proxy asks it before every call.

/** What a track carries. A microphone goes with voice and video chats; a camera only with video. */
export type TrackKind = "mic" | "camera" | "screen";

/** A track as the other party and Cloudflare Calls know it: its id (P2P) or Calls track name. */
export type DeclaredTrack = { name: string; kind: TrackKind };

/** The room's phone customization for calls (spec: Customer Phone & Agent Phone). */
export type PhoneButtons = {
  text: boolean;
  voice: boolean;
  video: boolean;
  screenShare: boolean;
  fullScreen: boolean;
  /** The customer may let the agent point and draw over their shared screen (absent in older chats: no). */
  remoteControl?: boolean;
};

/** The defaults of spec/chat-room-customizations.txt, for chats started before rooms said otherwise. */
export const DEFAULT_PHONE_BUTTONS: PhoneButtons = { text: true, voice: true, video: true, screenShare: true, fullScreen: false };

export const TEXT_OFF = "Text messages are turned off in this room: talk by voice or video.";

/** Whether a chat's room shows the Text chat button (chats started before it was stored: yes). */
export const textAllowed = (init: { call?: { buttons: Partial<PhoneButtons> } }): boolean => init.call?.buttons.text ?? true;

/** What one party sends, as its page last declared it. */
export type PartyMedia = {
  /** One page load; a new one (a refresh) means the peer connection must be made again. */
  clientId: string;
  tracks: DeclaredTrack[];
  micMuted: boolean;
  cameraMuted: boolean;
};

/** Media goes through Cloudflare Calls when the Worker holds its secret, else browser to browser. */
export type MediaPath = "calls" | "p2p";

export const MAX_TRACKS = 3;
/** Track names as browsers make them (UUIDs, sometimes in braces) and as Calls accepts them. */
export const TRACK_NAME = /^[A-Za-z0-9{}_-]{1,64}$/;

const KIND_BUTTON: Record<TrackKind, (b: PhoneButtons) => boolean> = {
  mic: (b) => b.voice || b.video,
  camera: (b) => b.video,
  screen: (b) => b.screenShare,
};

const KIND_REFUSAL: Record<TrackKind, string> = {
  mic: "Voice chat is not available in this chat room.",
  camera: "Video chat is not available in this chat room.",
  screen: "Screen sharing is not available in this chat room.",
};

/** Why these tracks may not be sent in a room with these buttons, or null when they may. */
export function refusedTracks(buttons: PhoneButtons, tracks: DeclaredTrack[]): string | null {
  for (const track of tracks) if (!KIND_BUTTON[track.kind](buttons)) return KIND_REFUSAL[track.kind];
  const kinds = tracks.map((t) => t.kind);
  if (new Set(kinds).size !== kinds.length) return "Send at most one microphone, one camera and one screen.";
  return null;
}

/**
 * The media an SDP offer or answer sends: one entry per m-section that is sendrecv or sendonly
 * and carries a track (`a=msid`). A receive-only section sends nothing.
 */
export function sentMedia(sdp: string): ("audio" | "video")[] {
  const sent: ("audio" | "video")[] = [];
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const media = section.startsWith("audio") ? "audio" : section.startsWith("video") ? "video" : null;
    const lines = section.split(/\r?\n/);
    const direction = lines.find((l) => /^a=(sendrecv|sendonly|recvonly|inactive)$/.test(l))?.slice(2) ?? "sendrecv";
    if (media && (direction === "sendrecv" || direction === "sendonly") && lines.some((l) => l.startsWith("a=msid:"))) sent.push(media);
  }
  return sent;
}

const MEDIA_OF: Record<TrackKind, "audio" | "video"> = { mic: "audio", camera: "video", screen: "video" };

/**
 * Why a party's SDP may not be relayed: it sends more audio or video than the kinds of track its
 * page declared (so the room's buttons were never checked for it). `known` holds every track the
 * party declared in this chat, so an offer racing a later declaration is not refused. Tracks are
 * counted by kind, not matched by id: when a page's track reuses a transceiver the other page's
 * offer made, Chromium names it in the SDP by that transceiver's sender, not by the track's id.
 */
export function refusedSdp(sdp: string, known: Record<string, TrackKind>): string | null {
  const sent = sentMedia(sdp);
  const allowed = [...new Set(Object.values(known))].map((kind) => MEDIA_OF[kind]);
  const count = (list: ("audio" | "video")[], media: "audio" | "video") => list.filter((m) => m === media).length;
  const over = (["audio", "video"] as const).some((media) => count(sent, media) > count(allowed, media));
  return over ? "Start voice, video or screen sharing with the buttons of this chat." : null;
}

/** What a Calls proxy request asks for, as far as who may ask it matters. */
export type CallsTracksRequest = {
  tracks: ({ location: "local"; trackName: string; mid?: string } | { location: "remote"; trackName: string; sessionId: string })[];
};

export type CallsAccess = {
  ownSessionId: string | null;
  ownKnown: Record<string, TrackKind>;
  peerSessionId: string | null;
  peerTracks: DeclaredTrack[];
};

/**
 * Why a party may not add these tracks to its Calls session: it pushes only tracks it declared,
 * and pulls only the other party's current tracks from the other party's session.
 */
export function refusedCallsTracks(access: CallsAccess, request: CallsTracksRequest): string | null {
  for (const track of request.tracks) {
    if (track.location === "local" && !(track.trackName in access.ownKnown)) return "Start voice, video or screen sharing with the buttons of this chat.";
    if (track.location === "remote" && (track.sessionId !== access.peerSessionId || !access.peerTracks.some((t) => t.name === track.trackName))) {
      return "That track is not the other party's in this chat.";
    }
  }
  return null;
}
