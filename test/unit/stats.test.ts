import { describe, expect, it } from "vitest";
import type { AgentPresence, AgentStatus } from "../../worker/routing/presence";
import { roomStats, withRatings, type AgentStat } from "../../worker/routing/stats";

function agent(email: string, name: string, browser: AgentStatus | null, mobile: AgentStatus | null): AgentPresence {
  return { agentId: `id-${name}`, email, name, browser, mobile, location: null, activeChats: 0 };
}

// The two agents of the spec's "object information example", free on both devices.
const specAgents = [
  agent("testfree19@2connectme.com", "Test Free 19", "WAITING_NEW_CALL", "WAITING_NEW_CALL"),
  agent("testfree191@2connectme.com", "Test 191", "WAITING_NEW_CALL", "WAITING_NEW_CALL"),
];

// Copied from spec/chat-room-customizations.txt, "The object information example", line breaks removed.
const SPEC_EXAMPLE =
  '{"result":"OK","chatRoom":"GENERAL","totalAgentLogon":2,' +
  '"agStatSummary":{' +
  '"browserAgentStatus":{"TAKING_BREAK":0,"WAITING_NEW_CALL":2,"REMOTE_CUSTOMER_HANGUP":0,"HANG_UP":0,"SERVING_CUSTOMER":0},' +
  '"mobileAppAgentStatus":{"TAKING_BREAK":0,"WAITING_NEW_CALL":2,"REMOTE_CUSTOMER_HANGUP":0,"HANG_UP":0,"SERVING_CUSTOMER":0}},' +
  '"agStatDetails":' +
  '[{"agentID":"testfree19@2connectme.com","agName":"Test Free 19","browserAgentStatus":"WAITING_NEW_CALL","mobileAppAgentStatus":"WAITING_NEW_CALL"},' +
  '{"agentID":"testfree191@2connectme.com","agName":"Test 191","browserAgentStatus":"WAITING_NEW_CALL","mobileAppAgentStatus":"WAITING_NEW_CALL"}]' +
  "}";

const zeros = { TAKING_BREAK: 0, WAITING_NEW_CALL: 0, REMOTE_CUSTOMER_HANGUP: 0, HANG_UP: 0, SERVING_CUSTOMER: 0 };

describe("room statistics (details)", () => {
  it("serialises exactly as the spec's example, key order included", () => {
    expect(JSON.stringify(roomStats("GENERAL", specAgents, true))).toBe(SPEC_EXAMPLE);
  });

  it("names the chat room it was computed for", () => {
    expect(roomStats("PREAUTHORISED_CARD_AUTO_CHARGE_END", specAgents, true).chatRoom).toBe("PREAUTHORISED_CARD_AUTO_CHARGE_END");
  });

  describe("with agents in every state", () => {
    const agents = [
      agent("alice@demo.test", "Alice", "WAITING_NEW_CALL", null),
      agent("bob@demo.test", "Bob", "SERVING_CUSTOMER", "TAKING_BREAK"),
      agent("carol@demo.test", "Carol", null, "WAITING_NEW_CALL"),
      agent("dave@demo.test", "Dave", null, null),
      agent("erin@demo.test", "Erin", "HANG_UP", "REMOTE_CUSTOMER_HANGUP"),
      agent("frank@demo.test", "Frank", "WAITING_NEW_CALL", "WAITING_NEW_CALL"),
    ];
    const stats = roomStats("GENERAL", agents, true);

    it("counts each device's consoles per status", () => {
      expect(stats.agStatSummary).toEqual({
        browserAgentStatus: { ...zeros, WAITING_NEW_CALL: 2, SERVING_CUSTOMER: 1, HANG_UP: 1 },
        mobileAppAgentStatus: { ...zeros, TAKING_BREAK: 1, WAITING_NEW_CALL: 2, REMOTE_CUSTOMER_HANGUP: 1 },
      });
    });

    it("counts as logged on every agent with at least one device connected, each once", () => {
      // Alice (browser), Bob (both), Carol (mobile), Erin (both), Frank (both); Dave is offline.
      expect(stats.totalAgentLogon).toBe(5);
    });

    it("lists the logged-on agents, by email and name, with null for a device not connected", () => {
      expect(stats.agStatDetails).toEqual([
        { agentID: "alice@demo.test", agName: "Alice", browserAgentStatus: "WAITING_NEW_CALL", mobileAppAgentStatus: null },
        { agentID: "bob@demo.test", agName: "Bob", browserAgentStatus: "SERVING_CUSTOMER", mobileAppAgentStatus: "TAKING_BREAK" },
        { agentID: "carol@demo.test", agName: "Carol", browserAgentStatus: null, mobileAppAgentStatus: "WAITING_NEW_CALL" },
        { agentID: "erin@demo.test", agName: "Erin", browserAgentStatus: "HANG_UP", mobileAppAgentStatus: "REMOTE_CUSTOMER_HANGUP" },
        { agentID: "frank@demo.test", agName: "Frank", browserAgentStatus: "WAITING_NEW_CALL", mobileAppAgentStatus: "WAITING_NEW_CALL" },
      ]);
    });

    it("writes a device that is not connected as JSON null, not as a missing key", () => {
      const json = JSON.stringify(stats);
      expect(json).toContain('{"agentID":"alice@demo.test","agName":"Alice","browserAgentStatus":"WAITING_NEW_CALL","mobileAppAgentStatus":null}');
      expect(json).toContain('{"agentID":"carol@demo.test","agName":"Carol","browserAgentStatus":null,"mobileAppAgentStatus":"WAITING_NEW_CALL"}');
      expect(json).not.toContain("dave@demo.test");
    });

    it("answers the spec's question 'who is free on which device?'", () => {
      const details = stats.agStatDetails ?? [];
      expect(details.filter((a) => a.browserAgentStatus === "WAITING_NEW_CALL").map((a) => a.agName)).toEqual(["Alice", "Frank"]);
      expect(details.filter((a) => a.mobileAppAgentStatus === "WAITING_NEW_CALL").map((a) => a.agName)).toEqual(["Carol", "Frank"]);
    });
  });

  it("reports an empty room with zero counts and an empty list", () => {
    const stats = roomStats("GENERAL", [agent("dave@demo.test", "Dave", null, null)], true);
    expect(JSON.stringify(stats)).toBe(
      '{"result":"OK","chatRoom":"GENERAL","totalAgentLogon":0,' +
        '"agStatSummary":{' +
        '"browserAgentStatus":{"TAKING_BREAK":0,"WAITING_NEW_CALL":0,"REMOTE_CUSTOMER_HANGUP":0,"HANG_UP":0,"SERVING_CUSTOMER":0},' +
        '"mobileAppAgentStatus":{"TAKING_BREAK":0,"WAITING_NEW_CALL":0,"REMOTE_CUSTOMER_HANGUP":0,"HANG_UP":0,"SERVING_CUSTOMER":0}},' +
        '"agStatDetails":[]}',
    );
  });
});

