import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { ANSWERED_FIRST } from "../../worker/live/contracts";
import type { ConsolesDO } from "../../durable-objects/ConsolesDO";
import { ringOffer } from "../../views/live/ConsoleFragments";
import { afterEach, describe, expect, it } from "vitest";
import { Customer, answer, chatRow, setRoom, team, untilDevice, untilState } from "./live";
import { closeAllSockets, frames } from "./sockets";
import { consolesName, consolesObject, roomObject } from "../../worker/live/stubs";

// Who is rung for a new chat, through the real Worker, RoomDO and AgentDOs: agents sign in and
// open consoles over WebSockets, customers fill in the contact form.

afterEach(closeAllSockets);

describe("quickest reply (the default routing)", () => {
  it("rings every free agent at once; the first to answer takes the chat, the other's ring card goes and their answer is refused", async () => {
    const { company, agents: [alice, bob] } = await team("quick-co", ["Alice Martin", "Bob Chen"]);
    const aliceConsole = await alice.online();
    const bobConsole = await bob.online();

    const chat = await new Customer().startChat("/c/quick-co/GENERAL", { name: "Carla Customer", message: "My order is late" });
    const aliceRing = await aliceConsole.next(frames.ring(chat.id), "the ring");
    const bobRing = await bobConsole.next(frames.ring(chat.id), "the ring");
    // The ring card carries the contact form's details and the room.
    for (const ring of [aliceRing, bobRing]) {
      expect(ring).toContain("Carla Customer");
      expect(ring).toContain("My order is late");
      expect(ring).toContain('<span class="chip">GENERAL</span>');
    }

    aliceConsole.send({ type: "answer", chatId: chat.id });
    const opened = await aliceConsole.next(frames.chatOpened(chat.id), "the opened chat");
    // Her own ring card goes in the same frame that opens the chat.
    expect(frames.ringGone(chat.id)(opened)).toBe(true);
    await bobConsole.next(frames.ringGone(chat.id), "the ring card removed");

    bobConsole.send({ type: "answer", chatId: chat.id });
    await bobConsole.next(frames.error(), "an error frame");
    await bobConsole.nothing(frames.chatOpened(chat.id), "the chat");
    expect(await chatRow(chat.id)).toMatchObject({ status: "connected", agent_id: alice.id });
    await untilState(company.slug, "GENERAL", bob.email, ["WAITING_NEW_CALL", null]);
  });

  it("rings agents whose consoles are held by different consoles objects, and stops every ring when one answers", async () => {
    const names = ["Alice Martin", "Bob Chen", "Cleo Diaz", "Dan Evans", "Eve Fox", "Finn Gray"] as const;
    const { company, agents } = await team("shards-co", names);
    // Six agents fall on one shard of four only once in ~1,000 companies; the test needs two shards.
    expect(new Set(agents.map((a) => consolesName(company.id, a.id))).size).toBeGreaterThan(1);
    const consoles = await Promise.all(agents.map((a) => a.online()));

    const chat = await new Customer().startChat("/c/shards-co/GENERAL");
    for (const [i, console] of consoles.entries()) await console.next(frames.ring(chat.id), `${names[i]}'s ring`);
    consoles[0]!.send({ type: "answer", chatId: chat.id });
    await consoles[0]!.next(frames.chatOpened(chat.id), "the opened chat");
    for (const [i, console] of consoles.slice(1).entries()) await console.next(frames.ringGone(chat.id), `${names[i + 1]}'s ring card removed`);
    expect(await chatRow(chat.id)).toMatchObject({ status: "connected", agent_id: agents[0]!.id });
  });

  it("sends a withdrawn ring along with the console's next frame when one follows within moments", async () => {
    const { company, agents: [alice, bob] } = await team("gone-along-co", ["Alice Martin", "Bob Chen"]);
    await alice.online();
    const bobConsole = await bob.online();
    const first = await new Customer().startChat("/c/gone-along-co/GENERAL");
    await bobConsole.next(frames.ring(first.id), "the first ring");
    // Another chat rings Bob in the same moment as the first is taken by Alice: one frame carries both.
    const next = { chatId: crypto.randomUUID() };
    const consoles = consolesObject(env, company.id, bob.id);
    await runInDurableObject(consoles, async (instance: ConsolesDO) => {
      await instance.stopRing(first.id, [bob.id], ANSWERED_FIRST);
      const info = { chatId: next.chatId, roomKey: `${company.id}:GENERAL`, roomName: "GENERAL", mode: "chat" as const, customer: { name: "Dan Next", email: null, phone: null, message: null }, askedAt: Date.now(), simultaneousChats: false };
      await instance.ring([{ ring: info, html: ringOffer(info) }], [{ agentId: bob.id, devices: ["browser"], chatIds: [next.chatId] }]);
    });
    const both = await bobConsole.next(frames.ring(next.chatId), "the next ring");
    expect(frames.ringGone(first.id)(both)).toBe(true);
    expect(both.indexOf(`id="ring-${first.id}"`)).toBeLessThan(both.indexOf(`id="ring-${next.chatId}"`));
    await bobConsole.nothing(frames.ringGone(first.id), "the withdrawal sent again");
  });

  it("does not ring an agent who is OFFLINE (TAKING_BREAK)", async () => {
    const { agents: [alice, bob] } = await team("break-co", ["Alice Martin", "Bob Chen"]);
    const aliceConsole = await alice.online();
    const bobConsole = await bob.online();
    await bob.choose(bobConsole, "TAKING_BREAK");

    const chat = await new Customer().startChat("/c/break-co/GENERAL");
    await aliceConsole.next(frames.ring(chat.id), "the ring");
    await bobConsole.nothing(frames.anyRing, "a ring");
  });

  it("rings an agent who goes ONLINE while a customer is waiting", async () => {
    const { agents: [alice] } = await team("late-co", ["Alice Martin"]);
    const console = await alice.online();
    await alice.choose(console, "TAKING_BREAK");

    const chat = await new Customer().startChat("/c/late-co/GENERAL");
    await console.nothing(frames.anyRing, "a ring while OFFLINE");
    expect((await chatRow(chat.id))?.status).toBe("waiting");

    console.send({ type: "status", status: "WAITING_NEW_CALL" });
    await console.next(frames.ring(chat.id), "the ring of the waiting customer");
  });

  it("after the room's object is evicted from memory, still stops every ring when one agent answers, and rings no one twice", async () => {
    const { company, agents: [alice, bob] } = await team("room-evict-co", ["Alice Martin", "Bob Chen"]);
    const aliceConsole = await alice.online();
    const bobConsole = await bob.online();
    const chat = await new Customer().startChat("/c/room-evict-co/GENERAL");
    await aliceConsole.next(frames.ring(chat.id), "the ring");
    await bobConsole.next(frames.ring(chat.id), "the ring");

    await evictDurableObject(roomObject(env, `${company.id}:GENERAL`));
    // Bob goes OFFLINE and back ONLINE: the room (now without its memory) rings him again for
    // the waiting chat, and his console keeps the one card it has.
    await bob.choose(bobConsole, "TAKING_BREAK");
    bobConsole.send({ type: "status", status: "WAITING_NEW_CALL" });
    await bobConsole.next(frames.status("WAITING_NEW_CALL"), "the ONLINE status bar");
    await bobConsole.nothing(frames.ring(chat.id), "a second card for the same chat");

    aliceConsole.send({ type: "answer", chatId: chat.id });
    await aliceConsole.next(frames.chatOpened(chat.id), "the opened chat");
    await bobConsole.next(frames.ringGone(chat.id), "the ring card removed");
  });

  it("does not ring an agent who is not signed in to a console, and rings them as soon as they open one", async () => {
    const { agents: [alice] } = await team("absent-co", ["Alice Martin"]);
    const chat = await new Customer().startChat("/c/absent-co/GENERAL");
    const console = await alice.console();
    await console.next(frames.ring(chat.id), "the ring of the waiting customer");
  });
});

