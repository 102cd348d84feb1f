import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import type { ChatDO } from "../../durable-objects/chat/ChatDO";
import type { ChatInit } from "../../worker/live/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Customer, chatRow, team, untilDevice, untilState } from "./live";
import { closeAllSockets, frames, type LiveSocket } from "./sockets";
import { chatObject } from "../../worker/live/stubs";

// An agent is never given two chats at once (the room does not allow simultaneous chats), however
// the answers interleave: the AgentDO claims the agent synchronously before asking the room.

afterEach(closeAllSockets);

const chatsOf = async (agentId: string) =>
  (await env.DB.prepare("select id from chats where agent_id = ? and status = 'connected'").bind(agentId).all<{ id: string }>()).results.map((r) => r.id);

/** Which of the answers connected and which were refused (with the error frame). */
const outcomes = (answers: { console: LiveSocket; chatId: string }[]) =>
  Promise.all(
    answers.map(async ({ console, chatId }) => {
      const { outcome, frame } = await console.nextOf({ connected: frames.chatOpened(chatId), refused: frames.error() }, `the answer to ${chatId}`);
      return outcome === "connected" ? outcome : { refused: frame };
    }),
  );

describe("one agent rung by two rooms at once", () => {
  it("answering both without waiting connects exactly one chat and refuses the other with an error frame, every time", async () => {
    const { company, agents: [alice] } = await team("race-rooms-co", ["Alice Martin"], { rooms: ["SALES"] });
    const console = await alice.online("browser", ["GENERAL", "SALES"]);

    for (let round = 1; round <= 5; round++) {
      const general = await new Customer().startChat("/c/race-rooms-co/GENERAL");
      const sales = await new Customer().startChat("/c/race-rooms-co/SALES");
      await console.next(frames.ring(general.id), `round ${round}: the GENERAL ring`);
      await console.next(frames.ring(sales.id), `round ${round}: the SALES ring`);

      console.send({ type: "answer", chatId: general.id });
      console.send({ type: "answer", chatId: sales.id });
      // One console, two answers: one chat opens and one error frame says why the other did not.
      const opened = await console.nextOf({ general: frames.chatOpened(general.id), sales: frames.chatOpened(sales.id) }, `round ${round}: an opened chat`);
      expect(await console.next(frames.error(), `round ${round}: the refusal`)).toContain("You are already serving a customer.");
      const [won, lost] = opened.outcome === "general" ? [general, sales] : [sales, general];
      expect(await chatsOf(alice.id)).toEqual([won.id]);
      expect(await chatRow(lost.id)).toMatchObject({ status: "waiting", agent_id: null });
      await console.nothing(frames.chatOpened(lost.id), "a second chat");
      // Every room she serves sees her serving, so neither rings her again meanwhile.
      for (const room of ["GENERAL", "SALES"]) await untilDevice(company.slug, room, alice.email, "browser", "SERVING_CUSTOMER");

      // Clear the round: the served customer hangs up, the other leaves the queue.
      const wonSocket = await won.socket();
      wonSocket.send({ type: "hangup" });
      await console.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "the hang-up state");
      const lostSocket = await lost.socket();
      lostSocket.send({ type: "hangup" });
      // Her card for it went with the refusal, so its end has nothing more to take down.
      await vi.waitUntil(async () => (await chatRow(lost.id))?.status === "missed");
      await alice.choose(console, "WAITING_NEW_CALL", "browser", ["GENERAL", "SALES"]);
      wonSocket.close();
      lostSocket.close();
    }
  }, 30_000);

  it("answering from her browser and her phone at the same moment connects exactly one chat", async () => {
    const { agents: [alice] } = await team("race-devices-co", ["Alice Martin"], { rooms: ["SALES"] });
    const desk = await alice.online("browser", ["GENERAL", "SALES"]);
    const phone = await alice.online("mobile", ["GENERAL", "SALES"]);

    const general = await new Customer().startChat("/c/race-devices-co/GENERAL");
    const sales = await new Customer().startChat("/c/race-devices-co/SALES");
    await desk.next(frames.ring(general.id), "the GENERAL ring");
    await desk.next(frames.ring(sales.id), "the SALES ring");

    desk.send({ type: "answer", chatId: general.id });
    phone.send({ type: "answer", chatId: sales.id });
    const results = await outcomes([
      { console: desk, chatId: general.id },
      { console: phone, chatId: sales.id },
    ]);

    expect(results.filter((r) => r === "connected")).toHaveLength(1);
    expect((results.find((r) => r !== "connected") as { refused: string }).refused).toContain("You are already serving a customer.");
    expect(await chatsOf(alice.id)).toHaveLength(1);
    const rows = await env.DB.prepare("select count(*) n from chats where id in (?, ?) and agent_id is not null").bind(general.id, sales.id).first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });
});

