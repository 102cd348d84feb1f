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
  private agents(): Record<string, AgentPresence> {
    return this.kv.get<Record<string, AgentPresence>>("agents") ?? {};
  }
  private queue(): Waiting[] {
    return this.kv.get<Waiting[]>("queue") ?? [];
  }
  private roomName(): string {
    return this.kv.get<string>("roomName") ?? "";
  }

  /** An agent's consoles changed state; a newly free agent is rung for the waiting chats. */
  async agentPresence(roomKey: string, presence: AgentPresence): Promise<void> {
    this.kv.put("roomName", roomKey.slice(roomKey.indexOf(":") + 1));
    const agents = this.agents();
    const before = agents[presence.agentId];
    agents[presence.agentId] = presence;
    this.kv.put("agents", agents);
    const becameFree =
      (presence.browser === "WAITING_NEW_CALL" && before?.browser !== "WAITING_NEW_CALL") ||
      (presence.mobile === "WAITING_NEW_CALL" && before?.mobile !== "WAITING_NEW_CALL");
    if (becameFree) await this.distributeAll();
  }

  async forgetAgent(agentId: string): Promise<void> {
    const agents = this.agents();
    delete agents[agentId];
    this.kv.put("agents", agents);
  }

  /** A customer asks for an agent. Returns the customer's place in the queue (1 = next). */
  async enqueue(request: EnqueueRequest): Promise<number> {
    const queue = this.queue();
    if (!queue.some((w) => w.ring.chatId === request.ring.chatId)) {
      queue.push({ ...request, askAll: false, rung: [] });
      this.kv.put("queue", queue);
    }
    await this.distribute(request.ring.chatId);
    await this.tellPositions();
    return this.queue().findIndex((w) => w.ring.chatId === request.ring.chatId) + 1;
  }

  /** Sticky-agent mode: the customer no longer waits for the last agent only. */
  async askAll(chatId: string): Promise<void> {
    const queue = this.queue();
    const entry = queue.find((w) => w.ring.chatId === chatId);
    if (!entry) return;
    entry.askAll = true;
    this.kv.put("queue", queue);
    await this.distribute(chatId);
  }

  /** The customer left before anyone answered: every ring stops. */
  async cancel(chatId: string): Promise<void> {
    const queue = this.queue();
    const entry = queue.find((w) => w.ring.chatId === chatId);
    if (!entry) return;
    this.kv.put("queue", queue.filter((w) => w !== entry));
    await Promise.all(entry.rung.map((id) => agentStub(this.env, id).stopRing(chatId)));
    await this.tellPositions();
  }

  /** An agent (already claimed on their side) answers. The first answer takes the chat. */
  async answer(chatId: string, agentId: string): Promise<AnswerResult> {
    const queue = this.queue();
    const entry = queue.find((w) => w.ring.chatId === chatId);
    if (!entry) return { ok: false, reason: "Another agent answered this chat first." };
    this.kv.put("queue", queue.filter((w) => w !== entry));
    this.kv.put(`last:${entry.visitorId}`, agentId);
    const others = entry.rung.filter((id) => id !== agentId);
    this.ctx.waitUntil(
      Promise.all([...others.map((id) => agentStub(this.env, id).stopRing(chatId)), this.tellPositions()]).catch((err: unknown) =>
        console.error("stopping rings failed", chatId, err),
      ),
    );
    return { ok: true };
  }

  /** Picks the agent whose turn it is for a WhatsApp chat, online or offline as the room allows. */
  whatsappAgent(agents: { agentId: string; number: string }[], scope: WhatsappScope): string | null {
    const presence = this.agents();
    const candidates = agents.map((a) => ({ ...a, online: !!presence[a.agentId] && isLoggedOn(presence[a.agentId]!) }));
    const next = nextWhatsappAgent(candidates, scope, this.kv.get<string>("whatsappLast") ?? null);
    if (!next) return null;
    this.kv.put("whatsappLast", next.agentId);
    return next.number;
  }

  stats(details: boolean): RoomStats {
    return roomStats(this.roomName(), Object.values(this.agents()), details);
  }

  private async distributeAll(): Promise<void> {
    for (const w of this.queue()) await this.distribute(w.ring.chatId);
  }

  /** Rings the agents the routing rules choose for one waiting chat, each agent once. */
  private async distribute(chatId: string): Promise<void> {
    const entry = this.queue().find((w) => w.ring.chatId === chatId);
    if (!entry) return;
    const lastAgentId = entry.rules.sameAgent ? (this.kv.get<string>(`last:${entry.visitorId}`) ?? null) : null;
    const rings = chooseRings(Object.values(this.agents()), { location: entry.location, lastAgentId, askAll: entry.askAll }, entry.rules).filter(
      (r) => !entry.rung.includes(r.agentId),
    );
    if (!rings.length) return;
    // Remember who was rung before ringing, so an answer arriving meanwhile stops every ring.
    const queue = this.queue();
    const current = queue.find((w) => w.ring.chatId === chatId);
    if (!current) return;
    current.rung.push(...rings.map((r) => r.agentId));
    this.kv.put("queue", queue);
    const reached = await Promise.all(rings.map((r) => agentStub(this.env, r.agentId).ring(entry.ring, r.devices).catch(() => false)));
    // Agents that could not be reached are rung again once they report themselves free.
    const missed = rings.filter((_, i) => !reached[i]).map((r) => r.agentId);
    if (missed.length) {
      const latest = this.queue();
      const again = latest.find((w) => w.ring.chatId === chatId);
      if (again) {
        again.rung = again.rung.filter((id) => !missed.includes(id));
        this.kv.put("queue", latest);
      }
    }
  }

  /** Each waiting customer's screen shows their place in the queue. */
  private async tellPositions(): Promise<void> {
    await Promise.all(
      this.queue().map((w, i) =>
        chatStub(this.env, w.ring.chatId)
          .queuePosition(i + 1, this.hasFreeAgent(w.rules))
          .catch((err: unknown) => console.error("queue position failed", w.ring.chatId, err)),
      ),
    );
  }

  private hasFreeAgent(rules: RoutingRules): boolean {
    return chooseRings(Object.values(this.agents()), { location: null, lastAgentId: null, askAll: true }, rules).length > 0;
  }
}
