import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Customer, answer, chatRow, connectedChat, later, setRoom, team, untilState } from "./live";
import { accept, closeAllSockets, frames, handshake } from "./sockets";
import { agentObject, chatObject, consolesObject } from "../../worker/live/stubs";

// A chat between a customer and an agent over the chat's own socket (ChatDO): text, typing
// preview, hang-up, the record in D1, and what happens when a party's connection drops.

afterEach(async () => {
  vi.useRealTimers();
  await closeAllSockets();
});

const chatDO = (chatId: string) => chatObject(env, chatId);
/** The consoles object holding an agent's consoles (one of the company's shards). */
const consolesDO = (companyId: string, agentId: string) => consolesObject(env, companyId, agentId);

/** Waits until the chat's object has set a deadline (an alarm) after a socket closed. */
async function untilAlarmSet(chatId: string) {
  const until = Date.now() + 3_000;
  while (Date.now() < until) {
    if ((await runInDurableObject(chatDO(chatId), (_, state) => state.storage.getAlarm())) !== null) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`chat ${chatId} set no alarm`);
}

const transcript = async (chatId: string) =>
  (await env.DB.prepare("select sender, body from messages where chat_id = ? order by created_at, id").bind(chatId).all<{ sender: string; body: string }>()).results;

describe("the start of a chat", () => {
  it("shows the customer the agent's name, greeting and an initials avatar when the agent has no photo", async () => {
    const { agents: [alice] } = await team("greet-co", ["Alice Martin"]);
    const console = await alice.online();
    const { customerSocket } = await connectedChat(alice, console);
    const connected = customerSocket.log.at(-1)!;
    expect(connected).toContain("<h1>Alice Martin</h1>");
    expect(connected).toContain("Hello! How can I help you today?");
    expect(connected).toContain('<span class="avatar avatar-initials"');
    expect(connected).toContain(">AM</span>");
  });

  it("tells a waiting customer whom they are waiting for, and refuses their text until someone answers", async () => {
    await team("wait-co", ["Alice Martin"]);
    await setRoom("wait-co", "GENERAL", "agent_role = 'Doctor'");
    const chat = await new Customer().startChat("/c/wait-co/GENERAL");
    const socket = await chat.socket();
    expect(socket.log[0]).toContain("Waiting for a Doctor…");
    socket.send({ type: "text", text: "Anyone there?" });
    await socket.next(frames.error("Please wait until you are connected."), "the refusal");
  });
});

