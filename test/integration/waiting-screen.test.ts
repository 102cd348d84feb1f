import { describe, expect, it } from "vitest";
import { frames } from "./sockets";
import { Customer, answer, liveCompany, setRoom, team } from "./live";

// What the waiting screen says must be true: "Ask all agents" only when the customer is in fact
// waiting for one agent, and "busy" only when someone is there to be busy.

const askAll = 'value="askAll"';

describe("the customer's waiting screen", () => {
  it("offers no \"Ask all agents\" on a first visit to a sticky-agent room", async () => {
    const { company, agents: [alice] } = await team("first-visit-co", ["Alice Martin"]);
    await setRoom(company.slug, "GENERAL", "same_agent = 1");
    await alice.online();
    const chat = await new Customer().startChat("/c/first-visit-co/GENERAL");
    const screen = (await chat.socket()).log[0]!;
    expect(screen).toContain("Waiting for an Agent");
    expect(screen).not.toContain(askAll);
    expect(screen).not.toContain("the agent who helped you last time");
  });

  it("offers it to a returning customer who waits for their last agent, and takes it away once pressed", async () => {
    const { company, agents: [alice, bob] } = await team("returning-co", ["Alice Martin", "Bob Chen"]);
    await setRoom(company.slug, "GENERAL", "same_agent = 1");
    const aliceConsole = await alice.online();
    await bob.online();
    const visitor = new Customer();
    const first = await visitor.startChat("/c/returning-co/GENERAL");
    const firstSocket = await first.socket();
    await answer(aliceConsole, first.id);
    firstSocket.send({ type: "hangup" });
    await aliceConsole.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "the hang-up state");
    await alice.choose(aliceConsole, "WAITING_NEW_CALL");

    const second = await visitor.startChat("/c/returning-co/GENERAL");
    const socket = await second.socket();
    expect(socket.log[0]).toContain("You are waiting for the agent who helped you last time.");
    expect(socket.log[0]).toContain(askAll);
    socket.send({ type: "askAll" });
    const widened = await socket.next((f) => f.includes(`id="queue-${second.id}"`) || f.includes(`id="chat-head-${second.id}"`), "the waiting screen after asking all");
    expect(widened).not.toContain(askAll);
  });

  it("says no one is online, not that everyone is busy, in a company with no agents", async () => {
    await liveCompany("nobody-co", { agents: [] });
    const chat = await new Customer().startChat("/c/nobody-co/GENERAL");
    const screen = (await chat.socket()).log[0]!;
    expect(screen).toContain("No one is online to answer right now. You can wait here for the next agent, or leave an email message.");
    expect(screen).not.toContain("Everyone is busy");
  });

  it("says everyone is busy when the room's agents are all serving someone", async () => {
    const { agents: [alice] } = await team("busy-co", ["Alice Martin"]);
    const console = await alice.online();
    const first = await new Customer().startChat("/c/busy-co/GENERAL");
    await answer(console, first.id);
    const second = await new Customer().startChat("/c/busy-co/GENERAL");
    const socket = await second.socket();
    const screen = await socket.arrived((f) => f.includes(`id="queue-${second.id}"`) && f.includes("Everyone is busy"), "the busy notice");
    expect(screen).toContain("Everyone is busy right now; please stay on this page.");
    expect(screen).not.toContain("No one is online");
  });
});

describe("the contact form of a room no agent serves", () => {
  it("does not promise an answer: it says no one answers chats there yet, until an agent serves it", async () => {
    await liveCompany("unstaffed-co", { agents: [] });
    const page = async () => (await new Customer().browser.get("/c/unstaffed-co/GENERAL")).text();
    expect(await page()).toContain("No one answers chats here yet: email us, and we will write back.");
    await setRoom("unstaffed-co", "GENERAL", "button_email_hidden = 1");
    expect(await page()).toContain("No one answers chats here yet: you may wait for someone to come online.");
  });

  it("says nothing of the kind where an agent serves the room, or in an agent's private room", async () => {
    await team("staffed-co", ["Alice Martin"]);
    const browser = new Customer().browser;
    expect(await (await browser.get("/c/staffed-co/GENERAL")).text()).not.toContain("No one answers chats here yet");
    expect(await (await browser.get("/c/staffed-co/~alice-martin")).text()).not.toContain("No one answers chats here yet");
  });
});
