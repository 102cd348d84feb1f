import { DurableObject } from "cloudflare:workers";
import { CachedKv } from "./cached-kv";
import { chatObject, consolesName, stubsByName } from "../worker/live/stubs";
import { assertNever, type ConsoleMessage } from "../worker/live/socket-messages";
import { CUSTOMER_LEFT, type AgentIdentity, type AnswerResult, type ConsoleCounts, type ConsoleReply } from "../worker/live/contracts";
import { CHOOSABLE, DEVICES, type AgentPresence, type AgentStatus, type Device } from "../worker/routing/presence";
import { chatOpened, ringGone, socketError, statusBar } from "../views/live/ConsoleFragments";
import { inviteGone, inviteOffer, type ConferenceInvite } from "../views/live/ConferenceFragments";

/** What a console that has just connected shows besides its rings. */
export type ConsoleState = { status: AgentStatus; chatIds: string[]; ringtone: string; notify: boolean; invites: ConferenceInvite[] };
type Statuses = Record<Device, AgentStatus>;
type ActiveChat = { chatId: string; roomKey: string; device: Device };

/**
 * One per agent: the state of the agent's consoles (browser and mobile, each its own) and the
 * one place that decides whether this agent is free, so two rooms can never both win. Every
 * decision is a synchronous read-modify-write of storage, with no await in between. The console
 * sockets themselves are held by the company's ConsolesDO, which passes their frames here and
 * delivers what this object sends them.
 */
export class AgentDO extends DurableObject<Env> {
  /** What the rooms were last told (in memory: after an eviction the next change is told again). */
  #published: string | null = null;
  /** Frames for the consoles, sent one after another so that they arrive in the order made. */
  #outbox: Promise<void> = Promise.resolve();
  /** The consoles object holding this agent's consoles, by its name (consolesName). */
  private consoles = stubsByName(this.env.CONSOLES);
  /** Every change of the agent's state calls each of their rooms. */
  private room = stubsByName(this.env.ROOM);

  /** Storage with its values kept in memory: each console frame and presence reads several. */
  #kv: CachedKv | undefined;
  private get kv() {
    this.#kv ??= new CachedKv(this.ctx.storage.kv);
    return this.#kv;
  }
  private identity() {
    return this.kv.get<AgentIdentity>("identity");
  }
  private saveIdentity(identity: AgentIdentity) {
    this.kv.put("identity", identity);
  }
  private statuses(): Statuses {
    return this.kv.get<Statuses>("statuses") ?? { browser: "WAITING_NEW_CALL", mobile: "WAITING_NEW_CALL" };
  }
  /** Chats this agent is answering, while their rooms decide (see claim). */
  #claims = new Set<string>();
  private activeChats(): ActiveChat[] {
    return this.kv.get<ActiveChat[]>("activeChats") ?? [];
  }
  private connected(device: Device) {
    return (this.kv.get<ConsoleCounts>("consoles")?.[device] ?? 0) > 0;
  }

  /**
   * A console connected (its socket is held by the company's ConsolesDO, which renders the
   * snapshot with the rings it shows). Rooms the agent no longer serves forget them; the others
   * learn the current state and ring the agent for every chat it may take.
   */
  async consoleOpened(identity: AgentIdentity, device: Device, counts: ConsoleCounts): Promise<ConsoleState> {
    const previous = this.identity();
    this.saveIdentity(identity);
    this.kv.put("consoles", counts);
    const dropped = (previous?.roomKeys ?? []).filter((k) => !identity.roomKeys.includes(k));
    this.ctx.waitUntil(
      Promise.all([
        this.publish().then(() => Promise.all(identity.roomKeys.map((k) => this.room(k).ringAgain(identity.agentId)))),
        ...dropped.map((k) => this.room(k).forgetAgent(identity.agentId)),
      ]).catch((err: unknown) => console.error("rooms not told of a console", identity.agentId, err)),
    );
    const chatIds = this.activeChats()
      .filter((c) => c.device === device)
      .map((c) => c.chatId);
    return { status: this.statuses()[device], chatIds, ringtone: identity.ringtone, notify: identity.notify, invites: Object.values(this.invites()) };
  }