describe("text chat", () => {
  it("carries text both ways, escaped, to the other party and back to the sender", async () => {
    const { agents: [alice] } = await team("text-co", ["Alice Martin"]);
    const console = await alice.online();
    const { customerSocket, agentSocket } = await connectedChat(alice, console);

    customerSocket.send({ type: "text", text: "<script>alert(1)</script> & more" });
    const atAgent = await agentSocket.next(frames.message("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"), "the customer's message");
    expect(atAgent).toContain('data-sender="customer"');
    expect(atAgent).toContain('<span class="who">Carla Customer</span>');
    expect(atAgent).not.toContain("<script>");
    const atCustomer = await customerSocket.next(frames.message("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"), "their own message");
    expect(atCustomer).toContain('data-sender="customer"');

    agentSocket.send({ type: "text", text: "Hi <b>Carla</b>" });
    const reply = await customerSocket.next(frames.message("Hi &lt;b&gt;Carla&lt;/b&gt;"), "the agent's reply");
    expect(reply).toContain('<span class="who">Alice Martin</span>');
    await agentSocket.next(frames.message("Hi &lt;b&gt;Carla&lt;/b&gt;"), "her own reply");
  });

  it("takes messages as htmx's ws extension sends them, with the form's values and a HEADERS object", async () => {
    const { agents: [alice] } = await team("htmx-co", ["Alice Martin"]);
    const console = await alice.online();
    const { customerSocket, agentSocket } = await connectedChat(alice, console);
    customerSocket.send({ type: "text", text: "sent by htmx", HEADERS: { "HX-Request": "true", "HX-Trigger": `composer`, "HX-Current-URL": "https://parley.test/chats/x" } });
    await agentSocket.next(frames.message("sent by htmx"), "the message");
  });

  it("shows the other party's text while it is typed", async () => {
    const { agents: [alice] } = await team("typing-co", ["Alice Martin"]);
    const console = await alice.online();
    const { customerSocket, agentSocket } = await connectedChat(alice, console);

    customerSocket.send({ type: "typing", text: "I need <help>" });
    const preview = await agentSocket.next(frames.typing("I need &lt;help&gt;"), "the typing preview");
    expect(preview).toContain("Carla Customer is typing:");

    agentSocket.send({ type: "typing", text: "Let me check" });
    await customerSocket.next(frames.typing("Let me check"), "the agent's typing preview");
    // The sender does not see their own preview.
    await agentSocket.nothing(frames.typing("Let me check"), "their own preview");
  });

  it("does not send the typing preview when the room hides it, while the text itself still arrives", async () => {
    const { agents: [alice] } = await team("no-preview-co", ["Alice Martin"]);
    await setRoom("no-preview-co", "GENERAL", "hide_preview_typing = 1");
    const console = await alice.online();
    const { customerSocket, agentSocket } = await connectedChat(alice, console);

    customerSocket.send({ type: "typing", text: "secret draft" });
    customerSocket.send({ type: "text", text: "final words" });
    // Frames keep their order, so a preview would have come before the message.
    await agentSocket.next(frames.message("final words"), "the message");
    expect(agentSocket.saw(frames.anyTyping)).toBe(false);
    expect(agentSocket.saw((f) => f.includes("secret draft"))).toBe(false);
  });
});

describe("a room with the Text chat button off", () => {
  it("shows no message box, and refuses a text and its typing preview on the server", async () => {
    const { agents: [alice] } = await team("no-text-co", ["Alice Martin"]);
    await setRoom("no-text-co", "GENERAL", "phone_text = 0");
    const console = await alice.online();
    const { chat, customerSocket, agentSocket } = await connectedChat(alice, console);
    const snapshot = (await chat.socket()).log[0]!;
    expect(snapshot).toContain("Text messages are turned off in this room");
    expect(snapshot).not.toContain('name="text"');

    customerSocket.send({ type: "typing", text: "sneaky" });
    customerSocket.send({ type: "text", text: "sneaky" });
    await customerSocket.next(frames.error("Text messages are turned off in this room: talk by voice or video."), "the refusal");
    expect(agentSocket.saw((f) => f.includes("sneaky"))).toBe(false);
  });
});

describe("hanging up", () => {
  it("ends the chat for both when the agent hangs up, and writes the chat's end and transcript to D1", async () => {
    const { agents: [alice] } = await team("end-co", ["Alice Martin"]);
    const console = await alice.online();
    const { chat, customerSocket, agentSocket } = await connectedChat(alice, console);
    expect(await chatRow(chat.id)).toMatchObject({ status: "connected", agent_id: alice.id, ended_at: null });

    customerSocket.send({ type: "text", text: "first" });
    await agentSocket.next(frames.message("first"), "the first message");
    agentSocket.send({ type: "text", text: "second" });
    await customerSocket.next(frames.message("second"), "the second message");
    customerSocket.send({ type: "text", text: "third" });
    await agentSocket.next(frames.message("third"), "the third message");

    const before = Date.now();
    agentSocket.send({ type: "hangup" });
    await agentSocket.next(frames.notice("You ended the chat."), "the end of the chat");
    const ended = await customerSocket.next(frames.notice("The agent ended the chat."), "the end of the chat");
    expect(ended).toContain("Start a new chat");
    expect(ended).toContain('href="/c/end-co/GENERAL"');
    expect(ended).not.toContain("<textarea"); // nothing more can be written

    const row = await chatRow(chat.id);
    expect(row).toMatchObject({ status: "ended", ended_by: "agent", agent_id: alice.id });
    expect(row!.ended_at).toBeGreaterThanOrEqual(before);
    expect(await transcript(chat.id)).toEqual([
      { sender: "customer", body: "first" },
      { sender: "agent", body: "second" },
      { sender: "customer", body: "third" },
    ]);

    // Nothing more can be said in an ended chat.
    customerSocket.send({ type: "text", text: "hello?" });
    await customerSocket.next(frames.error("This chat has ended."), "the refusal");
  });

  it("records the customer as the one who ended it when they hang up", async () => {
    const { agents: [alice] } = await team("end-customer-co", ["Alice Martin"]);
    const console = await alice.online();
    const { chat, customerSocket, agentSocket } = await connectedChat(alice, console);
    customerSocket.send({ type: "hangup" });
    await agentSocket.next(frames.notice("The customer hung up."), "the end of the chat");
    await customerSocket.next(frames.notice("You ended the chat."), "the end of the chat");
    expect(await chatRow(chat.id)).toMatchObject({ status: "ended", ended_by: "customer" });
  });
});

