import { describe, expect, it } from "vitest";
import { afterFailure, MAX_ATTEMPTS, retryDelaySeconds, SENT_AT_QUOTA } from "../../worker/mail/delivery";

describe("retryDelaySeconds", () => {
  it("waits 30 s after the first failed attempt, four times longer after each next one, and at most an hour", () => {
    expect([1, 2, 3, 4, 5, 6].map(retryDelaySeconds)).toEqual([30, 120, 480, 1920, 3600, 3600]);
  });
});

describe("afterFailure", () => {
  const now = 1_000_000;
  it("queues a temporary failure again, due after its delay, with the reason", () => {
    expect(afterFailure(2, { reason: "busy", permanent: false }, now)).toEqual({ status: "queued", note: "busy (attempt 2; trying again)", retryInSeconds: 120, nextAttemptAt: now + 120_000 });
  });

  it("gives up at once on a permanent failure, and after the last attempt on any", () => {
    expect(afterFailure(1, { reason: "no such user", permanent: true }, now)).toEqual({ status: "failed", note: "no such user (after 1 attempt)" });
    expect(afterFailure(MAX_ATTEMPTS, { reason: "busy", permanent: false }, now)).toEqual({ status: "failed", note: `busy (after ${MAX_ATTEMPTS} attempts)` });
  });
});

describe("SENT_AT_QUOTA", () => {
  it("lets only a receipt for money taken through once the entitlement is used up", () => {
    expect(SENT_AT_QUOTA).toEqual(["receipt"]);
  });
});
