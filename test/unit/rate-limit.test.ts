import { describe, expect, it } from "vitest";
import { POLICIES, isHeld, minutesUntilFree } from "../../worker/http/rate-limit";

const { signinEmail, signinIp, contactIp } = POLICIES;

describe("fixed-window rate limits", () => {
  it("holds an email after 5 failed sign-ins inside 15 minutes", () => {
    expect(isHeld(undefined, signinEmail, 0)).toBe(false);
    expect(isHeld({ key: "e", count: 4, windowStart: 0 }, signinEmail, 1000)).toBe(false);
    expect(isHeld({ key: "e", count: 5, windowStart: 0 }, signinEmail, 1000)).toBe(true);
  });

  it("gives one IP address 50 failed sign-ins, since people share addresses", () => {
    expect(isHeld({ key: "ip", count: 5, windowStart: 0 }, signinIp, 1)).toBe(false);
    expect(isHeld({ key: "ip", count: 50, windowStart: 0 }, signinIp, 1)).toBe(true);
  });

  it("lets one IP send 10 contact forms in 10 minutes, then holds it", () => {
    expect(isHeld({ key: "ip", count: 9, windowStart: 0 }, contactIp, 60_000)).toBe(false);
    expect(isHeld({ key: "ip", count: 10, windowStart: 0 }, contactIp, 60_000)).toBe(true);
  });

  it("releases the key when the window has passed", () => {
    const held = { key: "k", count: 5, windowStart: 0 };
    expect(isHeld(held, signinEmail, signinEmail.windowMs - 1)).toBe(true);
    expect(isHeld(held, signinEmail, signinEmail.windowMs)).toBe(false);
  });

  it("tells the person how many whole minutes to wait", () => {
    const held = { key: "k", count: 5, windowStart: 0 };
    expect(minutesUntilFree(held, signinEmail, 60_000)).toBe(14);
    expect(minutesUntilFree(held, signinEmail, signinEmail.windowMs - 1)).toBe(1);
  });
});