  /** Consoles closed (or were found gone): the last one of a device changes what rooms see (a null device). */
  async consolesChanged(counts: ConsoleCounts): Promise<void> {
    this.kv.put("consoles", counts);
    await this.publish();
  }

  /**
   * Consoles were closed by Parley (ConsolesDO.closeConsoles). `signedOut`: none is left and the
   * agent signed out or was disabled: rooms learn it first, then the agent's rooms are dropped
   * here, so that no answer is taken until a console opens again with a valid session.
   */
  async consolesClosed(counts: ConsoleCounts, signedOut: boolean): Promise<void> {
    this.kv.put("consoles", counts);
    await this.publish();
    const identity = this.identity();
    if (signedOut && identity) this.saveIdentity({ ...identity, roomKeys: [] });
  }

  /** A frame from one of the agent's consoles, parsed (its visibility is the ConsolesDO's). Returns what that console alone is told. */
  async consoleMessage(device: Device, message: Exclude<ConsoleMessage, { type: "visibility" }>): Promise<ConsoleReply> {
    switch (message.type) {
      case "status":
        return this.choose(device, message.status);
      case "answer":
        return this.answer(device, message.chatId, message.roomKey);
      case "join":
      case "decline":
        return { html: await this.answerInvite(device, message.chatId, message.type === "join") };
      default:
        return assertNever(message);
    }
  }

  /** ONLINE or OFFLINE, chosen by the agent. While serving, the choice waits for the chat's end. */
  private async choose(device: Device, status: AgentStatus): Promise<ConsoleReply> {
    if (!CHOOSABLE.includes(status)) return {};
    const statuses = this.statuses();
    if (statuses[device] === "SERVING_CUSTOMER") return this.reply(device, socketError("Finish your current chat first."));
    this.kv.put("statuses", { ...statuses, [device]: status });
    this.kv.delete(`wrapUp:${device}`);
    await this.publish();
    return this.reply(device, statusBar(status));
  }

  /**
   * The agent answers a ring. Claiming this agent is synchronous (no other answer can slip in);
   * then the room named by the ring card, if it is one of the agent's, decides whether the chat
   * is still there to take and was offered to this agent: first answer wins.
   */
  private async answer(device: Device, chatId: string, roomKey: string | undefined): Promise<ConsoleReply> {
    const identity = this.identity()!;
    if (!roomKey || !identity.roomKeys.includes(roomKey)) return { html: socketError("That chat is no longer waiting.") };
    const claimed = this.claim(device, chatId);
    if (!claimed.ok) return { html: socketError(claimed.reason) };

    let result: AnswerResult;
    try {
      result = await this.room(roomKey).answer(chatId, identity.agentId, claimed.busy ?? false);
    } catch (err) {
      console.error("room answer failed", chatId, err);
      result = { ok: false, reason: "The chat could not be connected. Please try again." };
    }
    this.#claims.delete(chatId);
    // Stored before the chat is told, so that its end (which may follow at once) finds it here.
    if (result.ok) this.serve(device, { chatId, roomKey });
    // The customer may leave while the room hands the chat over: only the chat knows.
    if (result.ok && !(await chatObject(this.env, chatId).assign({ agentId: identity.agentId, name: identity.name, greeting: identity.greeting, photoUrl: identity.photoUrl }))) {
      result = { ok: false, reason: CUSTOMER_LEFT };
      this.release(chatId, device);
    }
    // The ring stops on all the agent's consoles; this device's also learn the outcome.
    for (const other of DEVICES) if (other !== device && this.connected(other)) this.broadcast(other, ringGone(chatId));
    if (!result.ok) {
      await this.publish();
      return { ...(await this.reply(device, ringGone(chatId) + statusBar(this.statuses()[device]) + socketError(result.reason))), unrung: true };
    }
    // Through the ordered outbox, not the reply: the chat's end may follow at once, and its
    // frame must come after this one. The stored state, not an assumed one, for that reason too.
    this.broadcast(device, ringGone(chatId) + statusBar(this.statuses()[device]) + chatOpened(chatId));
    await this.publish();
    return { taken: true };
  }

  /**
   * A frame for this device's consoles, carried back by the reply to the console's own message
   * instead of a call of its own; returned once the frames this object sent before are delivered.
   */
  private async reply(device: Device, html: string): Promise<ConsoleReply> {
    await this.#outbox;
    return { device: html };
  }

