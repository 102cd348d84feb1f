import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { connectedChat, setRoom, team, untilDevice, type Agent } from "./live";
import { signedIn } from "./fixtures";
import { closeAllSockets, frames, type LiveSocket } from "./sockets";

// Conference chat: in a room whose phone customization shows Conference Chat (default OFF), the
// chat's agent invites another agent of the company; the invited agent's console offers Join /
// Decline; a guest talks by text with everyone and may leave while the chat goes on.

afterEach(() => closeAllSockets());

const invite = (chatId: string) => (f: string) => f.includes(`<article id="invite-${chatId}"`);
const inviteGone = (chatId: string) => (f: string) => f.includes(`id="invite-${chatId}" hx-swap-oob="delete"`);
const bar = (chatId: string) => (f: string) => f.includes(`id="conference-${chatId}"`);

const guestRow = (chatId: string, userId: string) =>
  env.DB.prepare("select invited_by, invited_at, joined_at, left_at from chat_guests where chat_id = ? and user_id = ?")
    .bind(chatId, userId)
    .first<{ invited_by: string; invited_at: number; joined_at: number | null; left_at: number | null }>();

/** Alice's connected chat in a room with Conference Chat on (unless `enabled` is false); Bob is online too. */
async function conferenceRoom(slug: string, enabled = true) {
  const { company, agents: [alice, bob] } = await team(slug, ["Alice Martin", "Bob Stone"]);
  await setRoom(slug, "GENERAL", `phone_conference = ${enabled ? 1 : 0}`);
  const aliceConsole = await alice.online();
  const bobConsole = await bob.online();
  return { company, alice, bob, aliceConsole, bobConsole, ...(await connectedChat(alice, aliceConsole)) };
}

/** Alice invites Bob and Bob joins: returns Bob's socket to the chat. */
async function bobJoins(chatId: string, bob: Agent, agentSocket: LiveSocket, bobConsole: LiveSocket) {
  agentSocket.send({ type: "invite", agentId: bob.id });
  await bobConsole.next(invite(chatId), "Bob's invitation");
  await agentSocket.next((f) => bar(chatId)(f) && f.includes("Bob Stone · invited…"), "the invited chip");
  bobConsole.send({ type: "join", chatId });
  await bobConsole.next(frames.chatOpened(chatId), "the chat opened on Bob's console");
  return bob.chat(chatId);
}

