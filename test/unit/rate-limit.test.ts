import { describe, expect, it } from "vitest";
import { POLICIES, isHeld, minutesUntilFree } from "../../worker/http/rate-limit";

const { signinIp, contactIp } = POLICIES;

describe("fixed-window rate limits", () => {
  it("gives one IP address 50 failed sign-ins, since people share addresses", () => {
    expect(isHeld({ key: "ip", count: 5, windowStart: 0 }, signinIp, 1)).toBe(false);
    expect(isHeld({ key: "ip", count: 50, windowStart: 0 }, signinIp, 1)).toBe(true);
  });

  it("lets one IP send 10 contact forms in 10 minutes, then holds it", () => {
    expect(isHeld({ key: "ip", count: 9, windowStart: 0 }, contactIp, 60_000)).toBe(false);
    expect(isHeld({ key: "ip", count: 10, windowStart: 0 }, contactIp, 60_000)).toBe(true);
  });

  it("releases the key when the window has passed", () => {
    const held = { key: "k", count: 50, windowStart: 0 };
    expect(isHeld(held, signinIp, signinIp.windowMs - 1)).toBe(true);
    expect(isHeld(held, signinIp, signinIp.windowMs)).toBe(false);
  });

  it("tells the person how many whole minutes to wait", () => {
    const held = { key: "k", count: 50, windowStart: 0 };
    expect(minutesUntilFree(held, signinIp, 60_000)).toBe(14);
    expect(minutesUntilFree(held, signinIp, signinIp.windowMs - 1)).toBe(1);
  });
});
