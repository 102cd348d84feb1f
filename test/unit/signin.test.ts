import { describe, expect, it } from "vitest";
import { refusedSignIn, signInLimits } from "../../worker/accounts/signin";
import { THROTTLES } from "../../worker/accounts/signin-throttle";
import { POLICIES } from "../../worker/http/rate-limit";

describe("the counts a sign-in is slowed by", () => {
  it("counts a client the account does not know by its IP address, per account, and per IP across accounts", () => {
    expect(signInLimits("me@parley.test", { ip: "203.0.113.9", deviceToken: "token" }, null)).toEqual({
      perClient: { key: "signin:me@parley.test:ip:203.0.113.9", throttle: THROTTLES.perClient },
      perAccount: { key: "signin:me@parley.test", throttle: THROTTLES.perAccount },
      perIp: { key: "signin-ip:203.0.113.9", policy: POLICIES.signinIp },
    });
  });

  it("counts a device that signed in to the account before by its hash, whatever address it comes from", () => {
    const here = signInLimits("me@parley.test", { ip: "203.0.113.9" }, "abc123");
    const there = signInLimits("me@parley.test", { ip: "198.51.100.7" }, "abc123");
    expect(here.perClient.key).toBe("signin:me@parley.test:device:abc123");
    expect(there.perClient.key).toBe(here.perClient.key);
  });
});

describe("what a refused sign-in is told", () => {
  it("does not say whether the email or the password was wrong", () => {
    const unknown = refusedSignIn(undefined, false);
    const wrongPassword = refusedSignIn({ disabled: false }, false);
    expect(unknown.status).toBe(401);
    expect(wrongPassword.message).toBe(unknown.message);
    expect(unknown.message).toBe("That email and password do not match an account.");
  });

  it("says the account is disabled only to someone who knows its password", () => {
    expect(refusedSignIn({ disabled: true }, true).message).toBe("This account has been disabled by your administrator.");
    expect(refusedSignIn({ disabled: true }, false).message).toBe("That email and password do not match an account.");
  });
});
