import { exports } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Agent, connectedChat, liveCompany, team, untilState } from "./live";
import { closeAllSockets } from "./sockets";

// The public statistics API: the object of spec/chat-room-customizations.txt ("The object
// information example"), key for key and in the same order, live from the room's Durable Object.

afterEach(closeAllSockets);

const get = (path: string, headers: Record<string, string> = {}) => exports.default.fetch(new Request(`https://parley.test${path}`, { headers }));

type Counts = [takingBreak: number, waiting: number, remoteHangup: number, hangUp: number, serving: number];
/** A status summary in the spec's key order. */
const counts = ([TAKING_BREAK, WAITING_NEW_CALL, REMOTE_CUSTOMER_HANGUP, HANG_UP, SERVING_CUSTOMER]: Counts) => ({
  TAKING_BREAK,
  WAITING_NEW_CALL,
  REMOTE_CUSTOMER_HANGUP,
  HANG_UP,
  SERVING_CUSTOMER,
});
const NONE: Counts = [0, 0, 0, 0, 0];

/** An agent in the details: the spec's fields, then Parley's customers' rating of the agent. */
type Row = { agentID: string; agName: string; browserAgentStatus: string | null; mobileAppAgentStatus: string | null; averageRating: number | null; ratings: number };
/** The rating fields of an agent no customer has rated. */
const UNRATED = { averageRating: null, ratings: 0 };
const brief = (chatRoom: string, total: number, browser: Counts, mobile: Counts) => ({
  result: "OK",
  chatRoom,
  totalAgentLogon: total,
  agStatSummary: { browserAgentStatus: counts(browser), mobileAppAgentStatus: counts(mobile) },
});
const detailed = (chatRoom: string, total: number, browser: Counts, mobile: Counts, rows: Row[]) => ({ ...brief(chatRoom, total, browser, mobile), agStatDetails: rows });

/** The body exactly as sent: same keys, same order, same values. */
async function expectBody(path: string, expected: object) {
  const res = await get(path);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  expect(await res.text()).toBe(JSON.stringify(expected));
}

