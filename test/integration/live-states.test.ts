import { env, runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Customer, answer, chatRow, connectedChat, later, setRoom, team, untilState } from "./live";
import { closeAllSockets, frames } from "./sockets";
import { agentObject } from "../../worker/live/stubs";

// The agent's states as the console shows them and as the room's statistics report them
// (spec: WAITING_NEW_CALL, SERVING_CUSTOMER, REMOTE_CUSTOMER_HANGUP, HANG_UP, TAKING_BREAK).

afterEach(async () => {
  vi.useRealTimers();
  await closeAllSockets();
});

const agentDO = (agentId: string) => agentObject(env, agentId);

describe("an agent's state through a chat", () => {
  it("goes ONLINE → SERVING_CUSTOMER on answering → REMOTE_CUSTOMER_HANGUP when the customer hangs up, and stays there until the agent chooses ONLINE", async () => {
    const { company, agents: [alice] } = await team("states-co", ["Alice Martin"]);
    const console = await alice.online();
    await untilState(company.slug, "GENERAL", alice.email, ["WAITING_NEW_CALL", null]);

    const { chat, customerSocket } = await connectedChat(alice, console);
    // The answer's frame opens the chat and shows the new state.
    expect(console.log.find(frames.chatOpened(chat.id))).toContain('data-status="SERVING_CUSTOMER"');
    await untilState(company.slug, "GENERAL", alice.email, ["SERVING_CUSTOMER", null]);

    customerSocket.send({ type: "hangup" });
    await console.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "the customer-hung-up status bar");
    await untilState(company.slug, "GENERAL", alice.email, ["REMOTE_CUSTOMER_HANGUP", null]);

    // Not free for new chats until she says so: nobody rings her, and no wrap-up alarm is waiting.
    const next = await new Customer().startChat("/c/states-co/GENERAL");
    await console.nothing(frames.anyRing, "a ring after the hang-up");
    expect(await runDurableObjectAlarm(agentDO(alice.id))).toBe(false);
    await untilState(company.slug, "GENERAL", alice.email, ["REMOTE_CUSTOMER_HANGUP", null]);

    console.send({ type: "status", status: "WAITING_NEW_CALL" });
    await console.next(frames.status("WAITING_NEW_CALL"), "the ONLINE status bar");
    await console.next(frames.ring(next.id), "the ring of the customer who waited");
    await untilState(company.slug, "GENERAL", alice.email, ["WAITING_NEW_CALL", null]);
  });

  it("is HANG_UP after the agent hangs up, until the agent chooses OFFLINE", async () => {
    const { company, agents: [alice] } = await team("hangup-co", ["Alice Martin"]);
    const console = await alice.online();
    const { agentSocket } = await connectedChat(alice, console);

    agentSocket.send({ type: "hangup" });
    await console.next(frames.status("HANG_UP"), "the you-hung-up status bar");
    await untilState(company.slug, "GENERAL", alice.email, ["HANG_UP", null]);

    await alice.choose(console, "TAKING_BREAK");
    await untilState(company.slug, "GENERAL", alice.email, ["TAKING_BREAK", null]);
  });

  it("cannot be changed by hand while serving a customer", async () => {
    const { company, agents: [alice] } = await team("busy-co", ["Alice Martin"]);
    const console = await alice.online();
    await connectedChat(alice, console);

    console.send({ type: "status", status: "TAKING_BREAK" });
    await console.next(frames.error("Finish your current chat first."), "the refusal");
    await untilState(company.slug, "GENERAL", alice.email, ["SERVING_CUSTOMER", null]);
  });

  it("keeps each console's own state: serving on the desktop leaves the phone's state as it was", async () => {
    const { company, agents: [alice] } = await team("two-consoles-co", ["Alice Martin"]);
    const desk = await alice.online("browser");
    const phone = await alice.online("mobile");
    await alice.choose(phone, "TAKING_BREAK", "mobile");

    await connectedChat(alice, desk);
    await untilState(company.slug, "GENERAL", alice.email, ["SERVING_CUSTOMER", "TAKING_BREAK"]);
  });
});

