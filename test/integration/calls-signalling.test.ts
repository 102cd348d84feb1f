import { afterEach, describe, expect, it } from "vitest";
import { connectedChat, Customer, setRoom, team } from "./live";
import { closeAllSockets, frames, messageOf, type LiveSocket, type Match } from "./sockets";

// Peer to peer (no Calls app configured, as in the tests and the local demo): the ChatDO relays
// offers, answers and ICE candidates between the two parties of a connected chat, keeps what
// each one sends, and refuses what the room's phone buttons do not allow.

/** An SDP sending these tracks; a track named mic… goes in an audio section, the others in video ones. */
const sdpSending = (...trackIds: string[]) =>
  [
    "v=0",
    "o=- 1 2 IN IP4 127.0.0.1",
    "s=-",
    "t=0 0",
    ...trackIds.flatMap((id, i) => [id.startsWith("mic") ? "m=audio 9 UDP/TLS/RTP/SAVPF 111" : "m=video 9 UDP/TLS/RTP/SAVPF 96", `a=mid:${i}`, "a=sendrecv", `a=msid:stream-1 ${id}`]),
  ].join("\r\n") + "\r\n";

const relayed: Match = frames.serverMessage("call.signal");
const callState = (text: string): Match => (f) => f.includes('id="call-state-') && f.includes(text);
const callError = (text: string): Match => (f) => f.includes('id="call-message-') && f.includes(text);

const declare = (socket: LiveSocket, clientId: string, tracks: { name: string; kind: "mic" | "camera" | "screen" }[], muted = { micMuted: false, cameraMuted: false }) =>
  socket.send({ type: "media", clientId, tracks, ...muted });

async function chatIn(slug: string, roomSettings?: string) {
  const { agents } = await team(slug, ["Alice Martin"]);
  if (roomSettings) await setRoom(slug, "GENERAL", roomSettings);
  const console = await agents[0].online();
  return connectedChat(agents[0], console);
}

afterEach(() => closeAllSockets());

