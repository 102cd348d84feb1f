import { describe, expect, it } from "vitest";
import { POLICIES, countEvent, isHeld, minutesUntilFree, type Counter } from "../../worker/http/rate-limit";

const { signinEmail, signinIp, contactIp } = POLICIES;

describe("fixed-window rate limits", () => {
  it("holds an email after 5 failed sign-ins inside 15 minutes", () => {
    let counter: Counter | undefined;
    for (let i = 0; i < 5; i++) {
      expect(isHeld(counter, signinEmail, i)).toBe(false);
      counter = countEvent("signin-email:a@b.test", counter, signinEmail, i);
    }
    expect(counter!.count).toBe(5);
    expect(isHeld(counter, signinEmail, 1000)).toBe(true);
  });

  it("gives one IP address 50 failed sign-ins, since people share addresses", () => {
    expect(isHeld({ key: "ip", count: 5, windowStart: 0 }, signinIp, 1)).toBe(false);
    expect(isHeld({ key: "ip", count: 50, windowStart: 0 }, signinIp, 1)).toBe(true);
  });

  it("lets one IP send 10 contact forms in 10 minutes, then holds it", () => {
    expect(isHeld({ key: "ip", count: 9, windowStart: 0 }, contactIp, 60_000)).toBe(false);
    expect(isHeld({ key: "ip", count: 10, windowStart: 0 }, contactIp, 60_000)).toBe(true);
  });

  it("releases the key when the window has passed and starts counting afresh", () => {
    const held = { key: "k", count: 5, windowStart: 0 };
    expect(isHeld(held, signinEmail, signinEmail.windowMs)).toBe(false);
    expect(countEvent("k", held, signinEmail, signinEmail.windowMs)).toEqual({ key: "k", count: 1, windowStart: signinEmail.windowMs });
  });

  it("tells the person how many whole minutes to wait", () => {
    const held = { key: "k", count: 5, windowStart: 0 };
    expect(minutesUntilFree(held, signinEmail, 60_000)).toBe(14);
    expect(minutesUntilFree(held, signinEmail, signinEmail.windowMs - 1)).toBe(1);
  });
});
