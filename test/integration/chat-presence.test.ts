import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CUSTOMER_LEFT } from "../../worker/live/contracts";
import { Customer, chatRow, connectedChat, later, team, untilState } from "./live";
import { authorise, chatStub, holdsOf, paidChat, paidPath, paidRoom, runAlarm } from "./paid-chats";
import { accept, closeAllSockets, frames, handshake } from "./sockets";

// Who is there, by evidence: a customer whose page never opened its socket leaves the queue, and
// a page that stops pinging without a close stops the meter at its last ping. (A crash of the
// whole server, where every socket dies without a close, is in test/faults.)

afterEach(async () => {
  await closeAllSockets();
  vi.useRealTimers();
});

const billedSeconds = async (chatId: string) =>
  (await env.DB.prepare("select chargeable_seconds from chats where id = ?").bind(chatId).first<{ chargeable_seconds: number }>())!.chargeable_seconds;

describe("a chat whose page never opens its socket (a ghost)", () => {
  it("leaves the queue after the 15-second grace: its ring goes from every console and it is recorded as missed", async () => {
    const { agents: [alice] } = await team("ghost-co", ["Alice Martin"]);
    const console = await alice.online();
    const ghost = await new Customer().startChat("/c/ghost-co/GENERAL");
    await console.arrived(frames.ring(ghost.id), "the ghost's ring");

    later(16);
    await runAlarm(ghost.id);
    await console.next(frames.ringGone(ghost.id), "the ring withdrawn");
    expect(await chatRow(ghost.id)).toMatchObject({ status: "missed", ended_by: "customer", agent_id: null });
  });

  it("stays in the queue when the page opens within the grace, with no alarm left to wake the chat while it waits", async () => {
    const { agents: [alice] } = await team("ghost-ok-co", ["Alice Martin"]);
    const console = await alice.online();
    const chat = await new Customer().startChat("/c/ghost-ok-co/GENERAL");
    await chat.socket();
    later(16);
    expect(await runDurableObjectAlarm(chatStub(chat.id)), "an alarm was scheduled").toBe(false);
    expect((await chatRow(chat.id))?.status).toBe("waiting");
    expect(console.saw(frames.ringGone(chat.id))).toBe(false);
  });
});

describe("a waiting customer's page", () => {
  it("pings without reaching the chat's handler: the runtime answers, and the chat's stored evidence is not rewritten", async () => {
    const { agents: [alice] } = await team("ping-co", ["Alice Martin"]);
    await alice.online();
    const chat = await new Customer().startChat("/c/ping-co/GENERAL");
    const page = await chat.socket();
    const seen = () => runInDurableObject(chatStub(chat.id), (_, state) => state.storage.kv.get<{ customer?: number }>("seen")?.customer);
    const before = await seen();
    later(5); // past the refresh pause: a frame that reached the handler would store a new time
    page.send("ping");
    await page.next((f) => f === "pong", "the pong");
    expect(await seen()).toBe(before);
    const pinged = await runInDurableObject(chatStub(chat.id), (_, state) => state.getWebSocketAutoResponseTimestamp(state.getWebSockets("customer")[0]!)?.getTime());
    expect(pinged).toBeGreaterThan(before!);
  });

  it("that stops pinging without a close is found when an agent answers: the answer is refused, the ring goes, and the chat is missed", async () => {
    const { agents: [alice] } = await team("gone-waiting-co", ["Alice Martin"]);
    const console = await alice.online();
    const chat = await new Customer().startChat("/c/gone-waiting-co/GENERAL");
    const page = await chat.socket();
    page.send("ping");
    await page.next((f) => f === "pong", "the pong");
    await console.arrived(frames.ring(chat.id), "the ring");

    later(61 + 15); // silent past the ping's limit, and the waiting grace since the last ping
    console.send({ type: "answer", chatId: chat.id });
    await console.next(frames.error(CUSTOMER_LEFT), "the answer refused");
    expect(await chatRow(chat.id)).toMatchObject({ status: "missed", ended_by: "customer", agent_id: null });
    await untilState("gone-waiting-co", "GENERAL", alice.email, ["WAITING_NEW_CALL", null]);
  });

  it("that stops pinging without a close is found when the queue moves: the customer ahead leaves, and the silent one is given up", async () => {
    const { agents: [alice] } = await team("queue-moves-co", ["Alice Martin"]);
    const console = await alice.online();
    const ahead = await new Customer().startChat("/c/queue-moves-co/GENERAL");
    const aheadPage = await ahead.socket();
    const silent = await new Customer().startChat("/c/queue-moves-co/GENERAL");
    const silentPage = await silent.socket();
    silentPage.send("ping");
    await silentPage.next((f) => f === "pong", "the pong");
    await console.arrived(frames.ring(silent.id), "the silent customer's ring");

    later(61 + 15);
    aheadPage.send({ type: "hangup" });
    await console.arrived(frames.ringGone(silent.id), "the silent customer's ring withdrawn");
    expect(await chatRow(silent.id)).toMatchObject({ status: "missed", ended_by: "customer" });
  });

  it("that stops pinging is not given up before the grace since its last ping is over", async () => {
    const { agents: [alice] } = await team("late-answer-co", ["Alice Martin"]);
    const console = await alice.online();
    const chat = await new Customer().startChat("/c/late-answer-co/GENERAL");
    const page = await chat.socket();
    page.send("ping");
    await page.next((f) => f === "pong", "the pong");
    await console.arrived(frames.ring(chat.id), "the ring");

    later(30); // still pinging, as far as anyone can tell
    console.send({ type: "answer", chatId: chat.id });
    await console.next(frames.chatOpened(chat.id), "the chat opened");
    expect((await chatRow(chat.id))?.status).toBe("connected");
  });
});