describe("dropped connections and reconnection", () => {
  it("answers a closing socket's close frame, so the browser's side closes cleanly", async () => {
    const { agents: [alice] } = await team("close-co", ["Alice Martin"]);
    const console = await alice.online();
    const { customerSocket } = await connectedChat(alice, console);
    customerSocket.close();
    console.close();
    expect((await customerSocket.closed()).code).toBe(1000);
    expect((await console.closed()).code).toBe(1000);
  });

  it("tells the agent the customer is offline, and on reconnection sends the whole transcript again and says they are back", async () => {
    const { agents: [alice] } = await team("reconnect-co", ["Alice Martin"]);
    const console = await alice.online();
    const { chat, customerSocket, agentSocket } = await connectedChat(alice, console);
    customerSocket.send({ type: "text", text: "before the refresh" });
    await agentSocket.next(frames.message("before the refresh"), "the message");
    agentSocket.send({ type: "text", text: "an answer" });
    await customerSocket.next(frames.message("an answer"), "the answer");

    customerSocket.close();
    await agentSocket.next(frames.notice("Carla Customer is offline."), "the offline notice");

    const again = await chat.socket();
    const snapshot = again.log[0]!;
    expect(snapshot).toContain("<p>before the refresh</p>");
    expect(snapshot).toContain("<p>an answer</p>");
    expect(snapshot).toContain("<h1>Alice Martin</h1>");
    await agentSocket.next(frames.notice("Carla Customer is back online."), "the back-online notice");

    // The chat goes on over the new socket.
    again.send({ type: "text", text: "after the refresh" });
    await agentSocket.next(frames.message("after the refresh"), "the message after reconnecting");
  });

  it("tells the customer when the agent's connection drops and comes back", async () => {
    const { agents: [alice] } = await team("agent-drop-co", ["Alice Martin"]);
    const console = await alice.online();
    const { chat, customerSocket, agentSocket } = await connectedChat(alice, console);
    agentSocket.close();
    await customerSocket.next(frames.notice("Alice Martin is offline."), "the offline notice");
    await alice.chat(chat.id);
    await customerSocket.next(frames.notice("Alice Martin is back online."), "the back-online notice");
  });

  it("ends a connected chat when a party stays away longer than 90 seconds", async () => {
    const { company, agents: [alice] } = await team("timeout-co", ["Alice Martin"]);
    const console = await alice.online();
    const { chat, customerSocket, agentSocket } = await connectedChat(alice, console);
    customerSocket.close();
    await agentSocket.next(frames.notice("Carla Customer is offline."), "the offline notice");
    await untilAlarmSet(chat.id);

    later(60);
    await runDurableObjectAlarm(chatDO(chat.id));
    expect((await chatRow(chat.id))?.status).toBe("connected");

    later(31);
    expect(await runDurableObjectAlarm(chatDO(chat.id))).toBe(true);
    await agentSocket.next(frames.notice("the connection was lost for too long"), "the end of the chat");
    expect(await chatRow(chat.id)).toMatchObject({ status: "ended", ended_by: "timeout" });
    await untilState(company.slug, "GENERAL", alice.email, ["REMOTE_CUSTOMER_HANGUP", null]);
  });

  it("keeps a customer who is on a payment page present: no timeout, nothing sent to that page", async () => {
    const { agents: [alice] } = await team("paying-away-co", ["Alice Martin"]);
    const console = await alice.online();
    const { chat, customerSocket, agentSocket } = await connectedChat(alice, console);
    // The customer goes from the chat to Pay Now: the chat's socket closes, the payment page's opens.
    customerSocket.close();
    await agentSocket.next(frames.notice("Carla Customer is offline."), "the offline notice");
    const paying = await accept(await handshake(`/chats/${chat.id}/ws?away=1`, { cookie: `parley_chat=${chat.token}` }), "the payment page's socket");
    await agentSocket.next(frames.notice("Carla Customer is back online."), "present again");

    later(120);
    await runDurableObjectAlarm(chatDO(chat.id));
    expect((await chatRow(chat.id))?.status).toBe("connected");
    agentSocket.send({ type: "text", text: "Take your time" });
    await paying.nothing(() => true, "no frame for the payment page");

    // Leaving the payment page without coming back is being offline.
    paying.close();
    await agentSocket.next(frames.notice("Carla Customer is offline."), "offline once the payment page is gone");
  });

  it("also times out a customer who was already away when the agent answered", async () => {
    const { company, agents: [alice] } = await team("away-answer-co", ["Alice Martin"]);
    const console = await alice.online();
    const chat = await new Customer().startChat("/c/away-answer-co/GENERAL");
    const socket = await chat.socket();
    await console.next(frames.ring(chat.id), "the ring");
    socket.close();
    await untilAlarmSet(chat.id);

    // Within the waiting grace period Alice answers; the customer never comes back.
    await answer(console, chat.id);
    later(91);
    expect(await runDurableObjectAlarm(chatDO(chat.id))).toBe(true);
    expect(await chatRow(chat.id)).toMatchObject({ status: "ended", ended_by: "timeout", agent_id: alice.id });
    await console.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "the end of her chat");
    await untilState(company.slug, "GENERAL", alice.email, ["REMOTE_CUSTOMER_HANGUP", null]);
  });

  it("tells the agent when a customer who was away at the answer comes back", async () => {
    const { agents: [alice] } = await team("away-back-co", ["Alice Martin"]);
    const console = await alice.online();
    const chat = await new Customer().startChat("/c/away-back-co/GENERAL");
    const socket = await chat.socket();
    await console.next(frames.ring(chat.id), "the ring");
    socket.close();
    await untilAlarmSet(chat.id);
    await answer(console, chat.id);
    const agentSocket = await alice.chat(chat.id);

    const again = await chat.socket();
    expect(again.log[0]).toContain("<h1>Alice Martin</h1>");
    await agentSocket.next(frames.notice("Carla Customer is back online."), "the back-online notice");
  });

  it("keeps the chat and its messages when the chat's object is evicted from memory", async () => {
    const { agents: [alice] } = await team("evict-co", ["Alice Martin"]);
    const console = await alice.online();
    const { chat, customerSocket, agentSocket } = await connectedChat(alice, console);
    customerSocket.send({ type: "text", text: "remember me" });
    await agentSocket.next(frames.message("remember me"), "the message");

    await evictDurableObject(chatDO(chat.id));
    // Hibernated sockets stay open: the chat goes on.
    agentSocket.send({ type: "text", text: "still here" });
    await customerSocket.next(frames.message("still here"), "the message after eviction");
    const again = await chat.socket();
    expect(again.log[0]).toContain("<p>remember me</p>");
    expect(again.log[0]).toContain("<p>still here</p>");
  });
});

