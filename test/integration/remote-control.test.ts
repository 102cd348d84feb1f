import { afterEach, describe, expect, it } from "vitest";
import { connectedChat, setRoom, team } from "./live";
import { closeAllSockets, frames, messageOf, type LiveSocket, type Match } from "./sockets";

// Remote control: while the customer shares a screen, the customer (and only the customer) lets
// the agent point and draw over it, and takes that back. The ChatDO relays the agent's pointer
// and ink to the customer only under a grant for the screen shared now, and keeps the grant and
// the drawing for a refreshed page.

const remoteState = (text: string): Match => (f) => f.includes('id="remote-control-') && f.includes(text);
const pointer: Match = frames.serverMessage("remote.pointer");
const ink: Match = frames.serverMessage("remote.ink");
const relayed: Match = (f) => pointer(f) || ink(f);
const NOT_GRANTED = "The customer has not let you point and draw on their screen.";

const shareScreen = (socket: LiveSocket, screen: string | null) =>
  socket.send({ type: "media", clientId: "customer-page-1", tracks: screen ? [{ name: screen, kind: "screen" }] : [], micMuted: false, cameraMuted: false });

async function chatIn(slug: string, roomSettings?: string) {
  const { agents } = await team(slug, ["Alice Martin"]);
  if (roomSettings) await setRoom(slug, "GENERAL", roomSettings);
  return { agent: agents[0], ...(await connectedChat(agents[0], await agents[0].online())) };
}

/** A connected chat whose customer shares a screen and has let the agent point and draw. */
async function grantedChat(slug: string) {
  const chat = await chatIn(slug);
  shareScreen(chat.customerSocket, "screen-1");
  await chat.customerSocket.next(remoteState("Let Alice Martin point &amp; draw"), "the grant button");
  chat.customerSocket.send({ type: "remote", action: "grant" });
  await chat.agentSocket.next(remoteState("lets you point and draw"), "the agent's granted state");
  await chat.customerSocket.next(remoteState("Take back control"), "the customer's granted state");
  return chat;
}

afterEach(() => closeAllSockets());

