import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Browser, Live, askForChat, frames, signIn } from "./live-client";
import { startFaultServer, type FaultServer } from "./server";

// A paid chat on the real local server, killed (SIGKILL of the whole process group: no close
// frame, no cleanup) at each step, and started again on the same state. Whatever the step, the
// invariants hold: nothing acknowledged is lost, every charge is taken once, the customer pays
// only for seconds both parties were there (the meter's rounding aside), the agent is free again,
// and no customer is left waiting in a queue.

const ROOM = "PREAUTHORISED_CARD_AUTO_CHARGE_END";
const PAID = `/c/demo/${ROOM}`;
const PASSWORD = "parley-demo";

/** A Stripe request the fake holds while the server is killed: before it did the work, or after. */
type Hold = { path: RegExp; when: "before" | "after"; arrived: PromiseWithResolvers<void>; release: PromiseWithResolvers<void> };
let hold: Hold | null = null;

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer(async (request, answer) => {
    const h = hold;
    if (!h || request.method !== "POST" || !h.path.test(new URL(request.url).pathname)) return answer(request);
    if (h.when === "before") {
      h.arrived.resolve();
      await h.release.promise;
      // The caller died before its request got through: Stripe never saw it.
      return new Response("connection lost", { status: 502 });
    }
    const res = await answer(request);
    h.arrived.resolve();
    await h.release.promise;
    return res;
  });
  // The meter starts when the agent answers (no Start button to press).
  server.d1(`update rooms set phone_timer_start = 0 where name = '${ROOM}'`);
}, 180_000);

afterEach(releaseStripe);

afterAll(async () => {
  await server?.stop();
});

/** Holds the next matching Stripe request; `arrived` waits (at most `timeoutMs`) until it came. */
function holdStripe(path: RegExp, when: "before" | "after", timeoutMs = 60_000): { arrived: Promise<void> } {
  hold = { path, when, arrived: Promise.withResolvers(), release: Promise.withResolvers() };
  const { promise, reject } = Promise.withResolvers<void>();
  const timer = setTimeout(() => reject(new Error(`no Stripe request to ${path} within ${timeoutMs / 1000}s`)), timeoutMs);
  return { arrived: Promise.race([hold.arrived.promise, promise]).finally(() => clearTimeout(timer)) };
}

function releaseStripe(): void {
  hold?.release.resolve();
  hold = null;
}

const agents: Record<string, Browser> = {};
async function agent(email: string): Promise<Browser> {
  agents[email] ??= await signIn(server.base, email, PASSWORD);
  return agents[email];
}

async function openConsole(browser: Browser): Promise<{ console: Live; status: string }> {
  const console = await browser.socket("/agent/ws?device=browser", "console");
  const snapshot = await console.until((f) => f.includes('id="agent-status"'), "the console snapshot");
  return { console, status: /data-status="(\w+)"/.exec(snapshot)?.[1] ?? "" };
}

/** The agent's console, ONLINE: the agent chose it after their last chat, as they would. */
async function onlineConsole(browser: Browser): Promise<Live> {
  const { console, status } = await openConsole(browser);
  if (status !== "WAITING_NEW_CALL") {
    console.send({ type: "status", status: "WAITING_NEW_CALL" });
    await console.until(frames.status("WAITING_NEW_CALL"), "ONLINE");
  }
  return console;
}

const meter = (chatId: string) => (f: string) => f.includes(`id="meter-${chatId}"`);

/** A connected paid chat: the card authorised, the agent answered, both chat sockets open. */
async function paidChat(email: string) {
  const agentBrowser = await agent(email);
  const console = await onlineConsole(agentBrowser);
  const { browser: customer, chatId } = await askForChat(server.base, PAID, "Carla Crash");
  expect((await customer.fetch(`/chats/${chatId}`)).status).toBe(200);
  const authorised = await customer.post(`/chats/${chatId}/authorise`, { paymentMethod: "pm_card_visa", agree: "on" }, `/chats/${chatId}`);
  expect(authorised.status, await authorised.clone().text()).toBe(303);
  const customerSocket = await customer.socket(`/chats/${chatId}/ws`, "customer");
  await console.until(frames.ring(chatId), "the ring");
  console.send({ type: "answer", chatId });
  await console.until(frames.chatOpened(chatId), "the opened chat");
  const connectedAt = Date.now();
  const agentSocket = await agentBrowser.socket(`/chats/${chatId}/ws`, "agent's chat");
  await customerSocket.until(meter(chatId), "the meter");
  return { chatId, customer, agentBrowser, console, customerSocket, agentSocket, connectedAt };
}