describe("two agents answering one chat at the same moment", () => {
  it("gives the chat to exactly one of them; the other is told and is free again", async () => {
    const { company, agents: [alice, bob] } = await team("race-agents-co", ["Alice Martin", "Bob Chen"]);
    const aliceConsole = await alice.online();
    const bobConsole = await bob.online();

    for (let round = 1; round <= 5; round++) {
      const chat = await new Customer().startChat("/c/race-agents-co/GENERAL");
      await aliceConsole.next(frames.ring(chat.id), `round ${round}: Alice's ring`);
      await bobConsole.next(frames.ring(chat.id), `round ${round}: Bob's ring`);

      aliceConsole.send({ type: "answer", chatId: chat.id });
      bobConsole.send({ type: "answer", chatId: chat.id });
      const results = await outcomes([
        { console: aliceConsole, chatId: chat.id },
        { console: bobConsole, chatId: chat.id },
      ]);

      expect(results.filter((r) => r === "connected"), `round ${round}`).toHaveLength(1);
      const [winner, loser, loserConsole] = results[0] === "connected" ? [alice, bob, bobConsole] : [bob, alice, aliceConsole];
      expect(await chatRow(chat.id)).toMatchObject({ status: "connected", agent_id: winner.id });
      // The refusal removes the ring card too, once: the withdrawal waiting for the console's next frame rides along.
      const refusal = (results.find((r) => r !== "connected") as { refused: string }).refused;
      expect(refusal.split(`id="ring-${chat.id}" hx-swap-oob="delete"`)).toHaveLength(2);
      await loserConsole.nothing(frames.ringGone(chat.id), "a second removal of the ring card");
      await untilState(company.slug, "GENERAL", loser.email, ["WAITING_NEW_CALL", null]);
      await untilState(company.slug, "GENERAL", winner.email, ["SERVING_CUSTOMER", null]);

      const socket = await chat.socket();
      socket.send({ type: "hangup" });
      const winnerConsole = winner === alice ? aliceConsole : bobConsole;
      await winnerConsole.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "the hang-up state");
      await winner.choose(winnerConsole, "WAITING_NEW_CALL");
      socket.close();
    }
  }, 30_000);
});

describe("a customer leaving at the moment an agent answers", () => {
  it("either connects and then ends the chat, or refuses the answer; the agent is never left serving a chat that is gone", async () => {
    const { company, agents: [alice] } = await team("race-leave-co", ["Alice Martin"]);
    const console = await alice.online();

    for (let round = 1; round <= 10; round++) {
      const chat = await new Customer().startChat("/c/race-leave-co/GENERAL");
      const socket = await chat.socket();
      await console.next(frames.ring(chat.id), `round ${round}: the ring`);
      // Both orders of sending, since either message may overtake the other inside the objects.
      if (round % 2) {
        console.send({ type: "answer", chatId: chat.id });
        socket.send({ type: "hangup" });
      } else {
        socket.send({ type: "hangup" });
        console.send({ type: "answer", chatId: chat.id });
      }

      const { outcome } = await console.nextOf({ connected: frames.chatOpened(chat.id), refused: frames.error() }, `round ${round}: the answer`);
      if (outcome === "connected") {
        await console.next(frames.status("REMOTE_CUSTOMER_HANGUP"), `round ${round}: the customer-hung-up state`);
        await socket.next(frames.notice("You ended the chat."), `round ${round}: the end of the chat`);
        expect(await chatRow(chat.id), `round ${round}`).toMatchObject({ status: "ended", ended_by: "customer", agent_id: alice.id });
        await alice.choose(console, "WAITING_NEW_CALL");
      } else {
        await socket.next((f) => f.includes("You left the queue"), `round ${round}: the left-the-queue screen`);
        expect(await chatRow(chat.id), `round ${round}`).toMatchObject({ status: "missed", ended_by: "customer", agent_id: null });
        await untilState(company.slug, "GENERAL", alice.email, ["WAITING_NEW_CALL", null]);
      }
      socket.close();
    }
  }, 30_000);
});