describe("remote control through the chat's Durable Object", () => {
  it("offers the grant only while the customer shares a screen, and only the customer may give it", async () => {
    const { customerSocket, agentSocket } = await chatIn("remote-grant-co");
    expect(customerSocket.saw(remoteState("point &amp; draw"))).toBe(false);

    shareScreen(customerSocket, "screen-1");
    await customerSocket.next(remoteState("Let Alice Martin point &amp; draw"), "the grant button");
    await agentSocket.next(remoteState("Carla Customer can let you point and draw on their shared screen."), "the agent's hint");

    agentSocket.send({ type: "remote", action: "grant" });
    await agentSocket.next(frames.error("Only the customer can let the agent point and draw."), "the agent's refused grant");
    agentSocket.send({ type: "pointer", point: [0.5, 0.5] });
    await agentSocket.next(frames.error(NOT_GRANTED), "the pointer refused before the grant");
    await customerSocket.nothing(relayed, "a pointer before the grant");

    customerSocket.send({ type: "remote", action: "grant" });
    await customerSocket.next(frames.notice("You let Alice Martin point and draw on your shared screen."), "the customer's notice");
    await agentSocket.next(frames.notice("Carla Customer lets you point and draw on their shared screen."), "the agent's notice");
    await agentSocket.next(remoteState("Carla Customer</strong> lets you point and draw on their screen"), "the agent's granted state");
  });

  it("relays the granted agent's pointer and ink to the customer, and refuses the customer's own and points off the screen", async () => {
    const { customerSocket, agentSocket } = await grantedChat("remote-relay-co");

    agentSocket.send({ type: "pointer", point: [0.25, 0.75] });
    expect(messageOf(await customerSocket.next(pointer, "the agent's pointer"))).toEqual({ type: "remote.pointer", point: [0.25, 0.75] });
    agentSocket.send({ type: "pointer", point: null });
    expect(messageOf(await customerSocket.next(pointer, "the pointer leaving"))).toEqual({ type: "remote.pointer", point: null });

    agentSocket.send({ type: "ink", stroke: "line-1", color: "blue", points: [0.1, 0.1, 0.2, 0.2] });
    expect(messageOf(await customerSocket.next(ink, "the first ink"))).toEqual({ type: "remote.ink", index: 0, color: "blue", points: [0.1, 0.1, 0.2, 0.2] });
    agentSocket.send({ type: "ink", stroke: "line-1", color: "blue", points: [0.3, 0.3] });
    expect(messageOf(await customerSocket.next(ink, "more of the same line"))).toMatchObject({ index: 0, points: [0.3, 0.3] });
    agentSocket.send({ type: "ink", stroke: "line-2", color: "red", points: [0.9, 0.1] });
    expect(messageOf(await customerSocket.next(ink, "a second line"))).toMatchObject({ index: 1, color: "red" });

    agentSocket.send({ type: "pointer", point: [1.5, 0] });
    await agentSocket.next(frames.error("Points must lie on the shared screen (0 to 1)."), "the off-screen pointer");
    agentSocket.send({ type: "ink", stroke: "line-3", color: "red", points: [0.5] });
    await agentSocket.next(frames.error("Each point needs an x and a y."), "the half point");
    agentSocket.send('{"type":"pointer","point":[1e999,0]}');
    await agentSocket.next(frames.error("That message could not be understood."), "the infinite pointer");
    customerSocket.send({ type: "pointer", point: [0.5, 0.5] });
    await customerSocket.next(frames.error("Only the agent points and draws on the shared screen."), "the customer's own pointer");
    await customerSocket.nothing(relayed, "a refused pointer or ink");
  });

  it("refuses the agent's pointer after the customer takes back control, and ends a grant when the screen share stops", async () => {
    const { customerSocket, agentSocket } = await grantedChat("remote-revoke-co");
    agentSocket.send({ type: "remote", action: "revoke" });
    await agentSocket.next(frames.error("Only the customer can take back control."), "the agent's refused revoke");

    customerSocket.send({ type: "remote", action: "revoke" });
    await agentSocket.next(frames.notice("Carla Customer took back control of their screen."), "the revoke notice");
    await customerSocket.next(frames.notice("You took back control of your screen."), "the customer's own words");
    await customerSocket.next(remoteState("Let Alice Martin point &amp; draw"), "the grant button again");
    agentSocket.send({ type: "pointer", point: [0.5, 0.5] });
    await agentSocket.next(frames.error(NOT_GRANTED), "the pointer after the revoke");

    customerSocket.send({ type: "remote", action: "grant" });
    await customerSocket.next(remoteState("Take back control"), "granted again");
    shareScreen(customerSocket, null);
    await agentSocket.next(frames.notice("Pointing and drawing ended: Carla Customer stopped sharing their screen."), "the end of the grant");
    agentSocket.send({ type: "ink", stroke: "line-1", color: "red", points: [0.5, 0.5] });
    await agentSocket.next(frames.error(NOT_GRANTED), "ink after the share stopped");

    // A new share is a new screen: the customer is asked again.
    shareScreen(customerSocket, "screen-2");
    await customerSocket.next(remoteState("Let Alice Martin point &amp; draw"), "the grant button for the new screen");
    agentSocket.send({ type: "pointer", point: [0.5, 0.5] });
    await agentSocket.next(frames.error(NOT_GRANTED), "the pointer over the new screen");
    await customerSocket.nothing(relayed, "a pointer or ink without a grant");
  });

  it("refuses everything in a room without the Remote control button", async () => {
    const { customerSocket, agentSocket } = await chatIn("remote-off-co", "phone_remote_control = 0");
    shareScreen(customerSocket, "screen-1");
    await agentSocket.next((f) => f.includes('id="call-state-') && f.includes("sharing their screen"), "the screen share");
    customerSocket.send({ type: "remote", action: "grant" });
    await customerSocket.next(frames.error("Remote control is not available in this chat room."), "the refused grant");
    agentSocket.send({ type: "pointer", point: [0.5, 0.5] });
    await agentSocket.next(frames.error("Remote control is not available in this chat room."), "the refused pointer");
    expect([...customerSocket.log, ...agentSocket.log].some((f) => f.includes("remote-control"))).toBe(false);
    await customerSocket.nothing(relayed, "a pointer");
  });

  it("gives a refreshed page the grant and the drawing back, and Clear wipes it on both sides", async () => {
    const { agent, chat, customerSocket, agentSocket } = await grantedChat("remote-refresh-co");
    agentSocket.send({ type: "ink", stroke: "line-1", color: "red", points: [0.1, 0.2, 0.3, 0.4] });
    agentSocket.send({ type: "ink", stroke: "line-1", color: "red", points: [0.5, 0.6] });
    agentSocket.send({ type: "ink", stroke: "line-2", color: "blue", points: [0.7, 0.8] });
    for (let i = 0; i < 3; i++) await customerSocket.next(ink, `ink ${i + 1}`);

    const drawing =
      "data-state=\"{&quot;granted&quot;:true,&quot;strokes&quot;:[{&quot;color&quot;:&quot;red&quot;,&quot;points&quot;:[0.1,0.2,0.3,0.4,0.5,0.6]},{&quot;color&quot;:&quot;blue&quot;,&quot;points&quot;:[0.7,0.8]}]}\"";
    customerSocket.close();
    const customerAgain = await chat.socket();
    expect(customerAgain.log.find(remoteState("Take back control"))).toContain(drawing);
    agentSocket.close();
    const agentAgain = await agent.chat(chat.id);
    expect(agentAgain.log.find(remoteState("lets you point and draw"))).toContain(drawing);
    expect([...customerAgain.log, ...agentAgain.log].some(pointer)).toBe(false);

    agentAgain.send({ type: "remote", action: "clear" });
    for (const socket of [customerAgain, agentAgain]) await socket.next(remoteState("&quot;granted&quot;:true,&quot;strokes&quot;:[]"), "the cleared drawing");
  });

  it("ends with the chat: no pointer once it is over", async () => {
    const { customerSocket, agentSocket } = await grantedChat("remote-end-co");
    customerSocket.send({ type: "hangup" });
    await agentSocket.next((f) => f.includes("The customer hung up."), "the end of the chat");
    agentSocket.send({ type: "pointer", point: [0.5, 0.5] });
    await agentSocket.next(frames.error("Remote control is possible only during a connected chat."), "the pointer after the end");
  });
});