describe("include mobile agents", () => {
  it("rings a mobile console only when no desktop console is free", async () => {
    const { agents: [alice, bob] } = await team("mobile-co", ["Alice Martin", "Bob Chen"]);
    const aliceDesk = await alice.online("browser");
    const bobPhone = await bob.online("mobile");

    const first = await new Customer().startChat("/c/mobile-co/GENERAL");
    await aliceDesk.next(frames.ring(first.id), "the ring on the desktop console");
    await bobPhone.nothing(frames.anyRing, "a ring while a desktop console is free");

    // Alice takes that chat: no desktop console is free any more, so the next chat rings Bob's phone.
    aliceDesk.send({ type: "answer", chatId: first.id });
    await aliceDesk.next(frames.chatOpened(first.id), "the opened chat");
    await untilDevice("mobile-co", "GENERAL", alice.email, "browser", "SERVING_CUSTOMER");

    const second = await new Customer().startChat("/c/mobile-co/GENERAL");
    await answer(bobPhone, second.id);
    expect(await chatRow(second.id)).toMatchObject({ status: "connected", agent_id: bob.id });
  });

  it("counts a console opened with ?device=mobile as mobile", async () => {
    const { agents: [alice] } = await team("device-co", ["Alice Martin"]);
    await alice.online("mobile");
    await untilState("device-co", "GENERAL", alice.email, [null, "WAITING_NEW_CALL"]);
  });

  it("never rings a mobile console when the room excludes mobile agents", async () => {
    const { agents: [bob] } = await team("desk-only-co", ["Bob Chen"]);
    await setRoom("desk-only-co", "GENERAL", "include_mobile = 0");
    const phone = await bob.online("mobile");

    const chat = await new Customer().startChat("/c/desk-only-co/GENERAL");
    await phone.nothing(frames.anyRing, "a ring on a mobile console");

    // Bob opening his desktop console is what gets the customer an answer.
    const desk = await bob.console("browser");
    await desk.next(frames.ring(chat.id), "the ring on the desktop console");
    await phone.nothing(frames.anyRing, "a ring on a mobile console");
  });
});

