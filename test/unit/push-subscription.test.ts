import { describe, expect, it } from "vitest";
import { deviceLabel, deviceSubscription } from "../../worker/push/subscription";

// How a device is named in the agent's list, and which subscriptions a browser may send.

describe("device labels", () => {
  it.each([
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36", "Chrome on Android"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0", "Edge on Windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on macOS"],
    [undefined, "A browser"],
  ])("%s is %s", (ua, label) => {
    expect(deviceLabel(ua)).toBe(label);
  });
});

describe("subscriptions a browser sends", () => {
  const keys = { p256dh: `B${"A".repeat(86)}`, auth: "A".repeat(22) };

  it("takes an https endpoint with a 65-byte public key and a 16-byte secret", () => {
    expect(deviceSubscription.safeParse({ endpoint: "https://fcm.googleapis.com/fcm/send/abc", keys }).success).toBe(true);
  });

  it("refuses plain http, short keys and missing keys", () => {
    expect(deviceSubscription.safeParse({ endpoint: "http://push.example/abc", keys }).success).toBe(false);
    expect(deviceSubscription.safeParse({ endpoint: "https://push.example/abc", keys: { ...keys, p256dh: "short" } }).success).toBe(false);
    expect(deviceSubscription.safeParse({ endpoint: "https://push.example/abc" }).success).toBe(false);
  });
});