  /**
   * Synchronous test-and-set of this agent's availability for one more chat. `busy`: the agent
   * already serves or is taking a chat, which the room allows only with simultaneous chats. The
   * claim is held in memory while the room decides: most answers lose the race, and they then
   * cost no storage write; the object stays in memory while it awaits the room.
   */
  private claim(device: Device, chatId: string): AnswerResult & { busy?: boolean } {
    const busy = this.activeChats().length > 0 || this.#claims.size > 0;
    if (!busy && this.statuses()[device] !== "WAITING_NEW_CALL") return { ok: false, reason: "Go ONLINE to answer chats." };
    this.#claims.add(chatId);
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
    this.broadcast(null, inviteOffer(invite));
    return true;
  }

  /** The chat ended before this agent answered. */
  async inviteWithdrawn(chatId: string): Promise<void> {
    const { [chatId]: _gone, ...rest } = this.invites();
    this.kv.put("invites", rest);
    this.broadcast(null, inviteGone(chatId));
  }

  /**
   * Join or Decline. A guest is serving: stored before the chat hears of it (as an answer is), so
   * that the chat's end, which may follow at once, finds it here.
   */
  private async answerInvite(device: Device, chatId: string, join: boolean): Promise<string> {
    const invite = this.invites()[chatId];
    if (!invite) return socketError("That invitation is no longer open.");
    if (join && this.statuses()[device] === "SERVING_CUSTOMER") return socketError("Finish your current chat first.");
    if (join) this.serve(device, invite);
    let result: AnswerResult;
    try {
      result = await chatObject(this.env, chatId).answerInvite(this.identity()!.agentId, join);
    } catch (err) {
      console.error("conference answer failed", chatId, err);
      result = { ok: false, reason: "The chat could not be joined. Please try again." };
    }
    await this.inviteWithdrawn(chatId);
    if (join && !result.ok) this.release(chatId, device);
    if (!result.ok) {
      this.broadcast(device, statusBar(this.statuses()[device]) + socketError(result.reason));
      return "";
    }
    if (!join) return "";
    this.broadcast(device, statusBar(this.statuses()[device]) + chatOpened(chatId));
    await this.publish();
    return "";
  }

  /** The agent saved their profile: the next chats use the new greeting, photo and ringtone. */
  async updateProfile(profile: Pick<AgentIdentity, "greeting" | "photoUrl" | "ringtone" | "notify">): Promise<void> {
    const identity = this.identity();
    if (identity) this.saveIdentity({ ...identity, ...profile });
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
    const statuses = { ...this.statuses() };
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

  /**
   * Whether a ring may be pushed to the agent's devices (worker/push/ring-push.ts): no console
   * is open in sight (one in the background is rung, and unseen), they serve no chat, and they
   * are not on a break on either console (a break is the agent's quiet hours, whichever console
   * they chose it on).
   */
  async awayAndAvailable(): Promise<boolean> {
    const statuses = this.statuses();
    if (statuses.browser === "TAKING_BREAK" || statuses.mobile === "TAKING_BREAK") return false;
    const counts = this.kv.get<ConsoleCounts>("consoles");
    // Counts stored before consoles reported their visibility count every console as in sight.
    const visible = counts ? (counts.visible ?? counts.browser + counts.mobile) : 0;
    return visible === 0 && this.activeChats().length === 0;
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
        this.room(key)
          .agentPresence(key, presence)
          .catch((err: unknown) => {
            failed = true;
            console.error("presence to room failed", key, err);
          }),
      ),
    );
    if (failed && this.#published === told) this.#published = null;
  }

  /** Frames for this agent's consoles of one device, or of both (null), sent in order by the company's ConsolesDO. */
  private broadcast(device: Device | null, html: string): void {
    const identity = this.identity();
    if (!identity) return;
    const consoles = this.consoles(consolesName(identity.companyId, identity.agentId));
    this.#outbox = this.#outbox
      .then(() => consoles.deliver(identity.agentId, device, html))
      .catch((err: unknown) => console.error("console frame not delivered", identity.agentId, err));
    this.ctx.waitUntil(this.#outbox);
  }
}
