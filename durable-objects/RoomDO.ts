import { DurableObject } from "cloudflare:workers";
import type { AgentPresence, AnswerResult, EnqueueRequest, RingInfo } from "../worker/live/types";
import { chooseRings, type RoutingRules } from "../worker/routing/distribute";
import { isLoggedOn, type Location } from "../worker/routing/presence";
import { nextWhatsappAgent, type WhatsappScope } from "../worker/routing/whatsapp";
import { roomStats, type RoomStats } from "../worker/routing/stats";
import type { AgentDO } from "./AgentDO";
import type { ChatDO } from "./ChatDO";

type Waiting = {
  ring: RingInfo;
  visitorId: string;
  location: Location | null;
  rules: RoutingRules;
  askAll: boolean;
  /** Agents rung for this chat so far. */
  rung: string[];
};

const agentStub = (env: Env, agentId: string) => env.AGENT.get(env.AGENT.idFromName(agentId)) as DurableObjectStub<AgentDO>;
const chatStub = (env: Env, chatId: string) => env.CHAT.get(env.CHAT.idFromName(chatId)) as DurableObjectStub<ChatDO>;

/**
 * One per room: which of its agents are logged on and how, the customers waiting in arrival
 * order, the distribution of each new chat, and the statistics. First answer wins: `answer`
 * checks and removes the waiting chat synchronously.
 */
export class RoomDO extends DurableObject<Env> {
  private get kv() {
    return this.ctx.storage.kv;
  }
  // One storage key per agent and per waiting chat, so a change rewrites one small value, not
  // the whole room: `agent:{id}`, and `wait:{arrival number}` with `waitOf:{chatId}` pointing to it.
  /** The room's agents in the order they first logged on (as the statistics list them). */
  private agents(): AgentPresence[] {
    const order = (a: AgentPresence) => this.kv.get<number>(`agentSince:${a.agentId}`) ?? 0;
    return [...this.kv.list<AgentPresence>({ prefix: "agent:" })].map(([, a]) => a).sort((a, b) => order(a) - order(b));
  }
  private queue(): Waiting[] {
    return [...this.kv.list<Waiting>({ prefix: "wait:" })].map(([, w]) => w);
  }
  private waiting(chatId: string): Waiting | undefined {
    const key = this.kv.get<string>(`waitOf:${chatId}`);
    return key ? this.kv.get<Waiting>(key) : undefined;
  }
  private saveWaiting(entry: Waiting): void {
    const key = this.kv.get<string>(`waitOf:${entry.ring.chatId}`);
    if (key) this.kv.put(key, entry);
  }
  /** Takes a chat out of the queue; returns the entries whose place moved up. */
  private dequeue(chatId: string): Waiting[] {
    const key = this.kv.get<string>(`waitOf:${chatId}`);
    if (!key) return [];
    this.kv.delete(key);
    this.kv.delete(`waitOf:${chatId}`);
    return [...this.kv.list<Waiting>({ prefix: "wait:", startAfter: key })].map(([, w]) => w);
  }
  private roomName(): string {
    return this.kv.get<string>("roomName") ?? "";
  }

  /** An agent's consoles changed state; a newly free agent is rung for the waiting chats. */
  async agentPresence(roomKey: string, presence: AgentPresence): Promise<void> {
    this.kv.put("roomName", roomKey.slice(roomKey.indexOf(":") + 1));
    const before = this.kv.get<AgentPresence>(`agent:${presence.agentId}`);
    if (!before) {
      const seq = (this.kv.get<number>("agentSeq") ?? 0) + 1;
      this.kv.put("agentSeq", seq);
      this.kv.put(`agentSince:${presence.agentId}`, seq);
    }
    this.kv.put(`agent:${presence.agentId}`, presence);
    const becameFree =
      (presence.browser === "WAITING_NEW_CALL" && before?.browser !== "WAITING_NEW_CALL") ||
      (presence.mobile === "WAITING_NEW_CALL" && before?.mobile !== "WAITING_NEW_CALL");
    if (becameFree) await this.distributeAll();
  }

  async forgetAgent(agentId: string): Promise<void> {
    this.kv.delete(`agent:${agentId}`);
    this.kv.delete(`agentSince:${agentId}`);
  }