/** Both parties say something; the text is relayed (acknowledged) before this returns. */
async function talk(chat: { customerSocket: Live; agentSocket: Live }, text: string) {
  chat.customerSocket.send({ type: "text", text });
  await chat.agentSocket.until(frames.message(text), `"${text}" at the agent`);
}

async function crashAndRestart(downMs: number, sockets: Live[]) {
  await server.crash();
  for (const socket of sockets) socket.close();
  await new Promise((r) => setTimeout(r, downMs));
  await server.restart();
}

type ChatRow = { status: string; ended_by: string | null; currency: string | null; chargeable_seconds: number; paid_minor: number; amount_minor: number };
const chatRow = (chatId: string) =>
  server.d1<ChatRow>(`select status, ended_by, currency, chargeable_seconds, paid_minor, amount_minor from chats where id = '${chatId}'`)[0]!;

async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, what: string, timeoutMs: number, shown: (value: T) => string = JSON.stringify): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not so after ${timeoutMs / 1000}s: ${shown(value)}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** What the customer's card was charged for this chat, at Stripe. */
async function capturedAtStripe(chatId: string): Promise<number> {
  const state = (await (await fetch(`${server.stripe}/_fake/state`)).json()) as { paymentIntents: Record<string, { metadata: Record<string, string>; amount_received: number }> };
  return Object.values(state.paymentIntents)
    .filter((pi) => pi.metadata.chat_id === chatId)
    .reduce((sum, pi) => sum + pi.amount_received, 0);
}

async function quote(seconds: number): Promise<number> {
  const res = await fetch(`${server.base}/api/quote/demo/${ROOM}?seconds=${seconds}`);
  return ((await res.json()) as { amountMinor: number }).amountMinor;
}

/**
 * The invariants at the end of a chat: charged once, for no more than the seconds both were
 * there, at the meter's price; the agent's console free for the next customer.
 */
async function expectSettled(chatId: string, email: string, presentSeconds: number) {
  const row = await until(() => chatRow(chatId), (r) => r.status === "ended" && r.currency !== null && r.paid_minor === r.amount_minor, "the chat's end and bill", 60_000);
  console.info(`chat ${chatId.slice(0, 8)}: both present ${presentSeconds.toFixed(1)} s, billed ${row.chargeable_seconds} s, paid ${row.paid_minor}`);
  expect(row.chargeable_seconds, "billed seconds ≤ seconds both were there").toBeLessThanOrEqual(Math.ceil(presentSeconds) + 1);
  expect(row.paid_minor, "the meter's price of the billed seconds").toBe(await quote(row.chargeable_seconds));
  expect(await capturedAtStripe(chatId), "taken from the card once").toBe(row.paid_minor);
  const charges = server.d1<{ n: number; keys: number }>(`select count(*) as n, count(distinct idempotency_key) as keys from charges where chat_id = '${chatId}' and status = 'succeeded'`)[0]!;
  expect(charges.n).toBe(charges.keys);

  // The agent is free: a console opened now is not serving, and going ONLINE is accepted.
  const browser = await agent(email);
  const { console: agentConsole } = await until(
    () => openConsole(browser),
    (c) => {
      if (c.status === "SERVING_CUSTOMER") c.console.close();
      return c.status !== "SERVING_CUSTOMER";
    },
    "the agent's console out of SERVING_CUSTOMER",
    60_000,
    (c) => c.status,
  );
  agentConsole.send({ type: "status", status: "WAITING_NEW_CALL" });
  await agentConsole.until(frames.status("WAITING_NEW_CALL"), "ONLINE");
  await new Promise((r) => setTimeout(r, 500));
  expect(agentConsole.frames.filter(frames.error), "no refusal such as 'Finish your current chat first'").toEqual([]);
  agentConsole.close();
}

