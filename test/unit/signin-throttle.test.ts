import { describe, expect, it } from "vitest";
import { THROTTLES, waitInWords, waitMs, withFailure, type Failures } from "../../worker/accounts/signin-throttle";

const { perClient, perAccount } = THROTTLES;
const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** The count after `n` failures, the last one at `at`. */
const after = (n: number, at = 0): Failures => ({ failures: n, lastFailureAt: at });

describe("sign-in throttling", () => {
  it("lets a client fail five times without waiting", () => {
    expect(waitMs(undefined, perClient, 0)).toBe(0);
    expect(waitMs(after(4), perClient, 0)).toBe(0);
  });

  it("then makes each attempt wait twice as long as the last: 1 s, 2 s, 4 s…", () => {
    expect(waitMs(after(5), perClient, 0)).toBe(1 * SECOND);
    expect(waitMs(after(6), perClient, 0)).toBe(2 * SECOND);
    expect(waitMs(after(7), perClient, 0)).toBe(4 * SECOND);
    expect(waitMs(after(7), perClient, 3 * SECOND)).toBe(1 * SECOND);
    expect(waitMs(after(7), perClient, 4 * SECOND)).toBe(0);
  });

  it("never makes anyone wait more than 15 minutes", () => {
    expect(waitMs(after(14), perClient, 0)).toBe(512 * SECOND);
    expect(waitMs(after(15), perClient, 0)).toBe(15 * MINUTE);
    expect(waitMs(after(10_000), perClient, 0)).toBe(15 * MINUTE);
  });

  it("forgets failures a day after the last one", () => {
    expect(waitMs(after(100), perClient, 24 * 60 * MINUTE)).toBe(0);
    expect(withFailure(after(100), perClient, 24 * 60 * MINUTE)).toEqual(after(1, 24 * 60 * MINUTE));
    expect(withFailure(after(3), perClient, 10)).toEqual(after(4, 10));
    expect(withFailure(undefined, perClient, 10)).toEqual(after(1, 10));
  });

  it("gives an account 50 failures from clients it does not know before they all wait", () => {
    expect(waitMs(after(49), perAccount, 0)).toBe(0);
    expect(waitMs(after(50), perAccount, 0)).toBe(1 * SECOND);
  });

  it("says the wait in words, rounded up", () => {
    expect(waitInWords(1)).toBe("1 second");
    expect(waitInWords(1500)).toBe("2 seconds");
    expect(waitInWords(30 * SECOND)).toBe("30 seconds");
    expect(waitInWords(60 * SECOND)).toBe("1 minute");
    expect(waitInWords(61 * SECOND)).toBe("2 minutes");
    expect(waitInWords(15 * MINUTE)).toBe("15 minutes");
  });
});
