import { describe, expect, it } from "vitest";
import { chooseRings, distanceKm, type RoutingRules, type WaitingCustomer } from "../../worker/routing/distribute";
import type { AgentPresence, AgentStatus, Location } from "../../worker/routing/presence";

// Real city coordinates (degrees).
const PARIS: Location = { lat: 48.8566, lon: 2.3522 };
const BERLIN: Location = { lat: 52.52, lon: 13.405 };
const TOKYO: Location = { lat: 35.6762, lon: 139.6503 };
const LYON: Location = { lat: 45.764, lon: 4.8357 };
const WARSAW: Location = { lat: 52.2297, lon: 21.0122 };
const OSAKA: Location = { lat: 34.6937, lon: 135.5023 };

type Consoles = { browser?: AgentStatus | null; mobile?: AgentStatus | null; location?: Location | null };

/** An agent of the room; a console left out is not connected. */
function agent(agentId: string, { browser = null, mobile = null, location = null }: Consoles = {}): AgentPresence {
  const serving = browser === "SERVING_CUSTOMER" || mobile === "SERVING_CUSTOMER";
  return { agentId, email: `${agentId}@demo.test`, name: agentId, browser, mobile, location, activeChats: serving ? 1 : 0 };
}

// Room defaults as in the spec: quickest reply, mobile agents included, no simultaneous chats.
const room = (rules: Partial<RoutingRules> = {}): RoutingRules => ({
  assignment: "quickest",
  plan: "free",
  sameAgent: false,
  includeMobile: true,
  simultaneousChats: false,
  ...rules,
});

const newCustomer = (customer: Partial<WaitingCustomer> = {}): WaitingCustomer => ({ location: null, lastAgentId: null, askAll: false, ...customer });

/** Who rings, as "agent:device", sorted: all rings go out at once, so their order means nothing. */
function rung(agents: AgentPresence[], customer: WaitingCustomer = newCustomer(), rules: RoutingRules = room()): string[] {
  return chooseRings(agents, customer, rules)
    .flatMap((r) => r.devices.map((d) => `${r.agentId}:${d}`))
    .sort();
}

describe("quickest reply", () => {
  it("rings every free desktop agent at once", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob", { browser: "WAITING_NEW_CALL" }), agent("carol", { browser: "WAITING_NEW_CALL" })];
    expect(rung(agents)).toEqual(["alice:browser", "bob:browser", "carol:browser"]);
  });

  it.each<AgentStatus>(["TAKING_BREAK", "SERVING_CUSTOMER", "REMOTE_CUSTOMER_HANGUP", "HANG_UP"])("does not ring an agent whose console shows %s", (status) => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob", { browser: status })];
    expect(rung(agents)).toEqual(["alice:browser"]);
  });

  it("does not ring an agent who is not connected", () => {
    const agents = [agent("alice"), agent("bob", { browser: "WAITING_NEW_CALL" })];
    expect(rung(agents)).toEqual(["bob:browser"]);
  });

  it("rings nobody when no agent is free, so the customer waits", () => {
    const agents = [agent("alice", { browser: "TAKING_BREAK" }), agent("bob", { browser: "HANG_UP" }), agent("carol")];
    expect(rung(agents)).toEqual([]);
  });

  it("rings nobody in a room without agents", () => {
    expect(rung([])).toEqual([]);
  });
});

describe("mobile service staff", () => {
  it("rings only the desktop console of an agent free on both", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL", mobile: "WAITING_NEW_CALL" })];
    expect(rung(agents)).toEqual(["alice:browser"]);
  });

  it("leaves mobile agents alone while a desktop agent is free", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob", { mobile: "WAITING_NEW_CALL" })];
    expect(rung(agents)).toEqual(["alice:browser"]);
  });

  it("rings every free mobile agent when no desktop agent is free", () => {
    const agents = [
      agent("alice", { browser: "TAKING_BREAK" }),
      agent("bob", { mobile: "WAITING_NEW_CALL" }),
      agent("carol", { browser: "HANG_UP", mobile: "WAITING_NEW_CALL" }),
      agent("dave", { mobile: "TAKING_BREAK" }),
    ];
    expect(rung(agents)).toEqual(["bob:mobile", "carol:mobile"]);
  });

  it("never rings mobile agents when the room excludes them", () => {
    const agents = [agent("alice", { browser: "TAKING_BREAK" }), agent("bob", { mobile: "WAITING_NEW_CALL" })];
    expect(rung(agents, newCustomer(), room({ includeMobile: false }))).toEqual([]);
  });

  it("still rings desktop agents when the room excludes mobile ones", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob", { mobile: "WAITING_NEW_CALL" })];
    expect(rung(agents, newCustomer(), room({ includeMobile: false }))).toEqual(["alice:browser"]);
  });
});

