import { DurableObject } from "cloudflare:workers";
import { answerClose, consoleMessage, parseFrame, type ConsoleMessage } from "../worker/live/socket-messages";
import { ANSWERED_FIRST, type AgentIdentity, type ConsoleCounts, type ConsoleReply, type RingInfo, type RingOffer, type RingTarget } from "../worker/live/contracts";
import type { Device } from "../worker/routing/presence";
import { consoleSnapshot, ringGone, socketError } from "../views/live/ConsoleFragments";
import { inviteOffer } from "../views/live/ConferenceFragments";
import { stubsByName } from "../worker/live/stubs";

/** `hidden`: the console's page is in the background (it says so; see static/controllers/console_controller.js). */
type Attachment = { agentId: string; device: Device; hidden?: boolean };
type Answer = Extract<ConsoleMessage, { type: "answer" }>;

/** Chats settled (taken or withdrawn) remembered, so that late answers to them are refused here. */
const SETTLED_KEPT = 1000;
/**
 * How long a withdrawn ring may wait to ride along with the console's next frame. Under load
 * the next ring follows within this time on most consoles, so a chat's withdrawal mostly costs
 * no frames of its own; a person cannot act on a card within it, and an answer to it meanwhile
 * is refused here as before.
 */
export const RING_GONE_DELAY_MS = 50;

const deviceTag = (agentId: string, device: Device) => `${agentId}:${device}`;
const sessionTag = (session: string) => `session:${session}`;

/**
 * Close codes the console page acts on (static/controllers/connection_controller.js): signed out
 * reloads the page (to the sign-in page); 1012, "service restart", makes htmx reconnect, and the
 * new socket carries the agent's new rooms.
 */
export const SIGNED_OUT = 4401;
const ROOMS_CHANGED = 1012;

/**
 * One per shard of a company's agents (consolesName): the open console sockets of those agents,
 * and the ring cards on them. A room rings and stops ringing its agents with one call to each
 * shard, side by side, where each agent is a `ws.send`, instead of one Durable Object call per
 * agent (the fan-out was most of the cost of a new chat).
 * Whether an agent is free, and everything else an agent's console decides, stays with the
 * agent's AgentDO: frames from a console go there, and its answers come back through here.
 */
