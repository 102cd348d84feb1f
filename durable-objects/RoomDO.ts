import { DurableObject } from "cloudflare:workers";
import { ANSWERED_FIRST, CUSTOMER_LEFT, type AgentPresence, type AnswerResult, type EnqueueRequest, type QueueState, type RingInfo, type RingOffer, type RingTarget } from "../worker/live/contracts";
import { chooseRings, waitsForLastAgent, type RoutingRules } from "../worker/routing/distribute";
import { isLoggedOn, type Location } from "../worker/routing/presence";
import { nextWhatsappAgent, type WhatsappScope } from "../worker/routing/whatsapp";
import { roomStats, type RoomStats } from "../worker/routing/stats";
import { ringOffer } from "../views/live/ConsoleFragments";
import { chatObject, consolesName, stubsByName } from "../worker/live/stubs";
import { alertWhenFree } from "../worker/jobs/free-alerts";
import { pushRing, withdrawRing } from "../worker/push/ring-push";

type Waiting = {
  ring: RingInfo;
  visitorId: string;
  location: Location | null;
  rules: RoutingRules;
  askAll: boolean;
};

/** Queue places are sent at most this often. */
const POSITIONS_PAUSE_MS = 100;

/**
 * One per room: which of its agents are logged on and how, the customers waiting in arrival
 * order, the distribution of each new chat, and the statistics. First answer wins: `answer`
 * checks and removes the waiting chat synchronously.
 */