describe("simultaneous customer chats", () => {
  it("does not ring an agent serving a customer when the room does not allow simultaneous chats (the default)", () => {
    const agents = [agent("alice", { browser: "SERVING_CUSTOMER" })];
    expect(rung(agents)).toEqual([]);
  });

  it("rings an agent serving a customer when the room allows simultaneous chats", () => {
    const agents = [agent("alice", { browser: "SERVING_CUSTOMER" }), agent("bob", { browser: "WAITING_NEW_CALL" })];
    expect(rung(agents, newCustomer(), room({ simultaneousChats: true }))).toEqual(["alice:browser", "bob:browser"]);
  });

  it("still does not ring an agent on a break when simultaneous chats are allowed", () => {
    const agents = [agent("alice", { browser: "TAKING_BREAK" }), agent("bob", { browser: "HANG_UP" })];
    expect(rung(agents, newCustomer(), room({ simultaneousChats: true }))).toEqual([]);
  });

  it("rings a mobile agent serving a customer when simultaneous chats are allowed and no desktop agent is free", () => {
    const agents = [agent("alice", { browser: "TAKING_BREAK" }), agent("bob", { mobile: "SERVING_CUSTOMER" })];
    expect(rung(agents, newCustomer(), room({ simultaneousChats: true }))).toEqual(["bob:mobile"]);
    expect(rung(agents)).toEqual([]);
  });

  it("does not ring the phone of an agent who is serving a customer on the desktop", () => {
    const agents = [agent("alice", { browser: "SERVING_CUSTOMER", mobile: "WAITING_NEW_CALL" })];
    expect(rung(agents)).toEqual([]);
  });

  it("does not ring the desktop of an agent who is serving a customer on the phone", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL", mobile: "SERVING_CUSTOMER" }), agent("bob", { browser: "WAITING_NEW_CALL" })];
    expect(rung(agents)).toEqual(["bob:browser"]);
    expect(rung(agents, newCustomer(), room({ simultaneousChats: true }))).toEqual(["alice:browser", "bob:browser"]);
  });
});

describe("same agent as last time", () => {
  const sticky = room({ sameAgent: true });
  const returning = newCustomer({ lastAgentId: "bob" });

  it("rings only the last agent while that agent is logged on and free", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob", { browser: "WAITING_NEW_CALL" }), agent("carol", { browser: "WAITING_NEW_CALL" })];
    expect(rung(agents, returning, sticky)).toEqual(["bob:browser"]);
  });

  it("rings nobody while the last agent is busy: the customer waits for that agent", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob", { browser: "SERVING_CUSTOMER" })];
    expect(rung(agents, returning, sticky)).toEqual([]);
  });

  it("rings nobody while the last agent takes a break", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob", { browser: "TAKING_BREAK", mobile: "TAKING_BREAK" })];
    expect(rung(agents, returning, sticky)).toEqual([]);
  });

  it("rings the last agent's phone when that agent is logged on only there", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob", { mobile: "WAITING_NEW_CALL" })];
    expect(rung(agents, returning, sticky)).toEqual(["bob:mobile"]);
  });

  it("rings all free agents once the customer asks all agents", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob", { browser: "SERVING_CUSTOMER" }), agent("carol", { browser: "WAITING_NEW_CALL" })];
    expect(rung(agents, { ...returning, askAll: true }, sticky)).toEqual(["alice:browser", "carol:browser"]);
  });

  it("keeps ringing the last agent, among the others, after ask all when that agent is free", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob", { browser: "WAITING_NEW_CALL" })];
    expect(rung(agents, { ...returning, askAll: true }, sticky)).toEqual(["alice:browser", "bob:browser"]);
  });

  it("rings everyone free when the last agent is not logged on", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob"), agent("carol", { browser: "WAITING_NEW_CALL" })];
    expect(rung(agents, returning, sticky)).toEqual(["alice:browser", "carol:browser"]);
  });

  it("rings everyone free when the last agent is no longer an agent of this room", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("carol", { browser: "WAITING_NEW_CALL" })];
    expect(rung(agents, returning, sticky)).toEqual(["alice:browser", "carol:browser"]);
  });

  it("rings everyone free for a first-time customer", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob", { browser: "WAITING_NEW_CALL" })];
    expect(rung(agents, newCustomer(), sticky)).toEqual(["alice:browser", "bob:browser"]);
  });

  it("ignores the last agent when the room does not assign the same agent", () => {
    const agents = [agent("alice", { browser: "WAITING_NEW_CALL" }), agent("bob", { browser: "WAITING_NEW_CALL" })];
    expect(rung(agents, returning, room({ sameAgent: false }))).toEqual(["alice:browser", "bob:browser"]);
  });
});

