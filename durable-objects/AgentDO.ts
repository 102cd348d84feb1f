import { DurableObject } from "cloudflare:workers";
import { answerClose, assertNever, consoleMessage, parseFrame } from "../worker/live/socket-messages";
import type { AgentIdentity, AnswerResult, RingInfo } from "../worker/live/types";
import { CHOOSABLE, type AgentPresence, type AgentStatus, type Device } from "../worker/routing/presence";
import { chatOpened, consoleSnapshot, ringGone, socketError, statusBar } from "../views/live/ConsoleFragments";
import type { RoomDO } from "./RoomDO";
import type { ChatDO } from "./ChatDO";
import { inviteGone, inviteOffer, type ConferenceInvite } from "../views/live/ConferenceFragments";

type Attachment = { device: Device };
/** A chat ringing this agent, with its ring card rendered once by the room for every agent rung. */
export type RingOffer = { ring: RingInfo; html: string };
type Statuses = Record<Device, AgentStatus>;
type ActiveChat = { chatId: string; roomKey: string; device: Device };

const room = (env: Env, key: string) => env.ROOM.get(env.ROOM.idFromName(key)) as DurableObjectStub<RoomDO>;
const chat = (env: Env, chatId: string) => env.CHAT.get(env.CHAT.idFromName(chatId)) as DurableObjectStub<ChatDO>;

/**
 * One per agent: the agent's console connections (browser and mobile, each with its own state)
 * and the one place that decides whether this agent is free, so two rooms can never both win.
 * Every decision is a synchronous read-modify-write of storage, with no await in between.
 */
export class AgentDO extends DurableObject<Env> {
  /** What the rooms were last told (in memory: after an eviction the next change is told again). */
  #published: string | null = null;
  #identity: AgentIdentity | undefined;

  private get kv() {
    return this.ctx.storage.kv;
  }
  private identity() {
    this.#identity ??= this.kv.get<AgentIdentity>("identity");
    return this.#identity;
  }
  private saveIdentity(identity: AgentIdentity) {
    this.kv.put("identity", identity);
    this.#identity = identity;
  }
  private statuses(): Statuses {
    return this.kv.get<Statuses>("statuses") ?? { browser: "WAITING_NEW_CALL", mobile: "WAITING_NEW_CALL" };
  }
  // The chats ringing this agent, in memory only: a busy room rings every free agent for every
  // new chat, and storing each ring and its withdrawal was two storage commits per agent per
  // chat. A ring is not a record: after an eviction the console's answer names the room, the
  // room checks it, and a console that connects again is rung again by its rooms.
  #rings = new Map<string, RingInfo>();
  /** Chats this agent is answering, while their rooms decide (see claim). */
  #claims = new Set<string>();
  private rings(): RingInfo[] {
    return [...this.#rings.values()];
  }
  private ringFor(chatId: string): RingInfo | undefined {
    return this.#rings.get(chatId);
  }
  private activeChats(): ActiveChat[] {
    return this.kv.get<ActiveChat[]>("activeChats") ?? [];
  }
  private connected(device: Device) {
    return this.ctx.getWebSockets(device).length > 0;
  }

  /** The console's WebSocket; the Worker has authenticated the agent and passes who they are. */
  override async fetch(request: Request): Promise<Response> {
    const identity = JSON.parse(request.headers.get("x-parley-agent") ?? "null") as AgentIdentity | null;
    const device = new URL(request.url).searchParams.get("device") === "mobile" ? "mobile" : "browser";
    if (!identity || request.headers.get("upgrade") !== "websocket") return new Response("expected a console WebSocket", { status: 400 });
    const previous = this.identity();
    this.saveIdentity(identity);
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, [device]);
    server.serializeAttachment({ device } satisfies Attachment);
    server.send(this.snapshot(device));
    // Rooms the agent no longer serves forget them; the others learn the current state.
    const dropped = (previous?.roomKeys ?? []).filter((k) => !identity.roomKeys.includes(k));
    this.ctx.waitUntil(
      Promise.all([
        this.publish().then(() => Promise.all(identity.roomKeys.map((k) => room(this.env, k).ringAgain(identity.agentId)))),
        ...dropped.map((k) => room(this.env, k).forgetAgent(identity.agentId)),
      ]),
    );
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const { device } = ws.deserializeAttachment() as Attachment;
    const parsed = parseFrame(consoleMessage, frame);
    if (!parsed.ok) return ws.send(socketError(parsed.error));
    const message = parsed.message;
    switch (message.type) {
      case "status":
        return this.choose(device, message.status);
      case "answer":
        return this.answer(device, message.chatId, message.roomKey, ws);
      case "join":
      case "decline":
        return this.answerInvite(device, message.chatId, message.type === "join", ws);
      default:
        assertNever(message);
    }
  }

