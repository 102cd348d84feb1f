import { describe, expect, it } from "vitest";
import { ALERT_LIFETIME_MS, alertFate, type OpenAlert } from "../../worker/alerts/free-alert";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const alert = (over: Partial<OpenAlert> = {}): OpenAlert => ({ id: "a1", chatId: "c1", createdAt: NOW - 60_000, chatAnswered: false, ...over });

describe("alertFate", () => {
  it("emails a customer who left unanswered", () => {
    expect(alertFate(alert(), new Set(), NOW)).toBe("notified");
  });
  it("lets a customer still in the queue wait: they are rung like anyone", () => {
    expect(alertFate(alert(), new Set(["c1"]), NOW)).toBe("wait");
  });
  it("needs no mail once an agent answered the chat", () => {
    expect(alertFate(alert({ chatAnswered: true }), new Set(), NOW)).toBe("served");
  });
  it("expires a day after it was asked for, even for a customer still waiting", () => {
    expect(alertFate(alert({ createdAt: NOW - ALERT_LIFETIME_MS }), new Set(["c1"]), NOW)).toBe("expired");
    expect(alertFate(alert({ createdAt: NOW - ALERT_LIFETIME_MS + 1 }), new Set(), NOW)).toBe("notified");
  });
});