describe("the waiting screen", () => {
  it("shows each waiting customer their place in the queue, and moves them up when someone ahead leaves", async () => {
    await team("queue-co", ["Alice Martin"]);
    const first = await new Customer().startChat("/c/queue-co/GENERAL");
    const second = await new Customer().startChat("/c/queue-co/GENERAL");
    const firstSocket = await first.socket();
    const secondSocket = await second.socket();
    expect(firstSocket.log[0]).toContain("You are next in line.");
    expect(secondSocket.log[0]).toContain("You are number 2 in the queue.");

    firstSocket.send({ type: "hangup" });
    await secondSocket.next(frames.queue("You are next in line."), "the new place in the queue");
  });
});

describe("an agent's console after a refresh", () => {
  it("shows the chat being served and the SERVING state", async () => {
    const { agents: [alice] } = await team("console-refresh-co", ["Alice Martin"]);
    const console = await alice.online();
    const { chat: served } = await connectedChat(alice, console);
    console.close();
    await console.closed();

    const again = await alice.console();
    const snapshot = again.log[0]!;
    expect(snapshot).toContain('data-status="SERVING_CUSTOMER"');
    expect(snapshot).toContain(`id="chat-slot-${served.id}"`);
  });

  it("shows a ring still waiting, which can be answered there and stops on the other console", async () => {
    const { company, agents: [alice] } = await team("ring-refresh-co", ["Alice Martin"]);
    const desk = await alice.online();
    const phone = await alice.online("mobile");
    const chat = await new Customer().startChat("/c/ring-refresh-co/GENERAL");
    await desk.next(frames.ring(chat.id), "the ring");
    desk.close();
    await desk.closed();
    await untilState(company.slug, "GENERAL", alice.email, [null, "WAITING_NEW_CALL"]);

    const again = await alice.console();
    expect(again.log[0]).toContain(`<article id="ring-${chat.id}"`);
    await answer(again, chat.id);
    await phone.next(frames.ringGone(chat.id), "the ring removed on her other console");
  });

  it("keeps working after the agent's object is evicted from memory (hibernation)", async () => {
    const { company, agents: [alice] } = await team("agent-evict-co", ["Alice Martin"]);
    const console = await alice.online();
    await evictDurableObject(agentObject(env, alice.id));
    await alice.choose(console, "TAKING_BREAK");
    console.send({ type: "status", status: "WAITING_NEW_CALL" });
    await console.next(frames.status("WAITING_NEW_CALL"), "the ONLINE status bar");
    const chat = await new Customer().startChat("/c/agent-evict-co/GENERAL");
    await answer(console, chat.id);
    await untilState(company.slug, "GENERAL", alice.email, ["SERVING_CUSTOMER", null]);
  });
});