describe("room statistics (brief)", () => {
  it("serialises as the spec's example without agStatDetails", () => {
    expect(JSON.stringify(roomStats("GENERAL", specAgents, false))).toBe(
      '{"result":"OK","chatRoom":"GENERAL","totalAgentLogon":2,' +
        '"agStatSummary":{' +
        '"browserAgentStatus":{"TAKING_BREAK":0,"WAITING_NEW_CALL":2,"REMOTE_CUSTOMER_HANGUP":0,"HANG_UP":0,"SERVING_CUSTOMER":0},' +
        '"mobileAppAgentStatus":{"TAKING_BREAK":0,"WAITING_NEW_CALL":2,"REMOTE_CUSTOMER_HANGUP":0,"HANG_UP":0,"SERVING_CUSTOMER":0}}}',
    );
  });

  it("has no agStatDetails key at all", () => {
    expect(Object.keys(roomStats("GENERAL", specAgents, false))).toEqual(["result", "chatRoom", "totalAgentLogon", "agStatSummary"]);
  });

  it("carries the same counts as the details form", () => {
    const agents = [
      agent("alice@demo.test", "Alice", "TAKING_BREAK", null),
      agent("bob@demo.test", "Bob", null, "SERVING_CUSTOMER"),
      agent("dave@demo.test", "Dave", null, null),
    ];
    const brief = roomStats("GENERAL", agents, false);
    const { agStatDetails: _details, ...withoutDetails } = roomStats("GENERAL", agents, true);
    expect(brief).toEqual(withoutDetails);
    expect(brief.totalAgentLogon).toBe(2);
    expect(brief.agStatSummary.browserAgentStatus).toEqual({ ...zeros, TAKING_BREAK: 1 });
    expect(brief.agStatSummary.mobileAppAgentStatus).toEqual({ ...zeros, SERVING_CUSTOMER: 1 });
  });
});

describe("withRatings (statistics details)", () => {
  const alice: AgentStat = { agentID: "alice@x.test", agName: "Alice", browserAgentStatus: "WAITING_NEW_CALL", mobileAppAgentStatus: null };
  const bob: AgentStat = { agentID: "bob@x.test", agName: "Bob", browserAgentStatus: null, mobileAppAgentStatus: "TAKING_BREAK" };

  it("adds each agent's average and count after the spec's fields, in the spec's order", () => {
    const rows = withRatings([alice, bob], new Map([["alice@x.test", { sum: 9, count: 2 }]]));
    expect(JSON.stringify(rows)).toBe(
      '[{"agentID":"alice@x.test","agName":"Alice","browserAgentStatus":"WAITING_NEW_CALL","mobileAppAgentStatus":null,"averageRating":4.5,"ratings":2},' +
        '{"agentID":"bob@x.test","agName":"Bob","browserAgentStatus":null,"mobileAppAgentStatus":"TAKING_BREAK","averageRating":null,"ratings":0}]',
    );
  });
});