export class RoomDO extends DurableObject<Env> {
  private get kv() {
    return this.ctx.storage.kv;
  }
  // Storage has one key per agent and per waiting chat, so a change rewrites one small value:
  // `agent:{id}` with `agentSince:{log-on number}`, and `wait:{arrival number}` with
  // `waitOf:{chatId}` pointing to it. Every write goes to storage first and then to these
  // copies in memory, which are read back from storage after the object was evicted; routing
  // reads them many times per event, and decoding storage values each time was most of its cost.
  #agents: Map<string, { presence: AgentPresence; since: number }> | null = null;
  /** `agents()`, kept until an agent changes: every new chat and queue update reads it. */
  #agentList: AgentPresence[] | null = null;
  #queue: Map<string, Waiting> | null = null;
  #waitOf = new Map<string, string>();
  /**
   * Agents rung for each waiting chat, in memory only: writing them per ring made every agent
   * coming free rewrite the whole queue. After an eviction the set starts empty, so a ring may
   * be sent again (the agent's console keeps one card per chat) and rings are stopped at every
   * agent of the room.
   */
  #rung = new Map<string, Set<string>>();
  /** Chats queued since this object woke up, whose `#rung` set is therefore complete. */
  #rungComplete = new Set<string>();
  /** Each waiting chat's ring card, rendered once for all the agents it rings. */
  #offers = new Map<string, string>();
  /** What each waiting customer was last told (place, and whether an agent is free), so only changes are sent. */
  #told = new Map<string, string>();
  #positionsDue = false;
  #consoles = stubsByName(this.env.CONSOLES);
  /** Each agent's consoles object (consolesName), worked out once. */
  #consolesNames = new Map<string, string>();
  /**
   * The agents named, grouped by the consoles object that holds their consoles: one of the
   * shards of the company whose room this is (a room key is `{companyId}:{roomName}`).
   */
  private byConsoles(roomKey: string, agentIds: Iterable<string>): Map<string, string[]> {
    const companyId = roomKey.slice(0, roomKey.indexOf(":"));
    const groups = new Map<string, string[]>();
    for (const agentId of agentIds) {
      let name = this.#consolesNames.get(agentId);
      if (name === undefined) this.#consolesNames.set(agentId, (name = consolesName(companyId, agentId)));
      const group = groups.get(name);
      if (group) group.push(agentId);
      else groups.set(name, [agentId]);
    }
    return groups;
  }
  /** The chat's ring stops on the consoles of the agents named, each consoles object called side by side. */
  private async stopRings(roomKey: string, chatId: string, agentIds: string[], reason: string): Promise<void> {
    await Promise.all([...this.byConsoles(roomKey, agentIds)].map(([name, ids]) => this.#consoles(name).stopRing(chatId, ids, reason)));
  }

  private agentMap() {
    if (!this.#agents) {
      this.#agents = new Map();
      for (const [key, presence] of this.kv.list<AgentPresence>({ prefix: "agent:" })) {
        const id = key.slice("agent:".length);
        this.#agents.set(id, { presence, since: this.kv.get<number>(`agentSince:${id}`) ?? 0 });
      }
    }
    return this.#agents;
  }
  /** The room's agents in the order they first logged on (as the statistics list them). */
  private agents(): AgentPresence[] {
    this.#agentList ??= [...this.agentMap().values()].sort((a, b) => a.since - b.since).map((a) => a.presence);
    return this.#agentList;
  }
  private queueMap() {
    if (!this.#queue) {
      this.#queue = new Map(this.kv.list<Waiting>({ prefix: "wait:" }));
      this.#waitOf = new Map([...this.#queue].map(([key, w]) => [w.ring.chatId, key]));
    }
    return this.#queue;
  }
  /** Waiting chats in arrival order (storage keys are zero-padded arrival numbers). */
  private queue(): Waiting[] {
    return [...this.queueMap().values()];
  }
  private waiting(chatId: string): Waiting | undefined {
    const queue = this.queueMap();
    const key = this.#waitOf.get(chatId);
    return key ? queue.get(key) : undefined;
  }
  private saveWaiting(entry: Waiting): void {
    this.queueMap();
    const key = this.#waitOf.get(entry.ring.chatId);
    if (!key) return;
    this.kv.put(key, entry);
    this.#queue!.set(key, entry);
  }
  /** The chat stops waiting: answered (by `answeredBy`) or given up by the customer. */
  private dequeue(chatId: string, answeredBy: string | null): void {
    const queue = this.queueMap();
    const key = this.#waitOf.get(chatId);
    if (!key) return;
    this.withdrawPushes(chatId, answeredBy);
    this.kv.delete(key);
    this.kv.delete(`waitOf:${chatId}`);
    queue.delete(key);
    this.#waitOf.delete(chatId);
    this.#offers.delete(chatId);
    this.#told.delete(chatId);
    this.#rung.delete(chatId);
    this.#rungComplete.delete(chatId);
  }
  /** Whom to tell that a chat stopped ringing. */
  private rungFor(chatId: string): string[] {
    const rung = this.#rung.get(chatId);
    return rung && this.#rungComplete.has(chatId) ? [...rung] : [...this.agentMap().keys()];
  }
  #roomName: string | undefined;
  private roomName(): string {
    this.#roomName ||= this.kv.get<string>("roomName") ?? "";
    return this.#roomName;
  }

  /** An agent's consoles changed state; a newly free agent is rung for the waiting chats. */
  async agentPresence(roomKey: string, presence: AgentPresence): Promise<void> {
    const agents = this.agentMap();
    if (!this.roomName()) {
      this.#roomName = roomKey.slice(roomKey.indexOf(":") + 1);
      this.kv.put("roomName", this.#roomName);
    }
    const before = agents.get(presence.agentId);
    let since = before?.since;
    if (since === undefined) {
      since = (this.kv.get<number>("agentSeq") ?? 0) + 1;
      this.kv.put("agentSeq", since);
      this.kv.put(`agentSince:${presence.agentId}`, since);
    }
    this.kv.put(`agent:${presence.agentId}`, presence);
    agents.set(presence.agentId, { presence, since });
    this.#agentList = null;
    const was = before?.presence;
    const becameFree =
      (presence.browser === "WAITING_NEW_CALL" && was?.browser !== "WAITING_NEW_CALL") ||
      (presence.mobile === "WAITING_NEW_CALL" && was?.mobile !== "WAITING_NEW_CALL");
    if (becameFree) {
      await this.distribute(this.queue());
      this.alertWhenFree(roomKey);
    }
    this.schedulePositions();
  }

  /**
   * A customer asked to be emailed when an agent of this room is free: until `until`, each agent
   * coming free has the room's open alerts looked at (in D1), and otherwise they are not read.
   */
  async expectAlerts(until: number): Promise<void> {
    this.kv.put("alertsUntil", Math.max(until, this.kv.get<number>("alertsUntil") ?? 0));
  }

  private alertWhenFree(roomKey: string): void {
    const until = this.kv.get<number>("alertsUntil");
    if (until === undefined) return;
    if (until <= Date.now()) {
      this.kv.delete("alertsUntil");
      return;
    }
    this.queueMap();
    this.ctx.waitUntil(
      alertWhenFree(this.env, roomKey, new Set(this.#waitOf.keys()))
        .then((openUntil) => {
          // An alert added meanwhile moved the mark on: it stays.
          if (this.kv.get<number>("alertsUntil") !== until) return;
          if (openUntil === null) this.kv.delete("alertsUntil");
          else this.kv.put("alertsUntil", openUntil);
        })
        .catch((err: unknown) => console.error("free alerts failed", roomKey, err)),
    );
  }

  async forgetAgent(agentId: string): Promise<void> {
    this.kv.delete(`agent:${agentId}`);
    this.kv.delete(`agentSince:${agentId}`);
    this.agentMap().delete(agentId);
    this.#agentList = null;
  }

  /** A customer asks for an agent. Returns the customer's place in the queue (1 = next). */
  async enqueue(request: EnqueueRequest): Promise<number> {
    const chatId = request.ring.chatId;
    const queue = this.queueMap();
    if (!this.#waitOf.has(chatId)) {
      const seq = (this.kv.get<number>("waitSeq") ?? 0) + 1;
      const key = `wait:${String(seq).padStart(12, "0")}`;
      const entry: Waiting = { ...request, askAll: false };
      this.#rung.set(chatId, new Set());
      this.#rungComplete.add(chatId);
      this.kv.put("waitSeq", seq);
      this.kv.put(key, entry);
      this.kv.put(`waitOf:${chatId}`, key);
      queue.set(key, entry);
      this.#waitOf.set(chatId, key);
    }
    const entry = this.waiting(chatId)!;
    // The rings go out in the background: the customer's page need not wait for every console.
    this.ctx.waitUntil(this.distribute([entry]));
    // Only the newcomer's place is new; everyone ahead keeps theirs.
    const position = [...queue.keys()].indexOf(this.#waitOf.get(chatId)!) + 1;
    await this.tellPosition(entry, position, this.agents());
    return position;
  }

  /** Sticky-agent mode: the customer no longer waits for the last agent only. */
  async askAll(chatId: string): Promise<void> {
    const entry = this.waiting(chatId);
    if (!entry) return;
    const widened = { ...entry, askAll: true };
    this.saveWaiting(widened);
    await this.distribute([widened]);
    // The screen stops offering "Ask all agents" once asked.
    const position = [...this.queueMap().keys()].indexOf(this.#waitOf.get(chatId)!) + 1;
    await this.tellPosition(widened, position, this.agents());
  }

  /** The customer left before anyone answered: every ring stops. */
  async cancel(chatId: string): Promise<void> {
    const entry = this.waiting(chatId);
    if (!entry) return;
    const rung = this.rungFor(chatId);
    this.dequeue(chatId, null);
    this.schedulePositions();
    await this.stopRings(entry.ring.roomKey, chatId, rung, CUSTOMER_LEFT);
  }

  /**
   * An agent (already claimed on their side) answers. The first answer takes the chat. `busy`:
   * the agent already serves a chat, which this room allows only with simultaneous chats.
   */
  async answer(chatId: string, agentId: string, busy: boolean): Promise<AnswerResult> {
    const entry = this.waiting(chatId);
    if (!entry) return { ok: false, reason: ANSWERED_FIRST };
    if (!this.agentMap().has(agentId)) return { ok: false, reason: "You do not serve this room." };
    if (this.#rungComplete.has(chatId) && !this.#rung.get(chatId)?.has(agentId)) return { ok: false, reason: "That chat is no longer waiting." };
    if (busy && !entry.rules.simultaneousChats) {
      // The agent's card goes; once free again they are rung for the chat like anyone else.
      this.#rung.get(chatId)?.delete(agentId);
      return { ok: false, reason: "You are already serving a customer." };
    }
    const others = this.rungFor(chatId).filter((id) => id !== agentId);
    this.dequeue(chatId, agentId);
    this.kv.put(`last:${entry.visitorId}`, agentId);
    this.ctx.waitUntil(this.stopRings(entry.ring.roomKey, chatId, others, ANSWERED_FIRST).catch((err: unknown) => console.error("stopping rings failed", chatId, err)));
    this.schedulePositions();
    return { ok: true };
  }

  /** An agent's console (re)connected, its object perhaps without memory: ring it for every chat it may take. */
  async ringAgain(agentId: string): Promise<void> {
    for (const rung of this.#rung.values()) rung.delete(agentId);
    await this.distribute(this.queue());
  }

  /** Picks the agent whose turn it is for a WhatsApp chat, online or offline as the room allows. */
  whatsappAgent(agents: { agentId: string; number: string }[], scope: WhatsappScope): string | null {
    const known = this.agentMap();
    const candidates = agents.map((a) => {
      const presence = known.get(a.agentId)?.presence;
      return { ...a, online: !!presence && isLoggedOn(presence) };
    });
    const next = nextWhatsappAgent(candidates, scope, this.kv.get<string>("whatsappLast") ?? null);
    if (!next) return null;
    this.kv.put("whatsappLast", next.agentId);
    return next.number;
  }

  stats(details: boolean): RoomStats {
    return roomStats(this.roomName(), this.agents(), details);
  }

  /**
   * Rings the agents the routing rules choose for each of the given waiting chats, each agent
   * once per chat, with one call to the company's consoles however many agents and chats.
   */
  private async distribute(entries: Waiting[]): Promise<void> {
    const agents = this.agents();
    const offers: RingOffer[] = [];
    const byAgent = new Map<string, RingTarget>();
    for (const entry of entries) {
      const lastAgentId = entry.rules.sameAgent ? (this.kv.get<string>(`last:${entry.visitorId}`) ?? null) : null;
      const chatId = entry.ring.chatId;
      const rung = this.#rung.get(chatId) ?? new Set<string>();
      this.#rung.set(chatId, rung);
      const customer = { location: entry.location, lastAgentId, askAll: entry.askAll };
      const chosen = chooseRings(agents, customer, entry.rules);
      // No console is free to ring: last in the spec's order come the agents away from their consoles.
      if (!chosen.length && !waitsForLastAgent(agents, customer, entry.rules)) this.pushToAway(entry);
      const rings = chosen.filter((r) => !rung.has(r.agentId));
      if (!rings.length) continue;
      // Remember who was rung before ringing, so an answer arriving meanwhile stops every ring.
      for (const r of rings) rung.add(r.agentId);
      offers.push({ ring: entry.ring, html: this.offerHtml(entry.ring) });
      for (const r of rings) {
        const target = byAgent.get(r.agentId) ?? { agentId: r.agentId, devices: r.devices, chatIds: [] };
        target.chatIds.push(chatId);
        byAgent.set(r.agentId, target);
      }
    }
    if (!offers.length) return;
    // Each consoles object holding some of these agents is rung with theirs, all side by side.
    const results = await Promise.all(
      [...this.byConsoles(offers[0]!.ring.roomKey, byAgent.keys())].map(([name, agentIds]) => {
        const targets = agentIds.map((id) => byAgent.get(id)!);
        const chats = new Set(targets.flatMap((t) => t.chatIds));
        return this.#consoles(name)
          .ring(offers.filter((o) => chats.has(o.ring.chatId)), targets)
          .catch((err: unknown) => {
            console.error("ringing failed", err);
            return { unreachable: agentIds, unseen: [] };
          });
      }),
    );
    const unreachable = results.flatMap((r) => r.unreachable);
    const unseen = results.flatMap((r) => r.unseen);
    // Not reachable: rung again once the agent reports themselves free.
    for (const agentId of unreachable) for (const chatId of byAgent.get(agentId)!.chatIds) this.#rung.get(chatId)?.delete(agentId);
    // Rung on consoles no one sees (a page in the background, a phone's screen off): their devices are pushed too.
    for (const entry of entries) {
      const agentIds = unseen.filter((id) => byAgent.get(id)?.chatIds.includes(entry.ring.chatId));
      if (agentIds.length) this.pushTo(entry, agentIds);
    }
  }

  /**
   * Pushes the chat once to the devices of the room's agents who are away and available (when
   * the room includes mobile agents), in the background.
   */
  private pushToAway(entry: Waiting): void {
    const chatId = entry.ring.chatId;
    if (!entry.rules.includeMobile || this.kv.get<boolean>(`pushedAway:${chatId}`)) return;
    this.kv.put(`pushedAway:${chatId}`, true);
    this.pushTo(entry, null);
  }

  /**
   * Pushes the chat to the devices of the given agents (null: every agent of the room), those
   * away and available, but not again to an agent it reached already; `pushed:{chatId}` gathers
   * whom it reached, for the withdrawal. A chat that stopped waiting meanwhile is withdrawn at once.
   */
  private pushTo(entry: Waiting, agentIds: string[] | null): void {
    const chatId = entry.ring.chatId;
    const reached = () => this.kv.get<string[]>(`pushed:${chatId}`) ?? [];
    const before = reached();
    this.kv.put(`pushed:${chatId}`, before);
    const chosen = (agentId: string) => !before.includes(agentId) && (!agentIds || agentIds.includes(agentId));
    this.ctx.waitUntil(
      pushRing(this.env, entry.ring, chosen)
        .then((pushed) => {
          if (this.waiting(chatId)) this.kv.put(`pushed:${chatId}`, [...new Set([...reached(), ...pushed])]);
          else return withdrawRing(this.env, chatId, pushed, "left");
        })
        .catch((err: unknown) => console.error("ring push failed", chatId, err)),
    );
  }

  /** The pushed ring is withdrawn from every device it reached, but those of the agent who answered it. */
  private withdrawPushes(chatId: string, answeredBy: string | null): void {
    const pushed = this.kv.get<string[]>(`pushed:${chatId}`);
    this.kv.delete(`pushedAway:${chatId}`);
    if (pushed === undefined) return;
    this.kv.delete(`pushed:${chatId}`);
    const agentIds = pushed.filter((id) => id !== answeredBy);
    if (!agentIds.length) return;
    const why = answeredBy ? "taken" : "left";
    this.ctx.waitUntil(withdrawRing(this.env, chatId, agentIds, why).catch((err: unknown) => console.error("push withdrawal failed", chatId, err)));
  }

  private offerHtml(ring: RingInfo): string {
    let html = this.#offers.get(ring.chatId);
    if (html === undefined) {
      html = ringOffer(ring);
      this.#offers.set(ring.chatId, html);
    }
    return html;
  }

  private async tellPosition(entry: Waiting, position: number, agents: AgentPresence[]): Promise<void> {
    const lastAgentId = entry.rules.sameAgent ? (this.kv.get<string>(`last:${entry.visitorId}`) ?? null) : null;
    const queue: QueueState = {
      position,
      agentFree: chooseRings(agents, { location: null, lastAgentId: null, askAll: true }, entry.rules).length > 0,
      anyoneOnline: agents.some(isLoggedOn),
      forLastAgent: waitsForLastAgent(agents, { location: null, lastAgentId, askAll: entry.askAll }, entry.rules),
    };
    const told = JSON.stringify(queue);
    if (this.#told.get(entry.ring.chatId) === told) return;
    this.#told.set(entry.ring.chatId, told);
    await chatObject(this.env, entry.ring.chatId)
      .queuePosition(queue)
      .catch((err: unknown) => console.error("queue position failed", entry.ring.chatId, err));
  }

  /**
   * Tells waiting customers whose place moved or whose agents became free or busy. A burst of
   * answers moves the whole queue many times; telling it once per short pause sends each
   * customer one update instead of dozens.
   */
  private schedulePositions(): void {
    // An empty queue has no one to tell (a newcomer is told its place when it joins).
    if (this.#positionsDue || this.queueMap().size === 0) return;
    this.#positionsDue = true;
    this.ctx.waitUntil(
      scheduler.wait(POSITIONS_PAUSE_MS).then(() => {
        this.#positionsDue = false;
        const agents = this.agents();
        return Promise.all(
          this.queue().map((entry, i) => this.tellPosition(entry, i + 1, agents)),
        );
      }),
    );
  }
}
