import { env } from "cloudflare:test";
import { expect, vi } from "vitest";
import { createAgent } from "../../worker/stores/agents";
import { signUp } from "../../worker/stores/companies";
import { openDb } from "../../worker/stores/db";
import { Browser, PASSWORD } from "./client";
import { addRoom, roomId, signedIn } from "./fixtures";
import { accept, frames, handshake, type LiveSocket } from "./sockets";

// The people of a live chat test: a company with agents who sign in through /login and open
// consoles, and anonymous customers who fill in the contact form. Companies are seeded through
// the account functions (their forms have tests of their own); everything live goes through the
// Worker and the Durable Objects.

export type AgentSpec = { name: string; email: string; rooms?: string[] };

export type LiveCompany = { slug: string; id: string; rooms: Record<string, string>; agents: Record<string, string> };

/**
 * A company on the given plan with extra rooms besides GENERAL and agents who each serve the
 * rooms listed (every room when none are listed).
 */
export async function liveCompany(
  slug: string,
  { plan = "pro", rooms = [], agents }: { plan?: "free" | "pro" | "enterprise"; rooms?: string[]; agents: AgentSpec[] },
): Promise<LiveCompany> {
  const db = openDb(env.DB);
  const { companyId, userId } = await signUp(
    db,
    { accountType: "company", companyName: `${slug} Ltd`, companySlug: slug, name: `Boss of ${slug}`, email: `boss@${slug}.test`, password: PASSWORD },
    plan,
  );
  const roomIds: Record<string, string> = { GENERAL: await roomId(slug, "GENERAL") };
  for (const [i, name] of rooms.entries()) roomIds[name] = await addRoom(slug, name, i + 1);
  const agentIds: Record<string, string> = {};
  for (const a of agents) {
    const served = (a.rooms ?? Object.keys(roomIds)).map((r) => roomIds[r]!);
    agentIds[a.email] = await createAgent(db, companyId, userId, { name: a.name, email: a.email, password: PASSWORD, roomIds: served, disabled: false });
  }
  return { slug, id: companyId, rooms: roomIds, agents: agentIds };
}

/**
 * A company with a SALES room beside GENERAL, whose public profile is "Acme Help": Ann and Bob
 * serve both rooms, Cleo only SALES. The boss is an administrator who is no agent.
 */
export async function salesCompany(slug: string): Promise<LiveCompany> {
  const co = await liveCompany(slug, {
    rooms: ["SALES"],
    agents: [
      { name: "Ann Agent", email: `ann@${slug}.test` },
      { name: "Bob Agent", email: `bob@${slug}.test` },
      { name: "Cleo Agent", email: `cleo@${slug}.test`, rooms: ["SALES"] },
    ],
  });
  await setRoom(slug, "GENERAL", "public_company_name = 'Acme Help', public_contact_email = 'help@acme.test'");
  return co;
}

/** Changes a room's settings straight in D1, as the room settings page does. */
export const setRoom = (slug: string, room: string, settings: string) =>
  env.DB.prepare(`update rooms set ${settings} where name = ? and company_id = (select id from companies where slug = ?)`).bind(room, slug).run();

export class Agent {
  private constructor(
    readonly company: LiveCompany,
    readonly email: string,
    readonly name: string,
    readonly id: string,
    readonly browser: Browser,
  ) {}

  static async signIn(company: LiveCompany, email: string, name = email): Promise<Agent> {
    return new Agent(company, email, name, company.agents[email]!, await signedIn(email));
  }

  /** A socket handshake with this agent's session cookie. */
  handshake(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.browser.fetch(path, { headers: { upgrade: "websocket", ...headers } });
  }

  /** Opens a console (browser or mobile) and waits for its first picture of the agent's state. */
  async console(device: "browser" | "mobile" = "browser"): Promise<LiveSocket> {
    const socket = await accept(await this.handshake(`/agent/ws?device=${device}`), `${this.name}'s ${device} console`);
    await socket.next((f) => f.includes('id="agent-status"') && f.includes('id="rings"'), "the console snapshot");
    return socket;
  }