  override async webSocketClose(ws: WebSocket): Promise<void> {
    answerClose(ws);
    const { device } = ws.deserializeAttachment() as Attachment;
    // The last console of a kind going away changes what rooms see (a null device).
    if (this.ctx.getWebSockets(device).filter((s) => s !== ws).length === 0) await this.publish();
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.webSocketClose(ws);
  }

  /** ONLINE or OFFLINE, chosen by the agent. While serving, the choice waits for the chat's end. */
  private async choose(device: Device, status: AgentStatus): Promise<void> {
    if (!CHOOSABLE.includes(status)) return;
    const statuses = this.statuses();
    if (statuses[device] === "SERVING_CUSTOMER") return this.broadcast(device, socketError("Finish your current chat first."));
    this.kv.put("statuses", { ...statuses, [device]: status });
    this.kv.delete(`wrapUp:${device}`);
    this.broadcast(device, statusBar(status));
    await this.publish();
  }

  /**
   * The agent answers a ring. Claiming this agent is synchronous (no other answer can slip in);
   * then the room decides whether the chat is still there to take, first answer wins.
   */
  private async answer(device: Device, chatId: string, roomKey: string | undefined, ws: WebSocket): Promise<void> {
    const identity = this.identity()!;
    // Forgotten in an eviction: the room named by the console's card, if it is one of the agent's, decides.
    const ring = this.ringFor(chatId) ?? (roomKey && identity.roomKeys.includes(roomKey) ? { chatId, roomKey, simultaneousChats: null } : null);
    if (!ring) return ws.send(socketError("That chat is no longer waiting."));
    const claimed = this.claim(device, ring);
    if (!claimed.ok) return ws.send(socketError(claimed.reason));

    let result: AnswerResult;
    try {
      result = await room(this.env, ring.roomKey).answer(chatId, identity.agentId, claimed.busy ?? false);
    } catch (err) {
      console.error("room answer failed", chatId, err);
      result = { ok: false, reason: "The chat could not be connected. Please try again." };
    }
    this.#claims.delete(chatId);
    // Stored before the chat is told, so that its end (which may follow at once) finds it here.
    if (result.ok) this.serve(device, ring);
    // The customer may leave while the room hands the chat over: only the chat knows.
    if (result.ok && !(await chat(this.env, chatId).assign({ agentId: identity.agentId, name: identity.name, greeting: identity.greeting, photoUrl: identity.photoUrl }))) {
      result = { ok: false, reason: "The customer left before you answered." };
      this.release(chatId, device);
    }
    if (!result.ok) {
      for (const d of ["browser", "mobile"] as const) this.broadcast(d, ringGone(chatId));
      this.broadcast(device, statusBar(this.statuses()[device]) + socketError(result.reason));
      await this.publish();
      return;
    }
    for (const d of ["browser", "mobile"] as const) this.broadcast(d, ringGone(chatId));
    // The stored state, not an assumed one: the chat may already have ended meanwhile.
    this.broadcast(device, statusBar(this.statuses()[device]) + chatOpened(chatId));
    await this.publish();
  }

  /**
   * Synchronous test-and-set of this agent's availability for one more chat. `busy`: the agent
   * already serves or is taking a chat, which the room allows only with simultaneous chats
   * (null: this object no longer knows the room's rule, and the room checks it). The claim is
   * held in memory while the room decides: most answers lose the race, and they then cost no
   * storage write; the object stays in memory while it awaits the room.
   */
  private claim(device: Device, ring: { chatId: string; simultaneousChats: boolean | null }): AnswerResult & { busy?: boolean } {
    const busy = this.activeChats().length > 0 || this.#claims.size > 0;
    if (busy && ring.simultaneousChats === false) return { ok: false, reason: "You are already serving a customer." };
    if (!busy && this.statuses()[device] !== "WAITING_NEW_CALL") return { ok: false, reason: "Go ONLINE to answer chats." };
    this.#rings.delete(ring.chatId);
    this.#claims.add(ring.chatId);
    return { ok: true, busy };
  }

