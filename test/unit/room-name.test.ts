import { describe, expect, it } from "vitest";
import { PLAN_LIMITS, roomLimit, roomLimitReached } from "../../worker/accounts/plan-limits";
import { roomName } from "../../worker/rooms/room-name";

describe("roomName", () => {
  it.each([
    ["GENERAL", "GENERAL"],
    ["CHARGE_DURATION_ON_DEMAND", "CHARGE_DURATION_ON_DEMAND"],
    ["billing support", "BILLING_SUPPORT"],
    [" after-sales  2 ", "AFTER_SALES_2"],
  ])("reads %j as %s", (typed, name) => {
    expect(roomName.parse(typed)).toBe(name);
  });

  it.each(["", "   ", "2ND", "_SALES", "SALES_", "A__B", "SALES!", "ÉQUIPE", "~alice", "A".repeat(41)])("refuses %j", (typed) => {
    expect(roomName.safeParse(typed).success).toBe(false);
  });
});

describe("plan limits", () => {
  it("gives Forever Free GENERAL alone, and nearest-agent routing to Large Enterprise only", () => {
    expect(roomLimit("free")).toBe(1);
    expect(roomLimit("pro")).toBeGreaterThan(1);
    expect(roomLimit("enterprise")).toBeGreaterThan(roomLimit("pro"));
    expect(Object.entries(PLAN_LIMITS).filter(([, l]) => l.nearestAgent).map(([plan]) => plan)).toEqual(["enterprise"]);
  });

  it("says why no room can be added once the plan's rooms are open", () => {
    expect(roomLimitReached("free", 0)).toBeNull();
    expect(roomLimitReached("free", 1)).toMatch(/GENERAL room only/);
    expect(roomLimitReached("pro", roomLimit("pro") - 1)).toBeNull();
    expect(roomLimitReached("pro", roomLimit("pro"))).toMatch(/upgrade to Large Enterprise/);
    expect(roomLimitReached("enterprise", roomLimit("enterprise"))).not.toMatch(/upgrade/);
  });
});