describe("same agent for the same anonymous customer", () => {
  it("rings only the agent who served this visitor last time, until the customer asks all agents", async () => {
    const { company, agents: [alice, bob] } = await team("sticky-co", ["Alice Martin", "Bob Chen"]);
    await setRoom(company.slug, "GENERAL", "same_agent = 1");
    const aliceConsole = await alice.online();
    const bobConsole = await bob.online();
    const visitor = new Customer();

    // First visit: nobody served this visitor yet, so everyone free is rung. Alice answers.
    const first = await visitor.startChat("/c/sticky-co/GENERAL");
    await bobConsole.next(frames.ring(first.id), "the ring of a first-time visitor");
    const firstSocket = await first.socket();
    await answer(aliceConsole, first.id);
    await bobConsole.next(frames.ringGone(first.id), "the ring card removed");
    firstSocket.send({ type: "hangup" });
    await aliceConsole.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "the hang-up state");
    await alice.choose(aliceConsole, "WAITING_NEW_CALL");

    // Same browser (same parley_visitor cookie), new chat: only Alice rings.
    const second = await visitor.startChat("/c/sticky-co/GENERAL");
    expect((await chatRow(second.id))?.visitor_id).toBe((await chatRow(first.id))?.visitor_id);
    await aliceConsole.next(frames.ring(second.id), "the ring for the returning visitor");
    await bobConsole.nothing(frames.anyRing, "a ring for Alice's returning visitor");
    // Bob cannot take it with a forged answer naming the room: it was not offered to him.
    bobConsole.send({ type: "answer", chatId: second.id, roomKey: `${company.id}:GENERAL` });
    await bobConsole.next(frames.error("That chat is no longer waiting."), "the refusal of a chat not offered to him");

    // "Ask all agents" widens the ring to every free agent.
    const socket = await second.socket();
    expect(socket.log[0]).toContain('value="askAll"');
    socket.send({ type: "askAll" });
    await bobConsole.next(frames.ring(second.id), "the widened ring");
    await answer(bobConsole, second.id);
    await aliceConsole.next(frames.ringGone(second.id), "Alice's ring card removed");
    expect(await chatRow(second.id)).toMatchObject({ status: "connected", agent_id: bob.id });
  });

  it("rings everyone free for another visitor", async () => {
    const { company, agents: [alice, bob] } = await team("sticky-other-co", ["Alice Martin", "Bob Chen"]);
    await setRoom(company.slug, "GENERAL", "same_agent = 1");
    const aliceConsole = await alice.online();
    const bobConsole = await bob.online();
    const first = await new Customer().startChat("/c/sticky-other-co/GENERAL");
    await answer(aliceConsole, first.id);
    await untilDevice(company.slug, "GENERAL", alice.email, "browser", "SERVING_CUSTOMER");

    const stranger = await new Customer().startChat("/c/sticky-other-co/GENERAL");
    await bobConsole.next(frames.ring(stranger.id), "the ring for a new visitor");
  });

  it("does not keep an anonymous customer to one agent when the room does not ask for it", async () => {
    const { agents: [alice, bob] } = await team("unsticky-co", ["Alice Martin", "Bob Chen"]);
    const aliceConsole = await alice.online();
    const bobConsole = await bob.online();
    const visitor = new Customer();
    const first = await visitor.startChat("/c/unsticky-co/GENERAL");
    const firstSocket = await first.socket();
    await answer(aliceConsole, first.id);
    firstSocket.send({ type: "hangup" });
    await aliceConsole.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "the hang-up state");
    await alice.choose(aliceConsole, "WAITING_NEW_CALL");

    const second = await visitor.startChat("/c/unsticky-co/GENERAL");
    await aliceConsole.next(frames.ring(second.id), "the ring");
    await bobConsole.next(frames.ring(second.id), "the ring");
    // Without sticky mode the waiting screen offers no "Ask all agents".
    expect((await second.socket()).log[0]).not.toContain('value="askAll"');
  });
});

describe("an agent's private room /c/{company}/~{handle}", () => {
  it("rings only that agent", async () => {
    const { agents: [alice, bob] } = await team("private-ring-co", ["Alice Martin", "Bob Chen"]);
    const aliceConsole = await alice.online("browser", ["GENERAL", "~alice-martin"]);
    const bobConsole = await bob.online();

    const chat = await new Customer().startChat("/c/private-ring-co/~alice-martin");
    await answer(aliceConsole, chat.id);
    await bobConsole.nothing(frames.anyRing, "a ring for Alice's private room");
    expect(await chatRow(chat.id)).toMatchObject({ status: "connected", agent_id: alice.id });
  });

  it("keeps the customer waiting while that agent is away, even when others are free", async () => {
    const { agents: [alice, bob] } = await team("private-wait-co", ["Alice Martin", "Bob Chen"]);
    const bobConsole = await bob.online();
    const chat = await new Customer().startChat("/c/private-wait-co/~alice-martin");
    await bobConsole.nothing(frames.anyRing, "a ring for Alice's private room");
    const aliceConsole = await alice.console();
    await answer(aliceConsole, chat.id);
  });
});
