import { describe, expect, it } from "vitest";
import { EMAIL_LIMIT, IP_LIMIT, WINDOW_MS, isLockedOut, minutesUntilRetry, recordFailure } from "../../worker/accounts/throttle";

describe("sign-in brake", () => {
  it(`locks an email after ${EMAIL_LIMIT} failures inside the window`, () => {
    let record = recordFailure("email:a@b.test", undefined, 0);
    for (let i = 1; i < EMAIL_LIMIT; i++) {
      expect(isLockedOut(record, i)).toBe(false);
      record = recordFailure("email:a@b.test", record, i);
    }
    expect(record.count).toBe(EMAIL_LIMIT);
    expect(isLockedOut(record, 1000)).toBe(true);
  });

  it(`gives one IP address ${IP_LIMIT} tries, since people share addresses`, () => {
    expect(isLockedOut({ key: "ip:1.2.3.4", count: EMAIL_LIMIT, windowStart: 0 }, 1)).toBe(false);
    expect(isLockedOut({ key: "ip:1.2.3.4", count: IP_LIMIT, windowStart: 0 }, 1)).toBe(true);
  });

  it("unlocks when the window has passed and starts counting afresh", () => {
    const locked = { key: "email:a@b.test", count: EMAIL_LIMIT, windowStart: 0 };
    expect(isLockedOut(locked, WINDOW_MS)).toBe(false);
    expect(recordFailure("email:a@b.test", locked, WINDOW_MS)).toEqual({ key: "email:a@b.test", count: 1, windowStart: WINDOW_MS });
  });

  it("tells the person how many whole minutes to wait", () => {
    const locked = { key: "email:a@b.test", count: EMAIL_LIMIT, windowStart: 0 };
    expect(minutesUntilRetry(locked, 60_000)).toBe(14);
    expect(minutesUntilRetry(locked, WINDOW_MS - 1)).toBe(1);
  });
});