// A new chat rings side by side with writing its record and starting its object (start-chat.ts).
describe("a chat that rings while it is being started", () => {
  const chatStub = (chatId: string) => chatObject(env, chatId);

  it("takes an answer that reaches its object before its start, once started", async () => {
    const { agents: [alice] } = await team("early-answer-co", ["Alice Martin"]);
    await alice.online();
    // A real chat's start, replayed under a new id whose object is answered first.
    const model = await new Customer().startChat("/c/early-answer-co/GENERAL");
    const init = await runInDurableObject(chatStub(model.id), (_chat: ChatDO, state) => state.storage.kv.get<ChatInit>("init")!);
    const chatId = crypto.randomUUID();
    const chat = chatStub(chatId);
    const answered = chat.assign({ agentId: alice.id, name: alice.name, greeting: "Hello", photoUrl: null });
    await scheduler.wait(50);
    await chat.start({ ...init, chatId }, null);

    expect(await answered).toBe(true);
    const stored = await runInDurableObject(chat, (_chat: ChatDO, state) => [state.storage.kv.get("status"), state.storage.kv.get<{ agentId: string }>("agent")?.agentId]);
    expect(stored).toEqual(["connected", alice.id]);
    // Nothing is left waiting on the start: the object can leave memory at once.
    await evictDurableObject(chat);
  });

  it("withdraws the rings when the chat's record cannot be written, and tells the customer to try again", async () => {
    const { agents: [alice] } = await team("record-fails-co", ["Alice Martin"]);
    const console = await alice.online();
    await env.DB.prepare(
      "create trigger refuse_chat before insert on chats when new.customer_name = 'Refused Customer' begin select raise(abort, 'refused for the test'); end",
    ).run();
    try {
      const res = await new Customer().submit("/c/record-fails-co/GENERAL", { name: "Refused Customer", mode: "chat" });
      expect(res.status).toBe(500);
      expect(await res.text()).toContain("Please try again in a moment.");
      const ring = await console.next(frames.anyRing, "the ring sent while the chat was being started");
      const chatId = /id="ring-([0-9a-f-]{36})"/.exec(ring)![1]!;
      await console.next(frames.ringGone(chatId), "the ring withdrawn");
      expect(await chatRow(chatId)).toBeNull();
      // The room forgot the chat: answering it now is refused.
      console.send({ type: "answer", chatId });
      expect(await console.next(frames.error(), "the refused answer")).toContain("The customer left before you answered.");
    } finally {
      await env.DB.prepare("drop trigger refuse_chat").run();
    }
  });
});

describe("an agent who presses Answer on a ring card while already serving", () => {
  it("is told to finish first, and is rung for that chat again once free, so it is not lost", async () => {
    const { agents: [alice] } = await team("busy-answer-co", ["Alice Martin"]);
    const console = await alice.online();
    const first = await new Customer().startChat("/c/busy-answer-co/GENERAL");
    const second = await new Customer().startChat("/c/busy-answer-co/GENERAL");
    await console.arrived(frames.ring(second.id), "the second ring");
    const customerSocket = await first.socket();
    console.send({ type: "answer", chatId: first.id });
    await console.next(frames.chatOpened(first.id), "the first chat");

    console.send({ type: "answer", chatId: second.id });
    await console.next(frames.error("You are already serving a customer."), "the refusal");
    expect(console.saw(frames.ringGone(second.id))).toBe(true);
    expect((await chatRow(second.id))?.status).toBe("waiting");

    customerSocket.send({ type: "hangup" });
    await console.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "the end of the first chat");
    console.send({ type: "status", status: "WAITING_NEW_CALL" });
    await console.next(frames.ring(second.id), "the second chat ringing again");
    console.send({ type: "answer", chatId: second.id });
    await console.next(frames.chatOpened(second.id), "the second chat taken");
    expect((await chatRow(second.id))?.agent_id).toBe(alice.id);
  });
});