  /** Opens a console and waits until the rooms know the agent is ONLINE on it. */
  async online(device: "browser" | "mobile" = "browser", rooms = ["GENERAL"]): Promise<LiveSocket> {
    const socket = await this.console(device);
    for (const room of rooms) await untilDevice(this.company.slug, room, this.email, device, "WAITING_NEW_CALL");
    return socket;
  }

  /** Chooses ONLINE or OFFLINE on a console and waits until the rooms know. */
  async choose(console: LiveSocket, status: "WAITING_NEW_CALL" | "TAKING_BREAK", device: "browser" | "mobile" = "browser", rooms = ["GENERAL"]) {
    console.send({ type: "status", status });
    await console.next(frames.status(status), `the ${status} status bar`);
    for (const room of rooms) await untilDevice(this.company.slug, room, this.email, device, status);
  }

  /** Opens the socket of a chat this agent was given, and waits for the chat's snapshot. */
  async chat(chatId: string): Promise<LiveSocket> {
    const socket = await accept(await this.handshake(`/chats/${chatId}/ws`), `${this.name}'s chat ${chatId.slice(0, 8)}`);
    await socket.next(frames.snapshot(chatId), "the chat snapshot");
    return socket;
  }
}

/**
 * A company whose agents are named by `names` ("Alice Martin" signs in as alice@{slug}.test) and
 * serve every room, each signed in.
 */
export async function team<const N extends readonly string[]>(
  slug: string,
  names: N,
  { plan = "pro", rooms = [] }: { plan?: "free" | "pro" | "enterprise"; rooms?: string[] } = {},
): Promise<{ company: LiveCompany; agents: { -readonly [K in keyof N]: Agent } }> {
  const emailOf = (name: string) => `${name.split(" ")[0]!.toLowerCase()}@${slug}.test`;
  const company = await liveCompany(slug, { plan, rooms, agents: names.map((name) => ({ name, email: emailOf(name) })) });
  const agents = await Promise.all(names.map((name) => Agent.signIn(company, emailOf(name), name)));
  return { company, agents: agents as { -readonly [K in keyof N]: Agent } };
}

let lastIp = 0;
/** A fresh address for each customer, so the contact form's per-IP limit never joins tests up. */
const nextIp = () => {
  lastIp++;
  return `198.51.${Math.floor(lastIp / 250) % 250}.${(lastIp % 250) + 1}`;
};

export class CustomerChat {
  constructor(
    readonly id: string,
    readonly token: string,
  ) {}

  /** The chat's socket, proven with this chat's secret cookie. */
  handshake(headers: Record<string, string> = {}): Promise<Response> {
    return handshake(`/chats/${this.id}/ws`, { cookie: `parley_chat=${this.token}`, ...headers });
  }

  async socket(): Promise<LiveSocket> {
    const socket = await accept(await this.handshake(), `customer chat ${this.id.slice(0, 8)}`);
    await socket.next(frames.snapshot(this.id), "the chat snapshot");
    return socket;
  }
}

/** An anonymous visitor: one browser (one `parley_visitor` cookie) and one network address. */
export class Customer {
  constructor(
    readonly ip = nextIp(),
    readonly browser = new Browser(),
  ) {}

  /** Submits a room's contact form the way the page does (CSRF field included). */
  async submit(path: string, fields: Record<string, string>): Promise<Response> {
    if (!this.browser.cookie("parley_csrf")) await this.browser.get(path);
    const body = new URLSearchParams({ ...fields, _csrf: this.browser.cookie("parley_csrf") ?? "" });
    return this.browser.fetch(path, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": this.ip },
    });
  }

  /**
   * Asks for a chat. The chat cookie is scoped to its own /chats/{id} path, which the test
   * browser's jar ignores, so each chat keeps its token here.
   */
  async startChat(path: string, fields: Record<string, string> = {}): Promise<CustomerChat> {
    const res = await this.submit(path, { name: "Carla Customer", email: "carla@example.com", message: "Hello there", mode: "chat", ...fields });
    expect(res.status, `starting a chat at ${path}: ${res.status === 303 ? "" : await res.clone().text()}`).toBe(303);
    const id = res.headers.get("location")!.replace("/chats/", "");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("parley_chat="))!;
    expect(cookie).toContain(`Path=/chats/${id}`);
    return new CustomerChat(id, cookie.slice("parley_chat=".length, cookie.indexOf(";")));
  }
}

