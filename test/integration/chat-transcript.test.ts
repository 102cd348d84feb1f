import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { Browser } from "./client";
import { control } from "./fixtures";
import { Customer, chatRow, connectedChat, setRoom, team, type Agent } from "./live";
import { inbox } from "./mail";
import { closeAllSockets, frames, type LiveSocket } from "./sockets";
import { finishChatRecord } from "../../worker/stores/chats";

// "Email me the transcript" on the customer's end screen, and the room's "Always email the
// transcript to the customer": the mail as the catcher received it, once per chat and address.

afterEach(() => closeAllSockets());

const transcriptPath = (chatId: string) => `/chats/${chatId}/transcript`;

let n = 0;
const customerEmail = () => `carla-${++n}-${Date.now()}@transcript.test`;

const outbox = (chatId: string) =>
  env.DB.prepare("select id, kind, to_address from email_outbox where id like ? order by id").bind(`${chatId}:transcript%`).all<{ id: string; kind: string; to_address: string }>();

async function untilEnded(chatId: string) {
  const until = Date.now() + 3_000;
  while ((await chatRow(chatId))?.status !== "ended" && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  expect((await chatRow(chatId))?.status).toBe("ended");
}

/** A chat in which both wrote a line with markup in it, then the agent hung up. */
async function endedChat(agent: Agent, console: LiveSocket, email = customerEmail()) {
  const { chat, customer, customerSocket, agentSocket } = await connectedChat(agent, console, undefined, new Customer(), { email });
  customerSocket.send({ type: "text", text: "Is <b>this</b> & that ok?" });
  await agentSocket.next((f) => f.includes("that ok?"), "the customer's line");
  agentSocket.send({ type: "text", text: "Yes, <i>it</i> is." });
  await customerSocket.next((f) => f.includes("is."), "the agent's line");
  agentSocket.send({ type: "hangup" });
  await customerSocket.next((f) => frames.snapshot(chat.id)(f) && f.includes(`hx-get="${transcriptPath(chat.id)}"`), "the ended chat with the transcript's slot");
  await untilEnded(chat.id);
  await agent.choose(console, "WAITING_NEW_CALL");
  return { chat, customer, email };
}

/** The first mail to `to` (waiting up to 5 s for the queue). */
async function caught(to: string) {
  for (let i = 0; i < 50; i++) {
    const [mail] = await inbox(to, 0);
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

function expectTranscript(mail: Awaited<ReturnType<typeof caught>>, slug: string) {
  expect(mail?.subject).toBe(`Your chat transcript from ${slug} Ltd`);
  expect(mail?.from[0]?.name).toBe(`${slug} Ltd`);
  // Each line with its writer's name and UTC time; the HTML part escapes what people wrote.
  expect(mail?.text).toMatch(/\[\d\d:\d\d UTC\] Carla Customer: Is <b>this<\/b> & that ok\?/);
  expect(mail?.text).toMatch(/\[\d\d:\d\d UTC\] Alice Martin: Yes, <i>it<\/i> is\./);
  expect(mail?.text).toMatch(/Room: +GENERAL/);
  expect(mail?.text).toMatch(/Chat started: +\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  expect(mail?.html).toContain("Carla Customer: Is &lt;b&gt;this&lt;/b&gt; &amp; that ok?");
  expect(mail?.html).toContain("Alice Martin: Yes, &lt;i&gt;it&lt;/i&gt; is.");
  expect(mail?.html).not.toContain("<b>this</b>");
}

describe("POST /chats/:id/transcript", () => {
  it("offers the form on the end screen with the contact form's address, and mails the transcript once to an address", async () => {
    const { agents } = await team("transcript-a", ["Alice Martin"]);
    const alice = agents[0];
    const console = await alice.online();
    const { chat, customer, email } = await endedChat(alice, console);

    const form = await customer.browser.htmxGet(transcriptPath(chat.id));
    expect(form.status).toBe(200);
    expect(form.headers.get("vary")).toContain("HX-Request");
    const html = await form.text();
    expect(html).toContain("Email me the transcript");
    expect(control(html, "email")).toContain(`value="${email}"`);
    expect(control(html, "email")).toContain("required");
    expect(control(html, "_csrf")).toContain(`value="${customer.browser.cookie("parley_csrf")}"`);

    const sent = await customer.browser.htmxPost(transcriptPath(chat.id), { email: ` ${email.toUpperCase()} ` });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain(`Sent to ${email}.`);
    expectTranscript(await caught(email), "transcript-a");

    const again = await customer.browser.htmxPost(transcriptPath(chat.id), { email });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain(`The transcript was already sent to ${email}.`);
    expect((await outbox(chat.id)).results).toEqual([{ id: `${chat.id}:transcript:${email}`, kind: "transcript", to_address: email }]);
    expect(await inbox(email)).toHaveLength(1);
  });

  it("refuses a bad address, a chat that goes on, and a browser that is not the customer's, with messages", async () => {
    const { agents } = await team("transcript-b", ["Alice Martin"]);
    const alice = agents[0];
    const console = await alice.online();
    const running = await connectedChat(alice, console, undefined, new Customer(), { email: customerEmail() });
    const early = await running.customer.browser.htmxPost(transcriptPath(running.chat.id), { email: customerEmail() });
    expect(early.status).toBe(409);
    expect(await early.text()).toContain("The transcript can be emailed once the chat has ended");
    running.agentSocket.send({ type: "hangup" });
    await untilEnded(running.chat.id);
    await alice.choose(console, "WAITING_NEW_CALL");

    for (const [bad, message] of [
      ["not-an-address", "Enter a valid email address"],
      ["", "Enter your email address."],
      ["a@b.test\r\nBcc: x@evil.test", "Enter a valid email address"],
    ] as const) {
      const res = await running.customer.browser.htmxPost(transcriptPath(running.chat.id), { email: bad });
      expect(res.status, bad).toBe(422);
      expect(await res.text()).toContain(message);
    }

    const stranger = new Browser();
    const res = await stranger.post(transcriptPath(running.chat.id), { email: customerEmail() }, { from: "/c/transcript-b/GENERAL" });
    expect(res.status).toBe(404);
    expect((await outbox(running.chat.id)).results).toEqual([]);
  });

  it("mails a few addresses per chat, then asks the customer to wait", async () => {
    const { agents } = await team("transcript-c", ["Alice Martin"]);
    const alice = agents[0];
    const console = await alice.online();
    const { chat, customer } = await endedChat(alice, console);
    for (let i = 0; i < 5; i++) expect((await customer.browser.htmxPost(transcriptPath(chat.id), { email: customerEmail() })).status).toBe(200);
    const held = await customer.browser.htmxPost(transcriptPath(chat.id), { email: customerEmail() });
    expect(held.status).toBe(429);
    expect(await held.text()).toContain("asked for too often");
    expect((await outbox(chat.id)).results).toHaveLength(5);
  });
});

describe("the room's \"Always email the transcript to the customer\"", () => {
  it("mails the transcript as the chat ends, once however often the end's record is written", async () => {
    const { agents } = await team("transcript-d", ["Alice Martin"]);
    const alice = agents[0];
    await setRoom("transcript-d", "GENERAL", "always_email_transcript = 1");
    const console = await alice.online();
    const { chat, customer, email } = await endedChat(alice, console);
    expectTranscript(await caught(email), "transcript-d");
    expect((await outbox(chat.id)).results).toEqual([{ id: `${chat.id}:transcript`, kind: "transcript", to_address: email }]);

    // The end's "record" step again, as a retry after a crash would: nothing more is written.
    const { mails } = await finishChatRecord(env.DB, { chatId: chat.id }, "ended", "agent", [{ seq: 0, sender: "customer", body: "again", at: Date.now() }], null);
    expect(mails).toEqual([`${chat.id}:transcript`]);
    expect((await outbox(chat.id)).results).toHaveLength(1);
    // The customer asking for it to the same address is told it went.
    const again = await customer.browser.htmxPost(transcriptPath(chat.id), { email });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain(`The transcript was already sent to ${email}.`);
    await new Promise((r) => setTimeout(r, 500));
    expect(await inbox(email)).toHaveLength(1);
  });

  it("sends nothing when the setting is off or the customer gave no address", async () => {
    const { agents } = await team("transcript-e", ["Alice Martin"]);
    const alice = agents[0];
    const console = await alice.online();
    const off = await endedChat(alice, console);
    expect((await outbox(off.chat.id)).results).toEqual([]);
    await setRoom("transcript-e", "GENERAL", "always_email_transcript = 1");
    const none = await endedChat(alice, console, "");
    expect((await outbox(none.chat.id)).results).toEqual([]);
  });
});

describe("a transcript with a conference guest", () => {
  it("names the guest's lines by the guest's own name", async () => {
    const { agents } = await team("transcript-f", ["Alice Martin", "Bob Stone"]);
    const [alice, bob] = agents;
    await setRoom("transcript-f", "GENERAL", "phone_conference = 1, always_email_transcript = 1");
    const aliceConsole = await alice.online();
    const bobConsole = await bob.online();
    const email = customerEmail();
    const { chat, customerSocket, agentSocket } = await connectedChat(alice, aliceConsole, undefined, new Customer(), { email });
    agentSocket.send({ type: "invite", agentId: bob.id });
    await bobConsole.next((f) => f.includes(`<article id="invite-${chat.id}"`), "Bob's invitation");
    bobConsole.send({ type: "join", chatId: chat.id });
    await bobConsole.next(frames.chatOpened(chat.id), "the chat opened on Bob's console");
    const bobSocket = await bob.chat(chat.id);
    bobSocket.send({ type: "text", text: "Hi, I am the specialist" });
    await customerSocket.next(frames.message("Hi, I am the specialist"), "Bob's text at the customer");
    customerSocket.send({ type: "hangup" });
    await untilEnded(chat.id);
    const mail = await caught(email);
    expect(mail?.text).toMatch(/\[\d\d:\d\d UTC\] Bob Stone: Hi, I am the specialist/);
    expect(mail?.text).toMatch(/Agent: +Alice Martin/);
  });
});
