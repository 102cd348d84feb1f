import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { Browser } from "./client";
import { signedIn } from "./fixtures";
import { Customer, chatRow, connectedChat, setRoom, team, type Agent } from "./live";
import { closeAllSockets, frames, type LiveSocket } from "./sockets";

// Chat View (an agent's own chats, the latest first) and Chat Records (sorted; an administrator
// reads the whole company): transcripts and recordings, and who may see them.

const consoles = new Map<Agent, LiveSocket>();
afterEach(async () => {
  consoles.clear();
  await closeAllSockets();
});

/** A chat that `customerName` and the agent had, with one line each, ended by the agent, who is then ONLINE again. */
async function endedChat(agent: Agent, customerName: string, text: string) {
  consoles.set(agent, consoles.get(agent) ?? (await agent.online()));
  const console = consoles.get(agent)!;
  const { chat, customerSocket, agentSocket } = await connectedChat(agent, console, undefined, new Customer(), { name: customerName });
  customerSocket.send({ type: "text", text });
  await agentSocket.next(frames.message(text.replace(/</g, "&lt;").replace(/>/g, "&gt;")), "the customer's line");
  agentSocket.send({ type: "text", text: `Answer to ${customerName}` });
  await customerSocket.next(frames.message(`Answer to ${customerName}`), "the agent's line");
  agentSocket.send({ type: "hangup" });
  const until = Date.now() + 3_000;
  while ((await chatRow(chat.id))?.status !== "ended" && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  await agent.choose(console, "WAITING_NEW_CALL");
  return chat;
}

/** Where each chat's record appears in a page, -1 when it does not. */
const positions = (html: string, chatIds: string[]) => chatIds.map((id) => html.indexOf(`id="record-${id}"`));

/** Inserts `n` ended chats of an agent straight into D1, a minute apart (for paging). */
async function pastChats(companyId: string, agentId: string, n: number) {
  const room = await env.DB.prepare("select id from rooms where company_id = ? and name = 'GENERAL'").bind(companyId).first<{ id: string }>();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = crypto.randomUUID();
    ids.push(id);
    await env.DB.prepare(
      "insert into chats (id, company_id, room_id, agent_id, status, customer_name, created_at, answered_at, ended_at) values (?, ?, ?, ?, 'ended', ?, ?, ?, ?)",
    )
      .bind(id, companyId, room!.id, agentId, `Customer ${i}`, 1_700_000_000_000 + i * 60_000, 1_700_000_000_000 + i * 60_000, 1_700_000_000_000 + i * 60_000 + 30_000)
      .run();
  }
  return ids;
}

describe("GET /chat-view", () => {
  // Three whole chats through the Durable Objects: slower than one test's default allowance.
  it("lists the agent's own chats, the latest first, with their transcripts and recordings", { timeout: 30_000 }, async () => {
    const { company, agents } = await team("view-co", ["Alice Martin", "Bob Stone"]);
    const [alice, bob] = agents as [Agent, Agent];
    await setRoom("view-co", "GENERAL", "phone_recording = 1");
    const first = await endedChat(alice, "Dora First", "My first question");
    const second = await endedChat(alice, "Eric Second", "A <b>second</b> question");
    const bobs = await endedChat(bob, "Fay Other", "For Bob only");
    await env.DB.prepare("insert into recordings (id, chat_id, user_id, segment, r2_key, mime_type, bytes, duration_ms) values (?, ?, ?, 1, ?, 'video/webm', 2048, 3000)")
      .bind(`${second.id}:1`, second.id, alice.id, `recordings/${company.id}/${second.id}/1.webm`)
      .run();

    const res = await alice.browser.get("/chat-view");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const html = await res.text();
    const [firstAt, secondAt, bobsAt] = positions(html, [first.id, second.id, bobs.id]) as [number, number, number];
    expect(bobsAt).toBe(-1);
    expect(secondAt).toBeGreaterThan(-1);
    expect(firstAt).toBeGreaterThan(secondAt);
    expect(html).toContain("<p>My first question</p>");
    expect(html).toContain("<p>A &lt;b&gt;second&lt;/b&gt; question</p>");
    expect(html).toContain("<p>Answer to Eric Second</p>");
    expect(html).not.toContain("For Bob only");
    expect(html).toContain(`<video controls="" preload="metadata" src="/chats/${second.id}/recordings/1">`);
    expect(html).toContain(`href="/chats/${second.id}/recordings/1" download="chat-${second.id.slice(0, 8)}-part-1.webm"`);
    // Parts kept only in the agent's browser are listed there by the page's controller.
    expect(html).toContain(`data-local-recordings-chat-value="${first.id}"`);
  });

  it("is for agents: an administrator who is not one is refused, and a visitor is sent to sign in", async () => {
    await team("view-auth", ["Alice Martin"]);
    expect((await (await signedIn("boss@view-auth.test")).get("/chat-view")).status).toBe(403);
    const anonymous = await new Browser().get("/chat-view");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/login?next=%2Fchat-view");
  });

  it("shows 20 chats a page, with links to older and newer ones", async () => {
    const { company, agents } = await team("view-pages", ["Alice Martin"]);
    const ids = await pastChats(company.id, agents[0].id, 23);
    const page1 = await (await agents[0].browser.get("/chat-view")).text();
    expect(positions(page1, ids).filter((p) => p > -1)).toHaveLength(20);
    expect(positions(page1, [ids[22]!, ids[2]!, ids[1]!])).toEqual([expect.any(Number), expect.any(Number), -1]);
    expect(page1).toContain('href="/chat-view?page=2" rel="next"');
    const page2 = await (await agents[0].browser.get("/chat-view?page=2")).text();
    expect(positions(page2, ids).filter((p) => p > -1)).toHaveLength(3);
    expect(page2).toContain('href="/chat-view?page=1" rel="prev"');
    expect(page2).not.toContain('rel="next"');
  });
});

