import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./client";
import { count } from "./fixtures";
import { Agent, Customer, CustomerChat, answer, chatRow, connectedChat, team } from "./live";
import { closeAllSockets, frames, handshake, type LiveSocket } from "./sockets";

// Who may open which live socket and page, what bad socket input gets, and the contact form's
// limits (per-IP rate, the company's chat entitlement).

afterEach(closeAllSockets);

/** A refused handshake: no socket, the given status. */
async function expectRefused(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.webSocket).toBeNull();
}

const page = (path: string, cookie?: string) =>
  exports.default.fetch(new Request(`https://parley.test${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" }));

describe("a chat's socket and page, for customers", () => {
  let mine: CustomerChat;
  let theirs: CustomerChat;
  beforeAll(async () => {
    await team("customer-sec-co", ["Alice Martin"]);
    mine = await new Customer().startChat("/c/customer-sec-co/GENERAL");
    theirs = await new Customer().startChat("/c/customer-sec-co/GENERAL");
  });

  it("are open to the customer holding the chat's cookie", async () => {
    expect((await page(`/chats/${mine.id}`, `parley_chat=${mine.token}`)).status).toBe(200);
    const res = await mine.handshake();
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close();
  });

  it("refuse another chat's token: the socket with 403, the page with 404", async () => {
    await expectRefused(await new CustomerChat(theirs.id, mine.token).handshake(), 403);
    const res = await page(`/chats/${theirs.id}`, `parley_chat=${mine.token}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("Carla Customer");
  });

  it("refuse a made-up token", async () => {
    await expectRefused(await new CustomerChat(mine.id, "made-up-token-0000000000000000").handshake(), 403);
    expect((await page(`/chats/${mine.id}`, "parley_chat=made-up-token-0000000000000000")).status).toBe(404);
  });

  it("refuse a browser without a token with 404", async () => {
    await expectRefused(await handshake(`/chats/${mine.id}/ws`), 404);
    expect((await page(`/chats/${mine.id}`)).status).toBe(404);
  });

  it("answer a chat id that does not exist, or is not an id at all, with 404", async () => {
    await expectRefused(await new CustomerChat(crypto.randomUUID(), mine.token).handshake(), 404);
    await expectRefused(await handshake("/chats/not-a-chat/ws", { cookie: `parley_chat=${mine.token}` }), 404);
    expect((await page(`/chats/${crypto.randomUUID()}`, `parley_chat=${mine.token}`)).status).toBe(404);
  });

  it("refuse a WebSocket opened from another site, even with the right cookie", async () => {
    await expectRefused(await mine.handshake({ "sec-fetch-site": "cross-site" }), 403);
    await expectRefused(await mine.handshake({ "sec-fetch-site": "same-site" }), 403);
  });

  it("refuse a WebSocket whose Origin is another site when the browser sends no Sec-Fetch-Site", async () => {
    await expectRefused(await mine.handshake({ origin: "https://evil.example" }), 403);
    await expectRefused(await mine.handshake({ origin: "https://parley.test.evil.example" }), 403);
    await expectRefused(await mine.handshake({ origin: "null" }), 403);
    const res = await mine.handshake({ origin: "https://parley.test" });
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close();
  });
});