describe("a ring when the agent's and the consoles' objects are evicted from memory meanwhile", () => {
  it("can still be answered from the card, which names its room", async () => {
    const { company, agents: [alice] } = await team("ring-evict-co", ["Alice Martin"]);
    const console = await alice.online();
    const chat = await new Customer().startChat("/c/ring-evict-co/GENERAL");
    const ring = await console.next(frames.ring(chat.id), "the ring");
    expect(ring).toContain(`name="roomKey" value="${company.id}:GENERAL"`);

    await evictDurableObject(agentObject(env, alice.id));
    await evictDurableObject(consolesDO(company.id, alice.id));
    console.send({ type: "answer", chatId: chat.id, roomKey: `${company.id}:GENERAL` });
    await console.next(frames.chatOpened(chat.id), "the opened chat");
    expect(await chatRow(chat.id)).toMatchObject({ status: "connected", agent_id: alice.id });
  });

  it("is refused when the card names a room the agent does not serve", async () => {
    const { agents: [alice] } = await team("ring-forge-co", ["Alice Martin"]);
    const other = await team("ring-forge-other", ["Olga Other"]);
    await other.agents[0]!.online();
    const console = await alice.online();
    const theirs = await new Customer().startChat("/c/ring-forge-other/GENERAL");
    console.send({ type: "answer", chatId: theirs.id, roomKey: `${other.company.id}:GENERAL` });
    await console.next(frames.error("That chat is no longer waiting."), "the refusal");
    expect((await chatRow(theirs.id))?.status).toBe("waiting");
  });

  it("is shown again on a console that connects after the eviction", async () => {
    const { company, agents: [alice] } = await team("ring-again-co", ["Alice Martin"]);
    const console = await alice.online();
    const chat = await new Customer().startChat("/c/ring-again-co/GENERAL");
    await console.next(frames.ring(chat.id), "the ring");
    await evictDurableObject(agentObject(env, alice.id));
    await evictDurableObject(consolesDO(company.id, alice.id));

    const second = await alice.console();
    await second.arrived(frames.ring(chat.id), "the ring on the newly opened console");
    await answer(second, chat.id);
    await console.next(frames.ringGone(chat.id), "the ring removed on the first console");
  });
});