describe("GET /chat-records", () => {
  it("gives an administrator every chat of the company and an agent only their own", { timeout: 30_000 }, async () => {
    const { agents } = await team("records-co", ["Alice Martin", "Bob Stone"]);
    const [alice, bob] = agents as [Agent, Agent];
    const alices = await endedChat(alice, "Gina Customer", "Question for Alice");
    const bobs = await endedChat(bob, "Hugo Customer", "Question for Bob");
    await team("records-elsewhere", ["Ivy Other"]);

    const boss = await (await (await signedIn("boss@records-co.test")).get("/chat-records")).text();
    expect(positions(boss, [alices.id, bobs.id]).every((p) => p > -1)).toBe(true);
    expect(boss).toContain("Every chat of your company");
    expect(boss).toContain("<p>Question for Bob</p>");
    expect(boss).toContain('<a href="/chat-records" class="nav-link active">Chat records</a>');

    const own = await (await alice.browser.get("/chat-records")).text();
    expect(positions(own, [alices.id, bobs.id])).toEqual([expect.any(Number), -1]);
    expect(positions(own, [alices.id])[0]).toBeGreaterThan(-1);
    expect(own).not.toContain("Question for Bob");

    const stranger = await (await (await signedIn("boss@records-elsewhere.test")).get("/chat-records")).text();
    expect(positions(stranger, [alices.id, bobs.id])).toEqual([-1, -1]);
    expect(stranger).toContain("No chats yet.");
  });

  it("names a private room's chat by the private room its customer came to, not by the room whose settings it used", async () => {
    const { company, agents } = await team("records-private", ["Alice Martin"]);
    const [alice] = agents as [Agent];
    const [chatId] = await pastChats(company.id, alice.id, 1);
    await env.DB.prepare("update chats set private_agent_id = ? where id = ?").bind(alice.id, chatId).run();
    const handle = (await env.DB.prepare("select handle from users where id = ?").bind(alice.id).first<{ handle: string }>())!.handle;

    const html = await (await alice.browser.get("/chat-records")).text();
    const record = html.slice(html.indexOf(`id="record-${chatId}"`));
    expect(record.slice(0, record.indexOf("</tr>") > 0 ? record.indexOf("</tr>") : 2000)).toContain(`~${handle}`);
  });

  it("sorts by the reader's choice, newest first by default", async () => {
    const { company, agents } = await team("records-sort", ["Alice Martin"]);
    const ids = await pastChats(company.id, agents[0].id, 3);
    const order = async (query: string) => {
      const html = await (await agents[0].browser.get(`/chat-records${query}`)).text();
      return ids.map((id) => ({ id, at: html.indexOf(`id="record-${id}"`) })).sort((a, b) => a.at - b.at).map((r) => ids.indexOf(r.id));
    };
    expect(await order("")).toEqual([2, 1, 0]);
    expect(await order("?sort=oldest")).toEqual([0, 1, 2]);
    await env.DB.prepare("update chats set customer_name = 'Aaron' where id = ?").bind(ids[1]).run();
    expect((await order("?sort=customer"))[0]).toBe(1);
    // An unknown sort falls back to the default rather than failing.
    expect(await order("?sort=drop%20table")).toEqual([2, 1, 0]);
  });
});
