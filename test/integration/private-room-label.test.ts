import { describe, expect, it } from "vitest";
import { Customer, answer, team } from "./live";

// A private room takes its settings from a public room (GENERAL by default), but its chats are
// the agent's own: the console must not say they came in through GENERAL.

const chip = (html: string) => html.match(/<span class="chip">([^<]*)<\/span>/)?.[1];

describe("a chat in an agent's private room, on the agent's console", () => {
  it("is labelled with the private room, on the ring card and on the chat (its tab reads the same)", async () => {
    const { agents: [alice] } = await team("priv-label", ["Alice Martin"]);
    const console = await alice.online();
    const chat = await new Customer().startChat("/c/priv-label/~alice-martin");

    const ring = await console.arrived((f) => f.includes(`<article id="ring-${chat.id}"`), "the ring card");
    expect(chip(ring)).toBe("~alice-martin");
    expect(ring).not.toContain(">GENERAL<");

    await answer(console, chat.id);
    const agentSocket = await alice.chat(chat.id);
    const snapshot = await agentSocket.arrived((f) => f.includes(`id="chat-head-${chat.id}"`), "the chat head");
    expect(chip(snapshot.slice(snapshot.indexOf(`id="chat-head-${chat.id}"`)))).toBe("~alice-martin");
  });

  it("keeps a public room's chats labelled with the room's name", async () => {
    const { agents: [bob] } = await team("pub-label", ["Bob Chen"]);
    const console = await bob.online();
    const chat = await new Customer().startChat("/c/pub-label/GENERAL");
    const ring = await console.arrived((f) => f.includes(`<article id="ring-${chat.id}"`), "the ring card");
    expect(chip(ring)).toBe("GENERAL");
  });
});