describe("GET /api/stats/:company/:room and /details", () => {
  it("answer in exactly the spec's shape and key order, as in its example of two agents on browser and mobile, each agent's rating after the spec's fields", async () => {
    const co = await liveCompany("spec-stats", {
      agents: [
        { name: "Test Free 19", email: "testfree19@spec-stats.test" },
        { name: "Test 191", email: "testfree191@spec-stats.test" },
      ],
    });
    for (const email of ["testfree19@spec-stats.test", "testfree191@spec-stats.test"]) {
      const agent = await Agent.signIn(co, email);
      await agent.console("browser");
      await agent.console("mobile");
      await untilState("spec-stats", "GENERAL", email, ["WAITING_NEW_CALL", "WAITING_NEW_CALL"]);
    }

    await expectBody("/api/stats/spec-stats/GENERAL", brief("GENERAL", 2, [0, 2, 0, 0, 0], [0, 2, 0, 0, 0]));
    await expectBody(
      "/api/stats/spec-stats/GENERAL/details",
      detailed("GENERAL", 2, [0, 2, 0, 0, 0], [0, 2, 0, 0, 0], [
        { agentID: "testfree19@spec-stats.test", agName: "Test Free 19", browserAgentStatus: "WAITING_NEW_CALL", mobileAppAgentStatus: "WAITING_NEW_CALL", ...UNRATED },
        { agentID: "testfree191@spec-stats.test", agName: "Test 191", browserAgentStatus: "WAITING_NEW_CALL", mobileAppAgentStatus: "WAITING_NEW_CALL", ...UNRATED },
      ]),
    );
  });

  it("report a room nobody has logged on to with zeros and no agents", async () => {
    await team("empty-stats", ["Alice Martin"]);
    await expectBody("/api/stats/empty-stats/GENERAL", brief("GENERAL", 0, NONE, NONE));
    await expectBody("/api/stats/empty-stats/GENERAL/details", detailed("GENERAL", 0, NONE, NONE, []));
  });

  it("change live as agents connect, change state and disconnect; a console that is not connected is null", async () => {
    const { company, agents: [alice, bob] } = await team("live-stats", ["Alice Martin", "Bob Chen"]);
    const slug = company.slug;
    const row = (a: Agent, browser: string | null, mobile: string | null): Row => ({ agentID: a.email, agName: a.name, browserAgentStatus: browser, mobileAppAgentStatus: mobile, ...UNRATED });
    const details = `/api/stats/${slug}/GENERAL/details`;

    const aliceDesk = await alice.console("browser");
    await untilState(slug, "GENERAL", alice.email, ["WAITING_NEW_CALL", null]);
    await expectBody(details, detailed("GENERAL", 1, [0, 1, 0, 0, 0], NONE, [row(alice, "WAITING_NEW_CALL", null)]));

    const alicePhone = await alice.console("mobile");
    await untilState(slug, "GENERAL", alice.email, ["WAITING_NEW_CALL", "WAITING_NEW_CALL"]);
    const bobDesk = await bob.console("browser");
    await bob.choose(bobDesk, "TAKING_BREAK");
    await expectBody(
      details,
      detailed("GENERAL", 2, [1, 1, 0, 0, 0], [0, 1, 0, 0, 0], [row(alice, "WAITING_NEW_CALL", "WAITING_NEW_CALL"), row(bob, "TAKING_BREAK", null)]),
    );

    const { customerSocket } = await connectedChat(alice, aliceDesk);
    await untilState(slug, "GENERAL", alice.email, ["SERVING_CUSTOMER", "WAITING_NEW_CALL"]);
    await expectBody(`/api/stats/${slug}/GENERAL`, brief("GENERAL", 2, [1, 0, 0, 0, 1], [0, 1, 0, 0, 0]));

    customerSocket.send({ type: "hangup" });
    await untilState(slug, "GENERAL", alice.email, ["REMOTE_CUSTOMER_HANGUP", "WAITING_NEW_CALL"]);
    await expectBody(`/api/stats/${slug}/GENERAL`, brief("GENERAL", 2, [1, 0, 1, 0, 0], [0, 1, 0, 0, 0]));

    alicePhone.close();
    await untilState(slug, "GENERAL", alice.email, ["REMOTE_CUSTOMER_HANGUP", null]);
    await expectBody(
      details,
      detailed("GENERAL", 2, [1, 0, 1, 0, 0], NONE, [row(alice, "REMOTE_CUSTOMER_HANGUP", null), row(bob, "TAKING_BREAK", null)]),
    );

    aliceDesk.close();
    bobDesk.close();
    await untilState(slug, "GENERAL", alice.email, null);
    await untilState(slug, "GENERAL", bob.email, null);
    await expectBody(details, detailed("GENERAL", 0, NONE, NONE, []));
  });

  it("count only the agents who serve that room", async () => {
    const co = await liveCompany("rooms-stats", {
      rooms: ["SALES"],
      agents: [
        { name: "Alice Martin", email: "alice@rooms-stats.test", rooms: ["GENERAL", "SALES"] },
        { name: "Bob Chen", email: "bob@rooms-stats.test", rooms: ["SALES"] },
      ],
    });
    for (const email of ["alice@rooms-stats.test", "bob@rooms-stats.test"]) {
      await (await Agent.signIn(co, email)).console();
      await untilState("rooms-stats", "SALES", email, ["WAITING_NEW_CALL", null]);
    }
    await expectBody("/api/stats/rooms-stats/SALES", brief("SALES", 2, [0, 2, 0, 0, 0], NONE));
    await expectBody("/api/stats/rooms-stats/GENERAL", brief("GENERAL", 1, [0, 1, 0, 0, 0], NONE));
  });

  it("report an agent's private room by its ~handle", async () => {
    const { agents: [alice] } = await team("private-stats", ["Alice Martin", "Bob Chen"]);
    await alice.online("browser", ["~alice-martin"]);
    await expectBody(
      "/api/stats/private-stats/~alice-martin/details",
      detailed("~alice-martin", 1, [0, 1, 0, 0, 0], NONE, [{ agentID: alice.email, agName: "Alice Martin", browserAgentStatus: "WAITING_NEW_CALL", mobileAppAgentStatus: null, ...UNRATED }]),
    );
  });

  it("are open to any origin (CORS) and set no cookies", async () => {
    await team("cors-stats", ["Alice Martin"]);
    for (const path of ["/api/stats/cors-stats/GENERAL", "/api/stats/cors-stats/GENERAL/details"]) {
      const res = await get(path, { origin: "https://someone-elses-site.example" });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    const preflight = await exports.default.fetch(
      new Request("https://parley.test/api/stats/cors-stats/GENERAL", {
        method: "OPTIONS",
        headers: { origin: "https://someone-elses-site.example", "access-control-request-method": "GET" },
      }),
    );
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");
  });

});

describe("GET /api/stats of something that does not exist", () => {
  beforeAll(async () => {
    await team("known-stats", ["Alice Martin"]);
  });

  it.each([
    ["an unknown company", "/api/stats/no-such-company/GENERAL"],
    ["an unknown room", "/api/stats/known-stats/NO_SUCH_ROOM"],
    ["an unknown room, details", "/api/stats/known-stats/NO_SUCH_ROOM/details"],
    ["an unknown agent's private room", "/api/stats/known-stats/~nobody"],
  ])("answers %s with 404 and a JSON error result, readable from any origin", async (_, path) => {
    const res = await get(path, { origin: "https://someone-elses-site.example" });
    expect(res.status).toBe(404);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.json()).toEqual({ result: "ERROR", error: "No such chat room." });
  });
});