  /** The room gave this agent the chat. */
  private serve(device: Device, ring: { chatId: string; roomKey: string }): void {
    this.kv.put("activeChats", [...this.activeChats(), { chatId: ring.chatId, roomKey: ring.roomKey, device }]);
    this.kv.put("statuses", { ...this.statuses(), [device]: "SERVING_CUSTOMER" });
    this.kv.delete(`wrapUp:${device}`);
  }

  private release(chatId: string, device: Device): void {
    const remaining = this.activeChats().filter((c) => c.chatId !== chatId);
    this.kv.put("activeChats", remaining);
    if (!remaining.some((c) => c.device === device)) this.kv.put("statuses", { ...this.statuses(), [device]: "WAITING_NEW_CALL" });
  }

  // Conference invitations, stored: unlike rings they are addressed to this agent alone, and rare.
  private invites(): Record<string, ConferenceInvite> {
    return this.kv.get<Record<string, ConferenceInvite>>("invites") ?? {};
  }

  /** A colleague invites this agent to their chat: offered on every open console. False: none is open. */
  async invite(invite: ConferenceInvite): Promise<boolean> {
    const devices = (["browser", "mobile"] as const).filter((d) => this.connected(d));
    if (!devices.length) return false;
    this.kv.put("invites", { ...this.invites(), [invite.chatId]: invite });
    for (const d of devices) this.broadcast(d, inviteOffer(invite));
    return true;
  }

  /** The chat ended before this agent answered. */
  async inviteWithdrawn(chatId: string): Promise<void> {
    const { [chatId]: _gone, ...rest } = this.invites();
    this.kv.put("invites", rest);
    for (const d of ["browser", "mobile"] as const) this.broadcast(d, inviteGone(chatId));
  }

  /**
   * Join or Decline. A guest is serving: stored before the chat hears of it (as an answer is), so
   * that the chat's end, which may follow at once, finds it here.
   */
  private async answerInvite(device: Device, chatId: string, join: boolean, ws: WebSocket): Promise<void> {
    const invite = this.invites()[chatId];
    if (!invite) return ws.send(socketError("That invitation is no longer open."));
    if (join && this.statuses()[device] === "SERVING_CUSTOMER") return ws.send(socketError("Finish your current chat first."));
    if (join) this.serve(device, invite);
    let result: AnswerResult;
    try {
      result = await chat(this.env, chatId).answerInvite(this.identity()!.agentId, join);
    } catch (err) {
      console.error("conference answer failed", chatId, err);
      result = { ok: false, reason: "The chat could not be joined. Please try again." };
    }
    await this.inviteWithdrawn(chatId);
    if (join && !result.ok) this.release(chatId, device);
    if (!result.ok) return this.broadcast(device, statusBar(this.statuses()[device]) + socketError(result.reason));
    if (!join) return;
    this.broadcast(device, statusBar(this.statuses()[device]) + chatOpened(chatId));
    await this.publish();
  }

  /** The agent saved their profile: the next chats use the new greeting, photo and ringtone. */
  async updateProfile(profile: Pick<AgentIdentity, "greeting" | "photoUrl" | "ringtone" | "notify">): Promise<void> {
    const identity = this.identity();
    if (identity) this.saveIdentity({ ...identity, ...profile });
  }

  /** A room asks this agent to take chats: ring every free console of the given kinds. */
  async ring(offers: RingOffer[], devices: Device[]): Promise<boolean> {
    const reachable = devices.filter((d) => this.connected(d));
    if (!reachable.length) {
      // A stale presence: the room thought a console was open. Tell it the truth.
      this.ctx.waitUntil(this.publish());
      return false;
    }
    // A room may ring again for a chat already on the console (after either of us was evicted): one card each.
    const fresh = offers.filter(({ ring }) => this.ringFor(ring.chatId) === undefined);
    for (const { ring } of fresh) this.#rings.set(ring.chatId, ring);
    const html = fresh.map((o) => o.html).join("");
    if (!html) return true;
    for (const d of reachable) this.broadcast(d, html);
    return true;
  }