describe("nearest to the customer", () => {
  const nearest = room({ assignment: "nearest", plan: "enterprise" });

  it("rings only the closest free agent (customer in Lyon: the agent in Paris)", () => {
    const agents = [
      agent("berlin", { browser: "WAITING_NEW_CALL", location: BERLIN }),
      agent("paris", { browser: "WAITING_NEW_CALL", location: PARIS }),
      agent("tokyo", { browser: "WAITING_NEW_CALL", location: TOKYO }),
    ];
    expect(rung(agents, newCustomer({ location: LYON }), nearest)).toEqual(["paris:browser"]);
  });

  it("rings only the closest free agent (customer in Warsaw: the agent in Berlin)", () => {
    const agents = [
      agent("paris", { browser: "WAITING_NEW_CALL", location: PARIS }),
      agent("berlin", { browser: "WAITING_NEW_CALL", location: BERLIN }),
      agent("tokyo", { browser: "WAITING_NEW_CALL", location: TOKYO }),
    ];
    expect(rung(agents, newCustomer({ location: WARSAW }), nearest)).toEqual(["berlin:browser"]);
  });

  it("passes over a closer agent who is not free", () => {
    const agents = [
      agent("paris", { browser: "SERVING_CUSTOMER", location: PARIS }),
      agent("berlin", { browser: "WAITING_NEW_CALL", location: BERLIN }),
      agent("tokyo", { browser: "WAITING_NEW_CALL", location: TOKYO }),
    ];
    expect(rung(agents, newCustomer({ location: LYON }), nearest)).toEqual(["berlin:browser"]);
  });

  it("skips agents without a location when others have one, however far those are", () => {
    const agents = [agent("nowhere", { browser: "WAITING_NEW_CALL" }), agent("tokyo", { browser: "WAITING_NEW_CALL", location: TOKYO })];
    expect(rung(agents, newCustomer({ location: PARIS }), nearest)).toEqual(["tokyo:browser"]);
  });

  it("rings all free agents when the customer's location is unknown", () => {
    const agents = [agent("paris", { browser: "WAITING_NEW_CALL", location: PARIS }), agent("tokyo", { browser: "WAITING_NEW_CALL", location: TOKYO })];
    expect(rung(agents, newCustomer({ location: null }), nearest)).toEqual(["paris:browser", "tokyo:browser"]);
  });

  it("rings all free agents when no free agent has a location", () => {
    const agents = [
      agent("alice", { browser: "WAITING_NEW_CALL" }),
      agent("bob", { browser: "WAITING_NEW_CALL" }),
      agent("paris", { browser: "TAKING_BREAK", location: PARIS }),
    ];
    expect(rung(agents, newCustomer({ location: LYON }), nearest)).toEqual(["alice:browser", "bob:browser"]);
  });

  it("picks the closest mobile agent when no desktop agent is free", () => {
    const agents = [
      agent("paris", { browser: "TAKING_BREAK", location: PARIS }),
      agent("tokyo", { mobile: "WAITING_NEW_CALL", location: TOKYO }),
      agent("berlin", { mobile: "WAITING_NEW_CALL", location: BERLIN }),
    ];
    expect(rung(agents, newCustomer({ location: OSAKA }), nearest)).toEqual(["tokyo:mobile"]);
  });

  it.each(["free", "pro"] as const)("behaves like quickest reply on the %s plan", (plan) => {
    const agents = [agent("paris", { browser: "WAITING_NEW_CALL", location: PARIS }), agent("tokyo", { browser: "WAITING_NEW_CALL", location: TOKYO })];
    expect(rung(agents, newCustomer({ location: LYON }), room({ assignment: "nearest", plan }))).toEqual(["paris:browser", "tokyo:browser"]);
  });

  it("is not applied on the enterprise plan when the room routes by quickest reply", () => {
    const agents = [agent("paris", { browser: "WAITING_NEW_CALL", location: PARIS }), agent("tokyo", { browser: "WAITING_NEW_CALL", location: TOKYO })];
    expect(rung(agents, newCustomer({ location: LYON }), room({ assignment: "quickest", plan: "enterprise" }))).toEqual(["paris:browser", "tokyo:browser"]);
  });
});

describe("distanceKm", () => {
  it("measures Paris–Berlin as about 878 km", () => {
    expect(Math.abs(distanceKm(PARIS, BERLIN) - 878)).toBeLessThanOrEqual(5);
  });

  it("measures Paris–Tokyo as about 9,710 km", () => {
    expect(Math.abs(distanceKm(PARIS, TOKYO) - 9710)).toBeLessThanOrEqual(25);
  });

  it("is the same both ways and zero on the spot", () => {
    expect(distanceKm(BERLIN, PARIS)).toBeCloseTo(distanceKm(PARIS, BERLIN), 9);
    expect(distanceKm(TOKYO, TOKYO)).toBe(0);
  });
});