describe("a waiting customer who goes away", () => {
  it("is taken out of the queue after the grace period, and the agent's ring stops", async () => {
    const { agents: [alice] } = await team("gone-co", ["Alice Martin"]);
    const console = await alice.online();
    await alice.choose(console, "TAKING_BREAK");
    const chat = await new Customer().startChat("/c/gone-co/GENERAL");
    const socket = await chat.socket();
    socket.close();
    await untilAlarmSet(chat.id);

    // Within the grace period nothing happens.
    await runDurableObjectAlarm(chatDO(chat.id));
    expect((await chatRow(chat.id))?.status).toBe("waiting");

    // Alice comes back meanwhile and is rung; then the grace period runs out.
    console.send({ type: "status", status: "WAITING_NEW_CALL" });
    await console.next(frames.ring(chat.id), "the ring");
    later(16);
    expect(await runDurableObjectAlarm(chatDO(chat.id))).toBe(true);
    await console.next(frames.ringGone(chat.id), "the ring card removed");
    expect(await chatRow(chat.id)).toMatchObject({ status: "missed", ended_by: "customer", agent_id: null });

    // The queue no longer holds the chat: answering it is refused.
    console.send({ type: "answer", chatId: chat.id });
    await console.next(frames.error(), "the refusal");
    expect((await chatRow(chat.id))?.agent_id).toBeNull();
  });

  it("keeps their place when they come back within the grace period", async () => {
    const { agents: [alice] } = await team("back-co", ["Alice Martin"]);
    const console = await alice.online();
    const chat = await new Customer().startChat("/c/back-co/GENERAL");
    const socket = await chat.socket();
    await console.next(frames.ring(chat.id), "the ring");
    socket.close();
    await untilAlarmSet(chat.id);
    const again = await chat.socket();
    expect(again.log[0]).toContain("chat-head waiting");

    later(16);
    await runDurableObjectAlarm(chatDO(chat.id));
    expect((await chatRow(chat.id))?.status).toBe("waiting");
    await console.nothing(frames.ringGone(chat.id), "the ring removed");
    console.send({ type: "answer", chatId: chat.id });
    await console.next(frames.chatOpened(chat.id), "the opened chat");
    await again.next((f) => f.includes("<h1>Alice Martin</h1>"), "the connected chat");
  });

  it("stops every ring at once when the customer presses Leave", async () => {
    const { agents: [alice, bob] } = await team("leave-co", ["Alice Martin", "Bob Chen"]);
    const aliceConsole = await alice.online();
    const bobConsole = await bob.online();
    const chat = await new Customer().startChat("/c/leave-co/GENERAL");
    const socket = await chat.socket();
    await aliceConsole.next(frames.ring(chat.id), "the ring");
    await bobConsole.next(frames.ring(chat.id), "the ring");

    socket.send({ type: "hangup" });
    await aliceConsole.next(frames.ringGone(chat.id), "the ring card removed");
    await bobConsole.next(frames.ringGone(chat.id), "the ring card removed");
    await socket.next((f) => f.includes("You left the queue"), "the left-the-queue screen");
    expect(await chatRow(chat.id)).toMatchObject({ status: "missed", ended_by: "customer" });
  });
});