export class ConsolesDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Pages ping their sockets (static/controllers/heartbeat.js); answering costs no wake.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /**
   * The chats ringing on this company's consoles and whom each rings, in memory only: a ring is
   * not a record. After an eviction a console that connects is rung again by its rooms.
   */
  #rings = new Map<string, { ring: RingInfo; agents: Map<string, Device[]> }>();
  /** Sockets accepted whose snapshot is not sent yet; frames meant for them wait here. */
  #opening = new Map<WebSocket, string[]>();
  /**
   * The answer to each chat being decided now. The other answers to it wait for the outcome, and
   * when it took the chat they are refused here: most answers lose the race, and this spares
   * each of them the trip through the agent's object and the room.
   */
  #answering = new Map<string, Promise<unknown>>();
  /** Chats taken or withdrawn lately, with what a late answer to them is told. */
  #settled = new Map<string, string>();
  /**
   * Open sockets by tag (agent, agent:device), kept in memory so that a fan-out to ~100 agents
   * does not ask the runtime for each agent's sockets; rebuilt from the runtime's list after a
   * hibernation. Counting consoles still asks the runtime, which knows best which are open.
   */
  #tagged: Map<string, Set<WebSocket>> | undefined;
  /** Each socket's attachment, read once: a ring asks every console whether it is in sight. */
  #attachments = new WeakMap<WebSocket, Attachment>();
  private of(ws: WebSocket): Attachment {
    let attachment = this.#attachments.get(ws);
    if (!attachment) this.#attachments.set(ws, (attachment = ws.deserializeAttachment() as Attachment));
    return attachment;
  }
  private attach(ws: WebSocket, attachment: Attachment): void {
    ws.serializeAttachment(attachment);
    this.#attachments.set(ws, attachment);
  }
  private index(): Map<string, Set<WebSocket>> {
    if (!this.#tagged) {
      this.#tagged = new Map();
      for (const ws of this.ctx.getWebSockets()) this.indexed(ws, true);
    }
    return this.#tagged;
  }
  private tagged(tag: string): Iterable<WebSocket> {
    return this.index().get(tag) ?? [];
  }
  /** Adds a socket to the index under both its tags, or takes it out. */
  private indexed(ws: WebSocket, open: boolean): void {
    const { agentId, device } = this.of(ws);
    const index = this.index();
    for (const tag of [agentId, deviceTag(agentId, device)]) {
      const set = index.get(tag) ?? new Set();
      if (open) index.set(tag, set.add(ws));
      else if (set.delete(ws) && set.size === 0) index.delete(tag);
    }
  }

  /** Withdrawn rings not sent yet (their frames), by console: they go out with its next frame or at the next flush. */
  #gone = new Map<WebSocket, Set<string>>();
  #goneFlush: Promise<void> | null = null;

  /** One stub per agent, so that this object's calls reach each agent in the order made. */
  private agent = stubsByName(this.env.AGENT);

  /** The console's WebSocket; the Worker has authenticated the agent and passes who they are. */
  override async fetch(request: Request): Promise<Response> {
    const identity = JSON.parse(request.headers.get("x-parley-agent") ?? "null") as AgentIdentity | null;
    const device: Device = new URL(request.url).searchParams.get("device") === "mobile" ? "mobile" : "browser";
    if (!identity || request.headers.get("upgrade") !== "websocket") return new Response("expected a console WebSocket", { status: 400 });
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    const session = request.headers.get("x-parley-session");
    this.ctx.acceptWebSocket(server, [identity.agentId, deviceTag(identity.agentId, device), ...(session ? [sessionTag(session)] : [])]);
    this.attach(server, { agentId: identity.agentId, device });
    this.indexed(server, true);
    this.#opening.set(server, []);
    try {
      const state = await this.agent(identity.agentId).consoleOpened(identity, device, this.counts(identity.agentId));
      // Rendered after the agent answered, so rings that came meanwhile are in it.
      server.send(
        consoleSnapshot(state.status, this.ringsFor(identity.agentId, device), state.chatIds, state.ringtone, state.notify) + state.invites.map(inviteOffer).join(""),
      );
      for (const html of this.#opening.get(server) ?? []) server.send(html);
    } catch (err) {
      console.error("console snapshot failed", identity.agentId, err);
      this.indexed(server, false);
      server.close(1011, "The console could not be opened. Please reload.");
    } finally {
      this.#opening.delete(server);
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Consoles closed by closeConsoles: a frame that was already on its way is not acted on. */
  #closed = new WeakSet<WebSocket>();

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    if (this.#closed.has(ws)) return;
    const { agentId, device } = this.of(ws);
    const parsed = parseFrame(consoleMessage, frame);
    if (!parsed.ok) return ws.send(socketError(parsed.error));
    const message = parsed.message;
    if (message.type === "visibility") return this.visibility(ws, message.hidden);
    if (message.type === "answer") return this.answer(ws, agentId, device, message);
    this.sendReply(ws, agentId, device, await this.forward(agentId, device, message));
  }

  /**
   * The console's page went into the background or came back. Kept with the socket, so that it
   * survives hibernation; the agent's object learns the count of consoles in sight, by which it
   * tells whether a ring is also pushed to the agent's devices.
   */
  private async visibility(ws: WebSocket, hidden: boolean): Promise<void> {
    const attachment = this.of(ws);
    if (!!attachment.hidden === hidden) return;
    this.attach(ws, { ...attachment, hidden });
    try {
      await this.agent(attachment.agentId).consolesChanged(this.counts(attachment.agentId));
    } catch (err) {
      console.error("a console's visibility not told", attachment.agentId, err);
    }
  }

  /** An answer to a ring: decided by the agent's object and the room, one answer per chat at a time. */
  private async answer(ws: WebSocket, agentId: string, device: Device, message: Answer): Promise<void> {
    const { chatId } = message;
    // An answer names the room of its ring card; one that does not is taken to the room of the ring shown.
    message.roomKey ??= this.#rings.get(chatId)?.ring.roomKey;
    for (let turn = this.#answering.get(chatId); turn; turn = this.#answering.get(chatId)) await turn;
    const refused = this.#settled.get(chatId);
    if (refused) return this.send([ws], ringGone(chatId) + socketError(refused), true);
    const turn = this.forward(agentId, device, message);
    this.#answering.set(chatId, turn);
    try {
      const reply = await turn;
      if (reply.taken) this.settle(chatId, ANSWERED_FIRST);
      // The card is gone from this agent's consoles: a ring of the chat to them shows it again.
      if (reply.unrung) this.#rings.get(chatId)?.agents.delete(agentId);
      this.sendReply(ws, agentId, device, reply);
    } finally {
      this.#answering.delete(chatId);
    }
  }

  /** The agent's object's reply: frames for the agent's consoles of this device, and for this console. */
  private sendReply(ws: WebSocket, agentId: string, device: Device, reply: ConsoleReply): void {
    if (reply.device) this.send(this.tagged(deviceTag(agentId, device)), reply.device, true);
    if (reply.html) this.send([ws], reply.html, true);
  }

  private forward(agentId: string, device: Device, message: Exclude<ConsoleMessage, { type: "visibility" }>): Promise<ConsoleReply> {
    return this.agent(agentId)
      .consoleMessage(device, message)
      .catch((err: unknown) => {
        console.error("console message failed", agentId, err);
        return { html: socketError("That did not work. Please try again."), taken: false };
      });
  }

  private settle(chatId: string, reason: string): void {
    this.#rings.delete(chatId);
    this.#settled.set(chatId, reason);
    if (this.#settled.size > SETTLED_KEPT) this.#settled.delete(this.#settled.keys().next().value!);
  }

  override async webSocketClose(ws: WebSocket): Promise<void> {
    const { agentId } = this.of(ws);
    this.indexed(ws, false);
    this.#gone.delete(ws);
    // The close is answered once the agent's rooms know, so whoever closed it sees that settled.
    try {
      await this.agent(agentId).consolesChanged(this.counts(agentId, ws));
    } catch (err) {
      console.error("a console closed and the agent's object was not told", agentId, err);
    } finally {
      answerClose(ws);
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.webSocketClose(ws);
  }

  /**
   * A room rings agents: every open console of the devices chosen gets the cards of the chats
   * it does not show yet. Returns the agents with no such console (the room thought otherwise),
   * whose objects are told the truth, and those rung whose every console is out of sight (the
   * room pushes the ring to their devices as well).
   */
  async ring(offers: RingOffer[], targets: RingTarget[]): Promise<{ unreachable: string[]; unseen: string[] }> {
    const offered = new Map(offers.map((o) => [o.ring.chatId, o]));
    const unreachable: string[] = [];
    const unseen: string[] = [];
    for (const { agentId, devices, chatIds } of targets) {
      const sockets = devices.length === 1 ? [...this.tagged(deviceTag(agentId, devices[0]!))] : devices.flatMap((d) => [...this.tagged(deviceTag(agentId, d))]);
      if (!sockets.length) {
        unreachable.push(agentId);
        continue;
      }
      let frame = "";
      for (const chatId of chatIds) {
        const rung = this.ringing(chatId, offered.get(chatId));
        if (!rung || rung.has(agentId)) continue;
        rung.set(agentId, devices);
        frame += offered.get(chatId)?.html ?? "";
      }
      if (!frame) continue;
      this.send(sockets, frame, false);
      if (this.outOfSight(agentId)) unseen.push(agentId);
    }
    if (unreachable.length) {
      const told = Promise.all(unreachable.map((id) => this.agent(id).consolesChanged(this.counts(id))));
      this.ctx.waitUntil(told.catch((err: unknown) => console.error("agents without a console not told", err)));
    }
    return { unreachable, unseen };
  }

  /**
   * Whom a chat rings here, remembered from its first agent rung on: a chat withdrawn already
   * (its start failed, or the customer left at once) is not rung, and one none of whose agents
   * is reached here is not kept (its withdrawal goes only where it rang).
   */
  private ringing(chatId: string, offer: RingOffer | undefined): Map<string, Device[]> | undefined {
    const known = this.#rings.get(chatId);
    if (known || !offer || this.#settled.has(chatId)) return known?.agents;
    const agents = new Map<string, Device[]>();
    this.#rings.set(chatId, { ring: offer.ring, agents });
    return agents;
  }

  /**
   * Someone answered, or the customer left: the ring stops on every console of the agents named,
   * and a late answer is told `reason`.
   */
  async stopRing(chatId: string, agentIds: string[], reason: string): Promise<void> {
    // Agents whose card is gone already (their own answer was refused, with its removal) are not
    // told twice; when this object no longer knows whom the chat rang, everyone named is told.
    const shown = this.#rings.get(chatId)?.agents;
    this.settle(chatId, reason);
    const withdrawal = ringGone(chatId);
    for (const agentId of agentIds) {
      if (shown && !shown.has(agentId)) continue;
      for (const ws of this.tagged(agentId)) {
        if (this.#opening.has(ws)) continue;
        const gone = this.#gone.get(ws) ?? new Set();
        this.#gone.set(ws, gone.add(withdrawal));
      }
    }
    this.#goneFlush ??= scheduler.wait(RING_GONE_DELAY_MS).then(() => {
      this.#goneFlush = null;
      for (const ws of [...this.#gone.keys()]) this.send([ws], "", false);
    });
    this.ctx.waitUntil(this.#goneFlush);
  }

  /**
   * Closes an agent's consoles at once: those of one session when it signs out, all of them when
   * the agent is disabled ("signed-out") or their rooms change ("rooms-changed", which reconnects).
   * Their rings are forgotten, and the agent's object, told no console is left, refuses answers
   * until a console opens again with a valid session.
   */
  async closeConsoles(agentId: string, session: string | null, why: "signed-out" | "rooms-changed"): Promise<void> {
    const closing = session ? this.ctx.getWebSockets(sessionTag(session)) : [...this.tagged(agentId)];
    for (const ws of closing) {
      this.#closed.add(ws);
      this.indexed(ws, false);
      this.#gone.delete(ws);
      try {
        ws.close(why === "signed-out" ? SIGNED_OUT : ROOMS_CHANGED, why === "signed-out" ? "Signed out." : "Your rooms changed.");
      } catch {
        // already closed
      }
    }
    const left = [...this.tagged(agentId)].length > 0;
    if (!left) for (const { agents } of this.#rings.values()) agents.delete(agentId);
    await this.agent(agentId).consolesClosed(this.counts(agentId), why === "signed-out" && !left);
  }

  /** A frame from an agent's object for the agent's consoles of one device, or of both (null). */
  async deliver(agentId: string, device: Device | null, html: string): Promise<void> {
    this.send(this.tagged(device ? deviceTag(agentId, device) : agentId), html, true);
  }

  /** Open consoles of an agent, by device and those in sight, leaving out one that is closing. */
  private counts(agentId: string, closing?: WebSocket): ConsoleCounts {
    const open = this.ctx.getWebSockets(agentId).filter((ws) => ws !== closing && !this.#closed.has(ws));
    return {
      browser: open.filter((ws) => this.of(ws).device === "browser").length,
      mobile: open.filter((ws) => this.of(ws).device === "mobile").length,
      visible: open.filter((ws) => !this.of(ws).hidden).length,
    };
  }

  /** Every console of the agent is in the background (or none is open). */
  private outOfSight(agentId: string): boolean {
    for (const ws of this.tagged(agentId)) if (!this.of(ws).hidden) return false;
    return true;
  }

  private ringsFor(agentId: string, device: Device): RingInfo[] {
    return [...this.#rings.values()].filter((r) => r.agents.get(agentId)?.includes(device)).map((r) => r.ring);
  }

  /**
   * A socket still waiting for its snapshot gets an agent's frame after it (`held`); rings and
   * their withdrawals are left out, since the snapshot is rendered from the rings of that moment.
   */
  private send(sockets: Iterable<WebSocket>, html: string, held: boolean): void {
    for (const ws of sockets) {
      const waiting = this.#opening.get(ws);
      if (waiting) {
        if (held) waiting.push(html);
        continue;
      }
      try {
        ws.send(this.withGone(ws, html));
      } catch {
        // a closing socket; its close handler tells the agent's object
      }
    }
  }

  /** `html` after the console's withdrawn rings not sent yet, leaving out those it withdraws itself. */
  private withGone(ws: WebSocket, html: string): string {
    const gone = this.#gone.get(ws);
    if (!gone) return html;
    this.#gone.delete(ws);
    let before = "";
    for (const withdrawal of gone) if (!html.includes(withdrawal)) before += withdrawal;
    return before + html;
  }
}