  /**
   * Someone else answered, or the customer left: the ring stops on every console (told even
   * when this object does not remember the ring, which it forgets when evicted).
   */
  async stopRing(chatId: string): Promise<void> {
    this.#rings.delete(chatId);
    for (const d of ["browser", "mobile"] as const) this.broadcast(d, ringGone(chatId));
  }

  /** The chat ended: the agent stays in a hang-up state until they choose, or wrap-up ends. */
  async chatEnded(chatId: string, endedBy: "customer" | "agent" | "timeout" | "system", wrapUpSeconds: number | null): Promise<void> {
    const active = this.activeChats();
    const ended = active.find((c) => c.chatId === chatId);
    if (!ended) return;
    const remaining = active.filter((c) => c.chatId !== chatId);
    this.kv.put("activeChats", remaining);
    if (!remaining.some((c) => c.device === ended.device)) {
      this.kv.put("statuses", { ...this.statuses(), [ended.device]: endedBy === "agent" ? "HANG_UP" : "REMOTE_CUSTOMER_HANGUP" });
      if (wrapUpSeconds !== null) {
        const at = Date.now() + wrapUpSeconds * 1000;
        this.kv.put(`wrapUp:${ended.device}`, at);
        await this.armAlarm();
      }
    }
    this.broadcast(ended.device, statusBar(this.statuses()[ended.device]));
    await this.publish();
  }

  /** Wrap-up time over: back to ONLINE unless the agent chose otherwise meanwhile. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const statuses = this.statuses();
    let changed = false;
    for (const d of ["browser", "mobile"] as const) {
      const at = this.kv.get<number>(`wrapUp:${d}`);
      if (at === undefined || at > now) continue;
      this.kv.delete(`wrapUp:${d}`);
      if (statuses[d] === "HANG_UP" || statuses[d] === "REMOTE_CUSTOMER_HANGUP") {
        statuses[d] = "WAITING_NEW_CALL";
        changed = true;
      }
    }
    if (changed) {
      this.kv.put("statuses", statuses);
      for (const d of ["browser", "mobile"] as const) this.broadcast(d, statusBar(statuses[d]));
      await this.publish();
    }
    await this.armAlarm();
  }

  private async armAlarm(): Promise<void> {
    const next = (["browser", "mobile"] as const)
      .map((d) => this.kv.get<number>(`wrapUp:${d}`))
      .filter((t): t is number => t !== undefined)
      .sort((a, b) => a - b)[0];
    if (next === undefined) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  presence(): AgentPresence | null {
    const identity = this.identity();
    if (!identity) return null;
    const statuses = this.statuses();
    return {
      agentId: identity.agentId,
      email: identity.email,
      name: identity.name,
      browser: this.connected("browser") ? statuses.browser : null,
      mobile: this.connected("mobile") ? statuses.mobile : null,
      location: identity.location,
      activeChats: this.activeChats().length,
    };
  }

  /**
   * Every room this agent serves learns the agent's presence, unless they already know it (a
   * lost answer, for one, ends where it started): each call wakes every room of the agent.
   */
  private async publish(): Promise<void> {
    const identity = this.identity();
    const presence = this.presence();
    if (!identity || !presence) return;
    const told = JSON.stringify([identity.roomKeys, presence]);
    if (told === this.#published) return;
    this.#published = told;
    let failed = false;
    await Promise.all(
      identity.roomKeys.map((key) =>
        room(this.env, key)
          .agentPresence(key, presence)
          .catch((err: unknown) => {
            failed = true;
            console.error("presence to room failed", key, err);
          }),
      ),
    );
    if (failed && this.#published === told) this.#published = null;
  }

  /** Everything a console shows, for a console that has just connected (or reconnected). */
  private snapshot(device: Device): string {
    const chats = this.activeChats().filter((c) => c.device === device);
    const identity = this.identity();
    const invites = Object.values(this.invites()).map(inviteOffer).join("");
    return consoleSnapshot(this.statuses()[device], this.rings(), chats.map((c) => c.chatId), identity?.ringtone ?? "classic", identity?.notify ?? false) + invites;
  }

  private broadcast(device: Device, html: string): void {
    for (const ws of this.ctx.getWebSockets(device)) {
      try {
        ws.send(html);
      } catch {
        // closing socket; its close handler updates presence
      }
    }
  }
}
