import { PLAN_LIMITS } from "../accounts/plan-limits";
import { isLoggedOn, type AgentPresence, type AgentStatus, type Device, type Location } from "./presence";

export type RoutingRules = {
  assignment: "quickest" | "nearest";
  /** Nearest-agent routing is a Large Enterprise feature; other plans route by quickest reply. */
  plan: "free" | "pro" | "enterprise";
  sameAgent: boolean;
  includeMobile: boolean;
  simultaneousChats: boolean;
};

export type WaitingCustomer = {
  location: Location | null;
  /** The agent who last served this anonymous customer in this room (sticky-agent mode). */
  lastAgentId: string | null;
  /** The customer pressed "Ask all agents". */
  askAll: boolean;
};

export type Ring = { agentId: string; devices: Device[] };

const serving = (a: AgentPresence) => a.browser === "SERVING_CUSTOMER" || a.mobile === "SERVING_CUSTOMER";

/** An agent serving a customer on either console is busy on both, unless the room allows simultaneous chats. */
const free = (a: AgentPresence, device: Device, rules: RoutingRules) => {
  const status: AgentStatus | null = a[device];
  if (rules.simultaneousChats) return status === "WAITING_NEW_CALL" || status === "SERVING_CUSTOMER";
  return status === "WAITING_NEW_CALL" && !serving(a);
};

/** Great-circle distance in kilometres. */
export function distanceKm(a: Location, b: Location): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Sticky-agent mode: the last agent, when logged on and not yet passed over by "Ask all agents", is the only one rung. */
function lastAgentAlone(agents: AgentPresence[], customer: WaitingCustomer, rules: RoutingRules): AgentPresence | undefined {
  if (!rules.sameAgent || !customer.lastAgentId || customer.askAll) return undefined;
  return agents.find((a) => a.agentId === customer.lastAgentId && isLoggedOn(a));
}

/** Whether the customer waits for their last agent alone (the waiting screen then offers "Ask all agents"). */
export const waitsForLastAgent = (agents: AgentPresence[], customer: WaitingCustomer, rules: RoutingRules) => !!lastAgentAlone(agents, customer, rules);

/**
 * Whom to ring for one waiting customer. Desktop consoles first; mobile consoles only when no
 * desktop one is free (and the room includes mobile agents). In sticky-agent mode the last agent
 * alone is rung while logged on, until the customer asks all agents. Nearest mode rings the one
 * closest free agent, falling back to quickest reply (everyone free) when locations are unknown.
 */
export function chooseRings(agents: AgentPresence[], customer: WaitingCustomer, rules: RoutingRules): Ring[] {
  const last = lastAgentAlone(agents, customer, rules);
  const pool = last ? [last] : agents;

  let rings: Ring[] = pool.filter((a) => free(a, "browser", rules)).map((a) => ({ agentId: a.agentId, devices: ["browser"] }));
  if (!rings.length && rules.includeMobile) {
    rings = pool.filter((a) => free(a, "mobile", rules)).map((a) => ({ agentId: a.agentId, devices: ["mobile"] }));
  }

  if (rules.assignment === "nearest" && PLAN_LIMITS[rules.plan].nearestAgent && customer.location && rings.length > 1) {
    const here = customer.location;
    const located = rings
      .map((r) => ({ ring: r, at: agents.find((a) => a.agentId === r.agentId)!.location }))
      .filter((x): x is { ring: Ring; at: Location } => x.at !== null)
      .sort((x, y) => distanceKm(here, x.at) - distanceKm(here, y.at));
    if (located.length) return [located[0]!.ring];
  }
  return rings;
}