describe("call signalling through the chat's Durable Object", () => {
  it("relays the customer's offer, the agent's answer and ICE candidates, and tells both what each party sends", async () => {
    const { customerSocket, agentSocket } = await chatIn("p2p-relay-co");
    declare(customerSocket, "customer-page-1", [{ name: "cam-1", kind: "camera" }, { name: "mic-1", kind: "mic" }]);
    await agentSocket.next(callState("camera on · microphone on"), "the customer's call state");
    await customerSocket.next(callState(""), "the call state on the customer's own page");

    customerSocket.send({ type: "signal", clientId: "customer-page-1", description: { type: "offer", sdp: sdpSending("cam-1", "mic-1") } });
    const offer = messageOf(await agentSocket.next(relayed, "the offer"));
    expect(offer).toEqual({ type: "call.signal", from: "customer-page-1", description: { type: "offer", sdp: sdpSending("cam-1", "mic-1") } });

    declare(agentSocket, "agent-page-1", [{ name: "cam-a", kind: "camera" }]);
    agentSocket.send({ type: "signal", clientId: "agent-page-1", description: { type: "answer", sdp: sdpSending("cam-a") } });
    expect(messageOf(await customerSocket.next(relayed, "the answer")).description.type).toBe("answer");

    const candidate = { candidate: "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host", sdpMid: "0", sdpMLineIndex: 0 };
    agentSocket.send({ type: "signal", clientId: "agent-page-1", candidate });
    expect(messageOf(await customerSocket.next(relayed, "the ICE candidate")).candidate).toEqual(candidate);
  });

  it("shows mute states and screen sharing to the other party", async () => {
    const { customerSocket, agentSocket } = await chatIn("p2p-mute-co");
    declare(agentSocket, "agent-page-2", [{ name: "cam-b", kind: "camera" }, { name: "mic-b", kind: "mic" }, { name: "scr-b", kind: "screen" }], { micMuted: true, cameraMuted: true });
    await customerSocket.next(callState("camera off · microphone muted · sharing their screen"), "the agent's muted, sharing state");
  });

  it("restores the call after a refresh: the new page's snapshot holds what it was sending", async () => {
    const { chat, customerSocket, agentSocket } = await chatIn("p2p-refresh-co");
    declare(customerSocket, "customer-page-3", [{ name: "cam-3", kind: "camera" }]);
    await agentSocket.next(callState("camera on"), "the customer's camera");
    customerSocket.close();
    const again = await chat.socket();
    const snapshot = again.log.find((f) => f.includes('id="call-state-'))!;
    expect(snapshot).toContain("&quot;me&quot;:{&quot;clientId&quot;:&quot;customer-page-3&quot;,&quot;tracks&quot;:[{&quot;name&quot;:&quot;cam-3&quot;,&quot;kind&quot;:&quot;camera&quot;}]");
  });

  it("refuses an offer that sends more than its page declared, and relays nothing", async () => {
    const { customerSocket, agentSocket } = await chatIn("p2p-undeclared-co");
    declare(customerSocket, "customer-page-4", [{ name: "mic-4", kind: "mic" }]);
    customerSocket.send({ type: "signal", clientId: "customer-page-4", description: { type: "offer", sdp: sdpSending("mic-4", "sneaky-screen") } });
    await customerSocket.next(callError("Start voice, video or screen sharing with the buttons of this chat."), "the refusal");
    await agentSocket.nothing(relayed, "a relayed offer");
  });

  it("relays an offer whose track the browser names by its transceiver rather than by the track's id", async () => {
    // Chromium does so when a page's camera reuses the transceiver of the other page's shared screen.
    const { customerSocket, agentSocket } = await chatIn("p2p-reused-co");
    declare(agentSocket, "agent-page-7", [{ name: "mic-7", kind: "mic" }, { name: "cam-7", kind: "camera" }]);
    await customerSocket.next(callState("camera on · microphone on"), "the agent's call state");
    agentSocket.send({ type: "signal", clientId: "agent-page-7", description: { type: "offer", sdp: sdpSending("f3a1-sender-of-transceiver-0", "mic-7") } });
    expect(messageOf(await customerSocket.next(relayed, "the offer")).from).toBe("agent-page-7");
  });

  it("refuses screen sharing in a room without the Screen Sharing button, and video without the Video Chat button", async () => {
    const noScreen = await chatIn("p2p-noscreen-co", "phone_screen_share = 0");
    declare(noScreen.agentSocket, "agent-page-5", [{ name: "scr-5", kind: "screen" }]);
    await noScreen.agentSocket.next(callError("Screen sharing is not available in this chat room."), "the screen-sharing refusal");
    noScreen.agentSocket.send({ type: "signal", clientId: "agent-page-5", description: { type: "offer", sdp: sdpSending("scr-5") } });
    await noScreen.agentSocket.next(callError("Start voice, video or screen sharing"), "the refused screen offer");
    await noScreen.customerSocket.nothing((f) => relayed(f) || callState("sharing")(f), "the screen share");

    const noVideo = await chatIn("p2p-novideo-co", "phone_video = 0");
    declare(noVideo.customerSocket, "customer-page-6", [{ name: "cam-6", kind: "camera" }]);
    await noVideo.customerSocket.next(callError("Video chat is not available in this chat room."), "the video refusal");
    const snapshot = noVideo.customerSocket.log.find((f) => f.includes('<section id="call-'))!;
    expect(snapshot).not.toContain("call#video");
    expect(snapshot).toContain("call#voice");
  });

  it("relays nothing before the chat is connected, and refuses signalling over 32 KB", async () => {
    const { agents } = await team("p2p-early-co", ["Alice Martin"]);
    const waiting = await (await new Customer().startChat("/c/p2p-early-co/GENERAL")).socket();
    waiting.send({ type: "signal", clientId: "customer-page-7", candidate: { candidate: "candidate:1 1 udp 1 192.0.2.1 1 typ host" } });
    await waiting.next(callError("A call can start once you are connected."), "the early refusal");

    const { customerSocket } = await connectedChat(agents[0], await agents[0].online());
    customerSocket.send({ type: "signal", clientId: "customer-page-8", description: { type: "offer", sdp: "x".repeat(40_000) } });
    await customerSocket.next((f) => f.includes("That message is too long."), "the size refusal");
  });
});