describe("wrap-up time (room setting)", () => {
  it("returns the agent to ONLINE by itself when the room's wrap-up time is over", async () => {
    const { company, agents: [alice] } = await team("wrapup-co", ["Alice Martin"]);
    await setRoom(company.slug, "GENERAL", "wrap_up_seconds = 30");
    const console = await alice.online();
    const { customerSocket } = await connectedChat(alice, console);

    customerSocket.send({ type: "hangup" });
    await console.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "the customer-hung-up status bar");
    await untilState(company.slug, "GENERAL", alice.email, ["REMOTE_CUSTOMER_HANGUP", null]);

    // Before the time is up the alarm changes nothing.
    await runDurableObjectAlarm(agentDO(alice.id));
    await console.nothing(frames.status("WAITING_NEW_CALL"), "ONLINE before the wrap-up is over");

    later(31);
    expect(await runDurableObjectAlarm(agentDO(alice.id))).toBe(true);
    await console.next(frames.status("WAITING_NEW_CALL"), "the ONLINE status bar");
    await untilState(company.slug, "GENERAL", alice.email, ["WAITING_NEW_CALL", null]);

    // And she is rung again like anyone free.
    const chat = await new Customer().startChat("/c/wrapup-co/GENERAL");
    await console.next(frames.ring(chat.id), "the next ring");
  });

  it("does not override the agent's own choice made during the wrap-up", async () => {
    const { company, agents: [alice] } = await team("wrapup-choice-co", ["Alice Martin"]);
    await setRoom(company.slug, "GENERAL", "wrap_up_seconds = 30");
    const console = await alice.online();
    const { agentSocket } = await connectedChat(alice, console);
    agentSocket.send({ type: "hangup" });
    await console.next(frames.status("HANG_UP"), "the you-hung-up status bar");
    await alice.choose(console, "TAKING_BREAK");

    later(31);
    await runDurableObjectAlarm(agentDO(alice.id));
    await console.nothing(frames.status("WAITING_NEW_CALL"), "ONLINE after choosing OFFLINE");
    await untilState(company.slug, "GENERAL", alice.email, ["TAKING_BREAK", null]);
  });
});

describe("simultaneous customer chats (room setting)", () => {
  it("when the room allows them, rings a serving agent for another chat and lets them take it", async () => {
    const { company, agents: [alice] } = await team("multi-co", ["Alice Martin"]);
    await setRoom(company.slug, "GENERAL", "phone_simultaneous_chats = 1");
    const console = await alice.online();
    const first = await connectedChat(alice, console);
    await untilState(company.slug, "GENERAL", alice.email, ["SERVING_CUSTOMER", null]);

    const second = await new Customer().startChat("/c/multi-co/GENERAL");
    await answer(console, second.id);
    expect(await chatRow(first.chat.id)).toMatchObject({ status: "connected", agent_id: alice.id });
    expect(await chatRow(second.id)).toMatchObject({ status: "connected", agent_id: alice.id });

    // Serving until the last of her chats ends.
    first.customerSocket.send({ type: "hangup" });
    await untilState(company.slug, "GENERAL", alice.email, ["SERVING_CUSTOMER", null]);
    const secondSocket = await second.socket();
    secondSocket.send({ type: "hangup" });
    await console.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "the customer-hung-up status bar");
    await untilState(company.slug, "GENERAL", alice.email, ["REMOTE_CUSTOMER_HANGUP", null]);
  });

  it("otherwise does not ring a serving agent, and refuses their answer to a second ring", async () => {
    const { company, agents: [alice] } = await team("single-co", ["Alice Martin"]);
    const console = await alice.online();
    // Two customers arrive while she is free: both ring.
    const first = await new Customer().startChat("/c/single-co/GENERAL");
    const second = await new Customer().startChat("/c/single-co/GENERAL");
    await console.next(frames.ring(second.id), "the second ring");
    await answer(console, first.id);

    console.send({ type: "answer", chatId: second.id });
    await console.next(frames.error("You are already serving a customer."), "the refusal");
    expect(await chatRow(second.id)).toMatchObject({ status: "waiting", agent_id: null });
    await untilState(company.slug, "GENERAL", alice.email, ["SERVING_CUSTOMER", null]);

    const third = await new Customer().startChat("/c/single-co/GENERAL");
    await console.nothing(frames.ring(third.id), "a ring while serving");
  });
});