  /** A customer asks for an agent. Returns the customer's place in the queue (1 = next). */
  async enqueue(request: EnqueueRequest): Promise<number> {
    const chatId = request.ring.chatId;
    if (!this.kv.get(`waitOf:${chatId}`)) {
      const seq = (this.kv.get<number>("waitSeq") ?? 0) + 1;
      const key = `wait:${String(seq).padStart(12, "0")}`;
      this.kv.put("waitSeq", seq);
      this.kv.put(key, { ...request, askAll: false, rung: [] } satisfies Waiting);
      this.kv.put(`waitOf:${chatId}`, key);
    }
    await this.distribute(chatId);
    // Only the newcomer's place is new; everyone ahead keeps theirs.
    const queue = this.queue();
    const position = queue.findIndex((w) => w.ring.chatId === chatId) + 1;
    const entry = queue[position - 1];
    if (entry) await this.tellPositions([entry], position);
    return position;
  }

  /** Sticky-agent mode: the customer no longer waits for the last agent only. */
  async askAll(chatId: string): Promise<void> {
    const entry = this.waiting(chatId);
    if (!entry) return;
    this.saveWaiting({ ...entry, askAll: true });
    await this.distribute(chatId);
  }

  /** The customer left before anyone answered: every ring stops. */
  async cancel(chatId: string): Promise<void> {
    const entry = this.waiting(chatId);
    if (!entry) return;
    const movedUp = this.dequeue(chatId);
    await Promise.all(entry.rung.map((id) => agentStub(this.env, id).stopRing(chatId)));
    await this.tellPositions(movedUp);
  }

  /** An agent (already claimed on their side) answers. The first answer takes the chat. */
  async answer(chatId: string, agentId: string): Promise<AnswerResult> {
    const entry = this.waiting(chatId);
    if (!entry) return { ok: false, reason: "Another agent answered this chat first." };
    const movedUp = this.dequeue(chatId);
    this.kv.put(`last:${entry.visitorId}`, agentId);
    const others = entry.rung.filter((id) => id !== agentId);
    this.ctx.waitUntil(
      Promise.all([...others.map((id) => agentStub(this.env, id).stopRing(chatId)), this.tellPositions(movedUp)]).catch((err: unknown) =>
        console.error("stopping rings failed", chatId, err),
      ),
    );
    return { ok: true };
  }

  /** Picks the agent whose turn it is for a WhatsApp chat, online or offline as the room allows. */
  whatsappAgent(agents: { agentId: string; number: string }[], scope: WhatsappScope): string | null {
    const candidates = agents.map((a) => {
      const presence = this.kv.get<AgentPresence>(`agent:${a.agentId}`);
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

  private async distributeAll(): Promise<void> {
    for (const w of this.queue()) await this.distribute(w.ring.chatId);
  }

  /** Rings the agents the routing rules choose for one waiting chat, each agent once. */
  private async distribute(chatId: string): Promise<void> {
    const entry = this.waiting(chatId);
    if (!entry) return;
    const lastAgentId = entry.rules.sameAgent ? (this.kv.get<string>(`last:${entry.visitorId}`) ?? null) : null;
    const rings = chooseRings(this.agents(), { location: entry.location, lastAgentId, askAll: entry.askAll }, entry.rules).filter(
      (r) => !entry.rung.includes(r.agentId),
    );
    if (!rings.length) return;
    // Remember who was rung before ringing, so an answer arriving meanwhile stops every ring.
    this.saveWaiting({ ...entry, rung: [...entry.rung, ...rings.map((r) => r.agentId)] });
    const reached = await Promise.all(rings.map((r) => agentStub(this.env, r.agentId).ring(entry.ring, r.devices).catch(() => false)));
    // Agents that could not be reached are rung again once they report themselves free.
    const missed = rings.filter((_, i) => !reached[i]).map((r) => r.agentId);
    const latest = missed.length ? this.waiting(chatId) : undefined;
    if (latest) this.saveWaiting({ ...latest, rung: latest.rung.filter((id) => !missed.includes(id)) });
  }

  /**
   * Tells waiting customers their place in the queue: `entries` are consecutive, the first at
   * `firstPosition` (by default, the place it has now).
   */
  private async tellPositions(entries: Waiting[], firstPosition?: number): Promise<void> {
    if (!entries.length) return;
    const start = firstPosition ?? this.queue().findIndex((w) => w.ring.chatId === entries[0]!.ring.chatId) + 1;
    const agents = this.agents();
    await Promise.all(
      entries.map((w, i) =>
        chatStub(this.env, w.ring.chatId)
          .queuePosition(start + i, chooseRings(agents, { location: null, lastAgentId: null, askAll: true }, w.rules).length > 0)
          .catch((err: unknown) => console.error("queue position failed", w.ring.chatId, err)),
      ),
    );
  }
}