describe("a chat's socket and panel, for agents", () => {
  let alice: Agent;
  let bob: Agent;
  let outsider: Agent;
  let chatId: string;
  let waitingId: string;

  beforeAll(async () => {
    ({ agents: [alice, bob] } = await team("agent-sec-co", ["Alice Martin", "Bob Chen"]));
    ({ agents: [outsider] } = await team("other-sec-co", ["Oscar Other"]));
    const console = await alice.online();
    const chat = await new Customer().startChat("/c/agent-sec-co/GENERAL");
    await answer(console, chat.id);
    chatId = chat.id;
    waitingId = (await new Customer().startChat("/c/agent-sec-co/GENERAL")).id;
    await closeAllSockets();
  });

  it("are open to the agent who was given the chat", async () => {
    expect((await alice.browser.get(`/agent/chats/${chatId}`)).status).toBe(200);
    const socket = await alice.chat(chatId);
    expect(socket.log[0]).toContain("Carla Customer");
  });

  it("are closed (404) to an agent of another company", async () => {
    await expectRefused(await outsider.handshake(`/chats/${chatId}/ws`), 404);
    const res = await outsider.browser.get(`/agent/chats/${chatId}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("Carla Customer");
  });

  it("are closed (404) to an agent of the same company who was not given the chat", async () => {
    await expectRefused(await bob.handshake(`/chats/${chatId}/ws`), 404);
    expect((await bob.browser.get(`/agent/chats/${chatId}`)).status).toBe(404);
  });

  it("are closed (404) to every agent while the chat is still waiting", async () => {
    for (const agent of [alice, bob]) {
      await expectRefused(await agent.handshake(`/chats/${waitingId}/ws`), 404);
      expect((await agent.browser.get(`/agent/chats/${waitingId}`)).status).toBe(404);
    }
    expect((await chatRow(waitingId))?.agent_id).toBeNull();
  });

  it("refuse a WebSocket opened from another site, even for the right agent", async () => {
    await expectRefused(await alice.handshake(`/chats/${chatId}/ws`, { "sec-fetch-site": "cross-site" }), 403);
  });
});

describe("GET /agent/ws (the console's socket)", () => {
  it("is refused to an anonymous browser, which is sent to sign in", async () => {
    const res = await handshake("/agent/ws?device=browser");
    await expectRefused(res, 302);
    expect(res.headers.get("location")).toBe("/login?next=%2Fagent%2Fws");
  });

  it("is refused to a signed-in admin who is not an agent", async () => {
    await team("admin-sec-co", ["Alice Martin"]);
    const admin = new Browser();
    expect((await admin.post("/login", { email: "boss@admin-sec-co.test", password: "correct horse 9" }, { from: "/login" })).status).toBe(303);
    await expectRefused(await admin.fetch("/agent/ws", { headers: { upgrade: "websocket" } }), 403);
  });

  it("is refused when another site opens it (cross-site WebSocket hijacking)", async () => {
    const { agents: [alice] } = await team("hijack-sec-co", ["Alice Martin"]);
    await expectRefused(await alice.handshake("/agent/ws?device=browser", { "sec-fetch-site": "cross-site" }), 403);
    await expectRefused(await alice.handshake("/agent/ws?device=browser", { origin: "https://evil.example" }), 403);
    // The same request from Parley's own page is accepted.
    const res = await alice.handshake("/agent/ws?device=browser", { "sec-fetch-site": "same-origin" });
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close();
  });
});

describe("bad socket input", () => {
  const bad: [string, string | ArrayBuffer, string][] = [
    ["malformed JSON", "{not json", "That message could not be read."],
    ["an unknown message type", JSON.stringify({ type: "explode" }), "That message could not be understood."],
    ["a binary frame", new TextEncoder().encode('{"type":"hangup"}').buffer as ArrayBuffer, "Binary messages are not accepted."],
    ["a frame over 8 KB", JSON.stringify({ type: "typing", text: "x".repeat(9000) }), "That message is too long."],
    // Valid JSON, but a lone surrogate relayed as UTF-8 made every receiving browser drop its socket.
    ["a typing frame with a lone surrogate", '{"type":"typing","text":"\\udfff"}', "That message holds characters that cannot be sent."],
    ["a text with a lone surrogate", '{"type":"text","text":"hi \\ud800 there"}', "That message holds characters that cannot be sent."],
    ["a lone surrogate in a key", '{"type":"hangup","HEADERS":{"\\udc00":1}}', "That message holds characters that cannot be sent."],
  ];

  let console: LiveSocket;
  let customerSocket: LiveSocket;
  let agentSocket: LiveSocket;
  beforeAll(async () => {
    const { agents: [alice] } = await team("bad-input-co", ["Alice Martin"]);
    console = (await alice.online()).keep();
    ({ customerSocket, agentSocket } = await connectedChat(alice, console));
    customerSocket.keep();
    agentSocket.keep();
  });
  // These tests share one chat, whose sockets stay open until the last one.
  afterAll(() => closeAllSockets({ kept: true }));

  it.each(bad)("on a chat socket: %s gets an error frame and the chat goes on", async (_, frame, error) => {
    customerSocket.send(frame);
    await customerSocket.next(frames.error(error), "the error frame");
    expect(agentSocket.saw((f) => !f.isWellFormed())).toBe(false);
    const text = `still working after ${_}`;
    customerSocket.send({ type: "text", text });
    await agentSocket.next(frames.message(text), "the next message");
  });

  it("on a chat socket: a text over 4000 characters gets an error frame, one of 4000 is delivered", async () => {
    customerSocket.send({ type: "text", text: "y".repeat(4001) });
    await customerSocket.next(frames.error("Messages can be at most 4000 characters."), "the error frame");
    expect(agentSocket.saw((f) => f.includes("y".repeat(4001)))).toBe(false);
    customerSocket.send({ type: "text", text: "z".repeat(4000) });
    await agentSocket.next(frames.message("z".repeat(4000)), "the 4000-character message");
  });

  it.each(bad)("on the console socket: %s gets an error frame and the console goes on", async (_, frame, error) => {
    console.send(frame);
    await console.next(frames.error(error), "the error frame");
    console.send({ type: "status", status: "TAKING_BREAK" });
    await console.next(frames.error("Finish your current chat first."), "the console still answering");
  });

  it("on the console socket: an answer without a proper chat id gets an error frame", async () => {
    console.send({ type: "answer", chatId: "'; drop table chats; --" });
    await console.next(frames.error("That message could not be understood."), "the error frame");
    console.send({ type: "answer", chatId: crypto.randomUUID() });
    await console.next(frames.error("That chat is no longer waiting."), "the error frame");
  });
});

describe("POST /c/:company/:room (the contact form's limits)", () => {
  it("refuses the 11th submission from one address within 10 minutes with 429 and a readable message, and keeps serving other addresses", async () => {
    await team("spam-co", ["Alice Martin"]);
    const spammer = new Customer("203.0.113.66");
    for (let i = 1; i <= 10; i++) {
      const res = await spammer.submit("/c/spam-co/GENERAL", { name: `Spam ${i}`, email: "spam@example.com", message: "Buy now", mode: "email" });
      expect(res.status, `submission ${i}`).toBe(200);
    }
    const chatsBefore = await count("select count(*) n from chats");
    const res = await spammer.submit("/c/spam-co/GENERAL", { name: "Spam 11", mode: "chat" });
    expect(res.status).toBe(429);
    expect(await res.text()).toContain("Too many requests from your network. Please try again in 10 minutes.");
    expect(await count("select count(*) n from chats")).toBe(chatsBefore);

    await new Customer("203.0.113.67").startChat("/c/spam-co/GENERAL");
  });

  it("counts each connected chat once against the company's entitlement, and at the quota shows a clear 503 page and creates no chat", async () => {
    const { company, agents: [alice] } = await team("quota-co", ["Alice Martin"]);
    const used = () => count("select entitlement_used n from companies where id = ?", company.id);
    const console = await alice.online();
    expect(await used()).toBe(0);

    // A chat that only waits and is left does not count; a connected one counts once.
    const left = await new Customer().startChat("/c/quota-co/GENERAL");
    const leftSocket = await left.socket();
    await console.next(frames.ring(left.id), "the ring");
    leftSocket.send({ type: "hangup" });
    await console.next(frames.ringGone(left.id), "the ring removed");
    expect(await used()).toBe(0);

    const first = await connectedChat(alice, console);
    expect(await used()).toBe(1);
    first.customerSocket.send({ type: "text", text: "counting" });
    await first.agentSocket.next(frames.message("counting"), "the message");
    first.customerSocket.send({ type: "hangup" });
    await console.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "the hang-up");
    expect(await used()).toBe(1);
    await alice.choose(console, "WAITING_NEW_CALL");
    await connectedChat(alice, console);
    expect(await used()).toBe(2);

    await env.DB.prepare("update companies set entitlement_quota = 2 where id = ?").bind(company.id).run();
    const chatsBefore = await count("select count(*) n from chats where company_id = ?", company.id);
    const res = await new Customer().submit("/c/quota-co/GENERAL", { name: "Late Larry", mode: "chat" });
    expect(res.status).toBe(503);
    const page = await res.text();
    expect(page).toContain("quota-co Ltd cannot take new chats at the moment");
    // The customer's look: Parley's own sign-in links are not theirs, the way back is the form.
    expect(page).toContain("Not available right now");
    expect(page).not.toContain('href="/login"');
    expect(page).toContain('href="/c/quota-co/GENERAL"');
    expect(await count("select count(*) n from chats where company_id = ?", company.id)).toBe(chatsBefore);
    await console.nothing(frames.anyRing, "a ring");
  });
});