describe("conference chat", () => {
  it("is offered only in a room that shows Conference Chat, and refused by the server otherwise", async () => {
    const on = await conferenceRoom("conf-on");
    expect(on.agentSocket.log[0]).toContain("Add agent");
    expect(on.customerSocket.log.at(-1)).not.toContain("Add agent");

    const off = await conferenceRoom("conf-off", false);
    expect(off.agentSocket.log[0]).not.toContain("Add agent");
    off.agentSocket.send({ type: "invite", agentId: off.bob.id });
    await off.agentSocket.next(frames.error("Conference chat is not available in this chat room."), "the refusal");
    await off.bobConsole.nothing(invite(off.chat.id), "no invitation");
  });

  it("lists the host's colleagues with their state, to the host only", async () => {
    const { chat, alice, bob } = await conferenceRoom("conf-list");
    const list = await alice.browser.get(`/agent/chats/${chat.id}/colleagues`);
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain("Bob Stone");
    expect(html).toContain("ONLINE");
    expect(html).toContain(`value="${bob.id}"`);
    expect(html).not.toContain(`value="${alice.id}"`);
    expect((await bob.browser.get(`/agent/chats/${chat.id}/colleagues`)).status).toBe(404);
  });

  it("lets an invited agent join: everyone talks, the guest is serving, and D1 records who said what", async () => {
    const { chat, alice, bob, agentSocket, customerSocket, bobConsole } = await conferenceRoom("conf-join");
    // Before joining, the chat is not Bob's to open.
    expect((await bob.handshake(`/chats/${chat.id}/ws`)).status).toBe(404);

    const bobSocket = await bobJoins(chat.id, bob, agentSocket, bobConsole);
    await customerSocket.next(frames.notice("Bob Stone joined the chat."), "the customer hears Bob joined");
    await agentSocket.next(frames.notice("Bob Stone joined the chat."), "Alice hears Bob joined");
    await customerSocket.next((f) => bar(chat.id)(f) && f.includes("In this chat:") && f.includes("Bob Stone"), "who is in the chat");
    expect(bobSocket.log[0]).toContain("Conference · Alice Martin&#39;s chat");
    expect((await guestRow(chat.id, bob.id))?.joined_at).toBeGreaterThan(0);
    await untilDevice("conf-join", "GENERAL", bob.email, "browser", "SERVING_CUSTOMER");

    bobSocket.send({ type: "text", text: "Hi, I am the specialist" });
    const seenByCustomer = await customerSocket.next(frames.message("Hi, I am the specialist"), "Bob's text at the customer");
    expect(seenByCustomer).toContain('<span class="who">Bob Stone</span>');
    expect(seenByCustomer).not.toContain("line own");
    await agentSocket.next(frames.message("Hi, I am the specialist"), "Bob's text at Alice");
    expect(await bobSocket.next(frames.message("Hi, I am the specialist"), "Bob's own copy")).toContain('class="line own"');

    customerSocket.send({ type: "text", text: "Thanks both" });
    expect(await bobSocket.next(frames.message("Thanks both"), "the customer's text at Bob")).toContain('<span class="who">Carla Customer</span>');
    agentSocket.send({ type: "text", text: "Welcome Bob" });
    await bobSocket.next(frames.message("Welcome Bob"), "Alice's text at Bob");

    customerSocket.send({ type: "hangup" });
    await bobSocket.next((f) => frames.snapshot(chat.id)(f) && f.includes("The chat ended."), "the ended chat at Bob");
    await bobConsole.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "Bob's console after the end");
    const lines = await env.DB.prepare("select sender, user_id, body from messages where chat_id = ? order by created_at, id").bind(chat.id).all();
    expect(lines.results).toEqual([
      { sender: "agent", user_id: bob.id, body: "Hi, I am the specialist" },
      { sender: "customer", user_id: null, body: "Thanks both" },
      { sender: "agent", user_id: alice.id, body: "Welcome Bob" },
    ]);
    // Bob finds the chat in his Chat View, each agent's line under its author's name.
    const chatView = await (await bob.browser.get("/chat-view")).text();
    expect(chatView).toContain("Hi, I am the specialist");
    expect(chatView).toMatch(/<span class="who">Bob Stone<\/span><p>Hi, I am the specialist<\/p>/);
    expect(chatView).toMatch(/<span class="who">Alice Martin<\/span><p>Welcome Bob<\/p>/);
  });

  it("shows a guest's lines under the guest's name in the host's Chat View, not as the host's own", async () => {
    const { chat, alice, bob, agentSocket, customerSocket, bobConsole } = await conferenceRoom("conf-view");
    const bobSocket = await bobJoins(chat.id, bob, agentSocket, bobConsole);
    bobSocket.send({ type: "text", text: "Specialist here" });
    await agentSocket.next(frames.message("Specialist here"), "Bob's text at Alice");
    agentSocket.send({ type: "text", text: "Thanks, Bob" });
    await bobSocket.next(frames.message("Thanks, Bob"), "Alice's text at Bob");
    customerSocket.send({ type: "hangup" });
    await bobSocket.next((f) => frames.snapshot(chat.id)(f) && f.includes("The chat ended."), "the ended chat at Bob");

    // Lines are marked as in the live chat: the host's "agent", the guest's "guest:{id}"; the
    // style sheet draws a viewer's own lines on the right without a name.
    const record = (html: string) => html.slice(html.indexOf(`id="record-${chat.id}"`));
    const bobsLine = new RegExp(`<div class="line" data-sender="guest:${bob.id}"><div class="bubble"><span class="who">Bob Stone</span><p>Specialist here</p>`);
    const alicesLine = (cls: string) => new RegExp(`<div class="${cls}" data-sender="agent"><div class="bubble"><span class="who">Alice Martin</span><p>Thanks, Bob</p>`);

    const atAlice = record(await (await alice.browser.get("/chat-view")).text());
    expect(atAlice).toContain('<div class="transcript" data-viewer="agent">');
    expect(atAlice).toMatch(bobsLine);
    expect(atAlice).toMatch(alicesLine("line"));

    // Bob reads the same chat as a guest: his own line is his, Alice's is hers.
    const atBob = record(await (await bob.browser.get("/chat-view")).text());
    expect(atBob).toContain('<div class="transcript" data-viewer="guest">');
    expect(atBob).toMatch(new RegExp(`<div class="line own" data-sender="guest:${bob.id}"><div class="bubble"><span class="who">Bob Stone</span><p>Specialist here</p>`));
    expect(atBob).toMatch(alicesLine("line"));

    // The administrator reads the company's records from the host's side, the guest named.
    const admin = await signedIn("boss@conf-view.test");
    const atAdmin = record(await (await admin.get("/chat-records")).text());
    expect(atAdmin).toContain('<div class="transcript" data-viewer="agent">');
    expect(atAdmin).toMatch(bobsLine);
  });

  it("lets a guest leave while the chat goes on", async () => {
    const { chat, bob, agentSocket, customerSocket, bobConsole } = await conferenceRoom("conf-leave");
    const bobSocket = await bobJoins(chat.id, bob, agentSocket, bobConsole);
    bobSocket.send({ type: "hangup" });
    await customerSocket.next(frames.notice("Bob Stone left the chat."), "the customer hears Bob left");
    await bobSocket.next((f) => frames.snapshot(chat.id)(f) && f.includes("You left this chat."), "Bob's chat after leaving");
    await bobConsole.next(frames.status("HANG_UP"), "Bob's console after leaving");
    expect((await guestRow(chat.id, bob.id))?.left_at).toBeGreaterThan(0);

    bobSocket.send({ type: "text", text: "still here?" });
    await bobSocket.next(frames.error("You are no longer in this chat."), "Bob's text refused");
    customerSocket.send({ type: "text", text: "Just us now" });
    await agentSocket.next(frames.message("Just us now"), "the chat goes on");
    await bobSocket.nothing(frames.message("Just us now"), "nothing for Bob");
  });

  it("tells the host when the invited agent declines, and withdraws an invitation the chat outlived", async () => {
    const { chat, bob, agentSocket, customerSocket, bobConsole } = await conferenceRoom("conf-decline");
    agentSocket.send({ type: "invite", agentId: bob.id });
    await bobConsole.next(invite(chat.id), "Bob's invitation");
    bobConsole.send({ type: "decline", chatId: chat.id });
    await bobConsole.next(inviteGone(chat.id), "the invitation gone");
    await agentSocket.next(frames.notice("Bob Stone declined to join."), "Alice hears Bob declined");
    await customerSocket.nothing(frames.notice("declined"), "the customer is not told");

    agentSocket.send({ type: "invite", agentId: bob.id });
    await bobConsole.next(invite(chat.id), "Bob's second invitation");
    customerSocket.send({ type: "hangup" });
    await bobConsole.next(inviteGone(chat.id), "the invitation withdrawn at the chat's end");
    bobConsole.send({ type: "join", chatId: chat.id });
    await bobConsole.next(frames.error("That invitation is no longer open."), "a late Join refused");
  });

  it("refuses what a guest, a customer or a wrong invitation may not do", async () => {
    const { chat, alice, bob, agentSocket, customerSocket, bobConsole } = await conferenceRoom("conf-refuse");
    customerSocket.send({ type: "invite", agentId: bob.id });
    await customerSocket.next(frames.error("Only the chat&#39;s agent can add agents."), "the customer's invite refused");
    agentSocket.send({ type: "invite", agentId: alice.id });
    await agentSocket.next(frames.error("You are already in this chat."), "inviting oneself");
    const { agents: [stranger] } = await team("conf-refuse-other", ["Sam Other"]);
    agentSocket.send({ type: "invite", agentId: stranger.id });
    await agentSocket.next(frames.error("That agent is not in your company."), "an agent of another company");

    const bobSocket = await bobJoins(chat.id, bob, agentSocket, bobConsole);
    agentSocket.send({ type: "invite", agentId: bob.id });
    await agentSocket.next(frames.error("Bob Stone is already in this chat."), "inviting a guest again");
    for (const message of [{ type: "timer", running: "false" }, { type: "invite", agentId: alice.id }, { type: "recording", action: "ask" }]) {
      bobSocket.send(message);
      await bobSocket.next(frames.error("Only the chat&#39;s agent can do that."), `a guest's ${message.type}`);
    }
  });

  it("tells the host at once when the invited agent has no console open", async () => {
    const { company, agents: [alice, bob] } = await team("conf-away", ["Alice Martin", "Bob Stone"]);
    await setRoom(company.slug, "GENERAL", "phone_conference = 1");
    const { agentSocket, chat } = await connectedChat(alice, await alice.online());
    agentSocket.send({ type: "invite", agentId: bob.id });
    await agentSocket.next(frames.error("Bob Stone is not at their console right now."), "the host told");
    expect(await agentSocket.next(bar(chat.id), "the bar again")).not.toContain("invited…");
  });
});
