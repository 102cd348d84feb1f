import { afterEach, describe, expect, it } from "vitest";
import { Agent, Customer, chatRow, stateIn, team } from "./live";
import { signedIn } from "./fixtures";
import { closeAllSockets, frames } from "./sockets";

// An agent's open consoles follow what happens to the agent elsewhere: disabled by an admin,
// signed out, or given other rooms, a console closes at once and rings nothing more, and no
// answer is taken from it.

afterEach(closeAllSockets);

const SIGNED_OUT = 4401;

/** The admin's edit of an agent, as the agent form posts it. */
async function editAgent(slug: string, agentId: string, fields: Record<string, string | string[]>) {
  const admin = await signedIn(`boss@${slug}.test`);
  const res = await admin.post(`/admin/agents/${agentId}`, fields, { from: `/admin/agents/${agentId}` });
  expect(res.status).toBe(303);
}

describe("an agent's open console", () => {
  it("has its heartbeat answered by the runtime, without the consoles' object hearing of it", async () => {
    const { agents: [alice] } = await team("console-ping-co", ["Alice Martin"]);
    const console = await alice.online();
    console.send("ping");
    await console.next((f) => f === "pong", "the pong");
    // A frame the object handled would be parsed, and "ping" is not a console message.
    expect(console.saw(frames.error())).toBe(false);
  });

  it("closes at once when an admin disables the agent, and the chats that come next do not ring it", async () => {
    const { company, agents: [alice] } = await team("disable-console-co", ["Alice Martin"]);
    const console = await alice.online();
    const waiting = await new Customer().startChat("/c/disable-console-co/GENERAL");
    await console.arrived(frames.ring(waiting.id), "the ring");

    await editAgent(company.slug, alice.id, { name: "Alice Martin", email: alice.email, roomIds: [company.rooms.GENERAL!], disabled: "on" });
    expect((await console.closed()).code).toBe(SIGNED_OUT);
    expect(await stateIn(company.slug, "GENERAL", alice.email)).toBeNull();
    const next = await new Customer().startChat("/c/disable-console-co/GENERAL");
    expect(console.saw(frames.ring(next.id))).toBe(false);
    expect((await chatRow(waiting.id))?.agent_id).toBeNull();
  });

  it("closes when its session signs out, while the agent's other session stays open", async () => {
    const { company, agents: [alice] } = await team("signout-console-co", ["Alice Martin"]);
    const laptop = await alice.online();
    const phone = await (await Agent.signIn(company, alice.email, "Alice Martin")).console("mobile");

    const res = await alice.browser.post("/logout", {}, { from: "/agent" });
    expect(res.status).toBe(303);
    expect((await laptop.closed()).code).toBe(SIGNED_OUT);
    const chat = await new Customer().startChat("/c/signout-console-co/GENERAL");
    await phone.arrived(frames.ring(chat.id), "the ring on the phone, still signed in");
    expect(await stateIn(company.slug, "GENERAL", alice.email)).toEqual([null, "WAITING_NEW_CALL"]);
  });

  it("reconnects with the agent's new rooms when an admin takes a room away: that room rings it no more", async () => {
    const { company, agents: [alice] } = await team("rooms-console-co", ["Alice Martin"], { rooms: ["SALES"] });
    const console = await alice.online("browser", ["GENERAL", "SALES"]);

    await editAgent(company.slug, alice.id, { name: "Alice Martin", email: alice.email, roomIds: [company.rooms.GENERAL!] });
    expect((await console.closed()).code).toBe(1012); // "service restart": the page reconnects by itself
    const again = await alice.online("browser", ["GENERAL"]);
    const sales = await new Customer().startChat("/c/rooms-console-co/SALES");
    const general = await new Customer().startChat("/c/rooms-console-co/GENERAL");
    await again.arrived(frames.ring(general.id), "the GENERAL ring");
    expect(again.saw(frames.ring(sales.id))).toBe(false);
    expect(await stateIn(company.slug, "SALES", alice.email)).toBeNull();
  });
});