export type StatusName = "WAITING_NEW_CALL" | "SERVING_CUSTOMER" | "REMOTE_CUSTOMER_HANGUP" | "HANG_UP" | "TAKING_BREAK";
export type Details = {
  result: string;
  chatRoom: string;
  totalAgentLogon: number;
  agStatSummary: { browserAgentStatus: Record<StatusName, number>; mobileAppAgentStatus: Record<StatusName, number> };
  agStatDetails: { agentID: string; agName: string; browserAgentStatus: StatusName | null; mobileAppAgentStatus: StatusName | null; averageRating: number | null; ratings: number }[];
};

export async function details(slug: string, room: string): Promise<Details> {
  const res = await new Browser().get(`/api/stats/${slug}/${encodeURIComponent(room)}/details`);
  expect(res.status).toBe(200);
  return res.json<Details>();
}

/** One agent's row in a room's statistics: [browser, mobile], or null when not logged on there. */
export async function stateIn(slug: string, room: string, email: string): Promise<[StatusName | null, StatusName | null] | null> {
  const row = (await details(slug, room)).agStatDetails.find((a) => a.agentID === email);
  return row ? [row.browserAgentStatus, row.mobileAppAgentStatus] : null;
}

/**
 * Waits until the room's statistics show this agent's consoles in the given states. Presence
 * reaches a room just after the console frame that announced it, so rooms are asked until then.
 */
export async function untilState(slug: string, room: string, email: string, expected: [StatusName | null, StatusName | null] | null, timeout = 3_000) {
  const until = Date.now() + timeout;
  let seen = await stateIn(slug, room, email);
  while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 10));
    seen = await stateIn(slug, room, email);
  }
  expect(seen, `${email} in ${room}`).toEqual(expected);
}

/** Like `untilState`, for one console of the agent, whatever the other one shows. */
export async function untilDevice(slug: string, room: string, email: string, device: "browser" | "mobile", expected: StatusName | null, timeout = 3_000) {
  const until = Date.now() + timeout;
  const pick = async () => (await stateIn(slug, room, email))?.[device === "browser" ? 0 : 1] ?? null;
  let seen = await pick();
  while (seen !== expected && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 10));
    seen = await pick();
  }
  expect(seen, `${email}'s ${device} console in ${room}`).toBe(expected);
}

/** The agent answers a ring on this console and gets the chat. */
export async function answer(console: LiveSocket, chatId: string): Promise<void> {
  await console.arrived(frames.ring(chatId), `the ring of ${chatId}`);
  console.send({ type: "answer", chatId });
  await console.next(frames.chatOpened(chatId), `the opened chat ${chatId}`);
}

export const chatRow = (chatId: string) =>
  env.DB.prepare("select status, agent_id, ended_by, ended_at, answered_at, visitor_id from chats where id = ?")
    .bind(chatId)
    .first<{ status: string; agent_id: string | null; ended_by: string | null; ended_at: number | null; answered_at: number | null; visitor_id: string }>();

/**
 * A connected chat: the customer asks at `path`, the agent answers on `console`, and both
 * parties' sockets are open with the customer seeing the agent.
 */
export async function connectedChat(agent: Agent, console: LiveSocket, path = `/c/${agent.company.slug}/GENERAL`, customer = new Customer(), fields: Record<string, string> = {}) {
  const chat = await customer.startChat(path, fields);
  const customerSocket = await chat.socket();
  await answer(console, chat.id);
  await customerSocket.next((f) => frames.snapshot(chat.id)(f) && f.includes(`<h1>${agent.name}</h1>`), "the connected chat");
  const agentSocket = await agent.chat(chat.id);
  return { chat, customer, customerSocket, agentSocket };
}

/**
 * Lets `seconds` pass for the Durable Objects' clocks (they share this isolate's Date), before
 * running an alarm by hand. Tests that use it restore real timers after each test.
 */
export function later(seconds: number): void {
  if (!vi.isFakeTimers()) vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + seconds * 1000);
}