describe("a page that stops pinging without a close (a lost network)", () => {
  it("is taken as gone since its last ping: the meter stops there, the agent is told, and the timeout ends the chat and frees the agent", async () => {
    const { alice } = await paidRoom("silent-co");
    const { chat, customerSocket, agentSocket } = await paidChat(alice);
    customerSocket.send("ping");
    await customerSocket.next((f) => f === "pong", "the pong");

    later(61);
    await runAlarm(chat.id);
    await agentSocket.next(frames.notice("is offline"), "the customer shown offline");
    later(90);
    await runAlarm(chat.id);
    expect(await chatRow(chat.id)).toMatchObject({ status: "ended", ended_by: "timeout" });
    // The customer pinged right after connecting; none of the 151 s after that is billed.
    expect(await billedSeconds(chat.id)).toBeLessThanOrEqual(2);
    await untilState("silent-co", "PAID", alice.email, ["REMOTE_CUSTOMER_HANGUP", null]);
  });

  it("is not taken as gone while it pings", async () => {
    const { alice } = await paidRoom("pinging-co");
    const { chat, customerSocket, agentSocket } = await paidChat(alice);
    customerSocket.send("ping");
    await customerSocket.next((f) => f === "pong", "the pong");
    later(30);
    await runAlarm(chat.id);
    expect(agentSocket.saw(frames.notice("is offline"))).toBe(false);
    expect((await chatRow(chat.id))?.status).toBe("connected");
  });
});

describe("the end of a chat that breaks off part-way", () => {
  it("is finished by the alarm: the record written and the agent freed, once D1 takes writes again", async () => {
    const { agents: [alice] } = await team("end-retry-co", ["Alice Martin"]);
    const console = await alice.online();
    const { chat, agentSocket } = await connectedChat(alice, console, "/c/end-retry-co/GENERAL");
    await env.DB.prepare(
      `create trigger refuse_end before update of status on chats when new.id = '${chat.id}' and new.status = 'ended' begin select raise(abort, 'refused for the test'); end`,
    ).run();
    try {
      agentSocket.send({ type: "hangup" });
      await vi.waitUntil(async () => (await runInDurableObject(chatStub(chat.id), (_, state) => state.storage.kv.get("ending"))) !== undefined);
      expect((await chatRow(chat.id))?.status, "not recorded while D1 refuses").toBe("connected");
    } finally {
      await env.DB.prepare("drop trigger refuse_end").run();
    }
    later(21);
    await runAlarm(chat.id);
    expect(await chatRow(chat.id)).toMatchObject({ status: "ended", ended_by: "agent" });
    await console.next(frames.status("HANG_UP"), "the agent freed");
    expect(await runInDurableObject(chatStub(chat.id), (_, state) => state.storage.kv.get("ending"))).toBeUndefined();
  });
});

describe("a paid chat given up before it connects", () => {
  it("ends a minute after the customer left the price page without a card, and is recorded as missed", async () => {
    const { company } = await paidRoom("card-left-co");
    const customer = new Customer();
    const chat = await customer.startChat(paidPath(company.slug));
    const page = await accept(await handshake(`/chats/${chat.id}/ws?away=1`, { cookie: `parley_chat=${chat.token}` }), "the price page's socket");
    later(120); // reading the price is no reason to give up
    await runAlarm(chat.id);
    expect((await chatRow(chat.id))?.status).toBe("waiting");

    page.close();
    await page.closed();
    later(61);
    await runAlarm(chat.id);
    expect(await chatRow(chat.id)).toMatchObject({ status: "missed", ended_by: "customer" });
  });

  it("releases the hold when the customer authorised a card but never came to the chat", async () => {
    const { company } = await paidRoom("card-gone-co");
    const customer = new Customer();
    const chat = await customer.startChat(paidPath(company.slug));
    expect((await authorise(customer, chat.id, "pm_card_visa")).status).toBe(303);
    expect((await holdsOf(chat.id))[0]?.status).toBe("requires_capture");
    later(16);
    await runAlarm(chat.id);
    expect(await chatRow(chat.id)).toMatchObject({ status: "missed", ended_by: "customer" });
    expect((await holdsOf(chat.id))[0]?.status).toBe("canceled");
  });
});
