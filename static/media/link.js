// The one way the call controller reaches the other party, whichever path the chat uses:
// add(track, stream), remove(track), peerState(peer, peerSessionId), receive(signal), close().
import { CallsLink } from "./calls.js";
import { PeerLink } from "./p2p.js";

export function createLink({ path, chatId, csrf, polite, peerId, send, iceServers, onTrack, onState }) {
  if (path === "calls") return new CallsLink({ chatId, csrf, iceServers, onTrack, onState });
  return new PeerLink({ polite, peerId, send, iceServers, onTrack, onState });
}

export async function fetchIceServers(chatId) {
  try {
    const res = await fetch(`/chats/${chatId}/calls/ice-servers`, { headers: { accept: "application/json" } });
    return res.ok ? (await res.json()).iceServers : [];
  } catch {
    return [];
  }
}