describe("a paid chat when the server is killed", () => {
  it("while connected, with nobody coming back: billed up to the last evidence of both, ended by the offline timeout, agent freed", async () => {
    const chat = await paidChat("alice@demo.test");
    await new Promise((r) => setTimeout(r, 3000));
    await talk(chat, "Still there?");
    const presentSeconds = (Date.now() - chat.connectedAt) / 1000;
    // A customer waiting in the queue at the crash, whose page does not come back either.
    const waiting = await askForChat(server.base, "/c/demo/GENERAL", "Wendy Waiting");
    const waitingSocket = await waiting.browser.socket(`/chats/${waiting.chatId}/ws`, "waiting customer");
    await waitingSocket.until(frames.snapshot(waiting.chatId), "the waiting page");

    await crashAndRestart(2000, [chat.customerSocket, chat.agentSocket, chat.console, waitingSocket]);
    // The chat's next tick (30 s) finds nobody; the 90-second timeout runs from the last evidence.
    const row = await until(() => chatRow(chat.chatId), (r) => r.status === "ended", "the abandoned chat", 150_000);
    expect(row.ended_by).toBe("timeout");
    await expectSettled(chat.chatId, "alice@demo.test", presentSeconds);
    expect(server.d1(`select body from messages where chat_id = '${chat.chatId}'`)).toContainEqual({ body: "Still there?" });
    expect(chatRow(waiting.chatId)).toMatchObject({ status: "missed", ended_by: "customer" });
  }, 300_000);

  it("while connected, with both coming back: the time the server was down is not billed, and nothing said is lost", async () => {
    const chat = await paidChat("bob@demo.test");
    await new Promise((r) => setTimeout(r, 2000));
    await talk(chat, "Before the crash");
    const before = (Date.now() - chat.connectedAt) / 1000;
    await crashAndRestart(12_000, [chat.customerSocket, chat.agentSocket, chat.console]);

    const customerSocket = await chat.customer.socket(`/chats/${chat.chatId}/ws`, "customer again");
    const agentSocket = await chat.agentBrowser.socket(`/chats/${chat.chatId}/ws`, "agent again");
    const backAt = Date.now();
    const snapshot = await customerSocket.until(frames.snapshot(chat.chatId), "the chat after the restart");
    expect(snapshot).toContain("Before the crash");
    await new Promise((r) => setTimeout(r, 2000));
    await talk({ customerSocket, agentSocket }, "After the crash");
    customerSocket.send({ type: "hangup" });
    const after = (Date.now() - backAt) / 1000;
    await expectSettled(chat.chatId, "bob@demo.test", before + after);
    expect(chatRow(chat.chatId).chargeable_seconds, "the 12 s down are not in the bill").toBeLessThan(before + after + 1);
    customerSocket.close();
    agentSocket.close();
  }, 300_000);

  for (const when of ["before", "after"] as const) {
    it(`at hang-up, ${when} Stripe took the charge: charged once after the restart, the agent freed without coming back`, async () => {
      const email = when === "before" ? "alice@demo.test" : "bob@demo.test";
      const chat = await paidChat(email);
      await new Promise((r) => setTimeout(r, 3000));
      await talk(chat, "Thank you, goodbye");
      const held = holdStripe(/\/capture$/, when);
      chat.agentSocket.send({ type: "hangup" });
      await held.arrived;
      const presentSeconds = (Date.now() - chat.connectedAt) / 1000;
      await crashAndRestart(1000, [chat.customerSocket, chat.agentSocket, chat.console]);
      releaseStripe();
      // Nobody comes back: the chat's alarm finishes the end (charge, records, the agent freed).
      await expectSettled(chat.chatId, email, presentSeconds);
      expect(chatRow(chat.chatId).ended_by).toBe("agent");
    }, 300_000);
  }

  it("mid split bill at a meter tick: the split is charged once, and the final bill adds only the rest", async () => {
    server.d1(`update rooms set pricing_split_threshold_minor = 1000 where name = '${ROOM}'`);
    try {
      const chat = await paidChat("alice@demo.test");
      // The first tick (30 s) charges the first block; the crash comes while Stripe captures it.
      const held = holdStripe(/\/capture$/, "after");
      await held.arrived;
      const tickAt = (Date.now() - chat.connectedAt) / 1000;
      await crashAndRestart(1000, [chat.customerSocket, chat.agentSocket, chat.console]);
      releaseStripe();
      const customerSocket = await chat.customer.socket(`/chats/${chat.chatId}/ws`, "customer again");
      const agentSocket = await chat.agentBrowser.socket(`/chats/${chat.chatId}/ws`, "agent again");
      const backAt = Date.now();
      await talk({ customerSocket, agentSocket }, "Back after the tick");
      agentSocket.send({ type: "hangup" });
      await expectSettled(chat.chatId, "alice@demo.test", tickAt + (Date.now() - backAt) / 1000);
      customerSocket.close();
      agentSocket.close();
    } finally {
      server.d1(`update rooms set pricing_split_threshold_minor = null where name = '${ROOM}'`);
    }
  }, 300_000);
});
