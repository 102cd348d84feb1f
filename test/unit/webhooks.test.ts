import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { afterFailure, retryDelaySeconds, RETRY_FOR_MS } from "../../worker/webhooks/delivery";
import { checkEndpointUrl } from "../../worker/webhooks/endpoint-url";
import { openSecret, sealSecret } from "../../worker/webhooks/secret";
import { signatureHeader, verifySignature } from "../../worker/webhooks/signature";

const KEY = Buffer.alloc(32, 7).toString("base64");

describe("the Parley-Signature header", () => {
  it("is t=<seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>, as Node's crypto computes it", async () => {
    const body = '{"id":"evt_1","type":"chat.started"}';
    const header = await signatureHeader("whsec_abc", body, 1_700_000_000);
    expect(header).toBe(`t=1700000000,v1=${createHmac("sha256", "whsec_abc").update(`1700000000.${body}`).digest("hex")}`);
    expect(await verifySignature("whsec_abc", header, body, 1_700_000_100)).toBe(true);
  });

  it("does not verify with another secret, another body, or a timestamp older than five minutes", async () => {
    const header = await signatureHeader("whsec_abc", "{}", 1_700_000_000);
    expect(await verifySignature("whsec_other", header, "{}", 1_700_000_000)).toBe(false);
    expect(await verifySignature("whsec_abc", header, "{ }", 1_700_000_000)).toBe(false);
    expect(await verifySignature("whsec_abc", header, "{}", 1_700_000_301)).toBe(false);
  });
});

describe("endpoint URLs", () => {
  it("takes https to a public host in production", () => {
    expect(checkEndpointUrl(" https://hooks.example.com/parley ", false)).toEqual({ ok: true, url: "https://hooks.example.com/parley" });
  });

  it.each([
    ["http://hooks.example.com/", "Use an https:// URL."],
    ["http://localhost:3000/", "Use an https:// URL."],
    ["https://localhost/", "That address is on a private network; use a public one."],
    ["https://127.0.0.1/", "That address is on a private network; use a public one."],
    ["https://2130706433/", "That address is on a private network; use a public one."],
    ["https://10.1.2.3/", "That address is on a private network; use a public one."],
    ["https://172.20.0.1/", "That address is on a private network; use a public one."],
    ["https://192.168.0.1/", "That address is on a private network; use a public one."],
    ["https://169.254.169.254/", "That address is on a private network; use a public one."],
    ["https://100.64.0.1/", "That address is on a private network; use a public one."],
    ["https://[::1]/", "That address is on a private network; use a public one."],
    ["https://[fe80::1]/", "That address is on a private network; use a public one."],
    ["https://[fc00::1]/", "That address is on a private network; use a public one."],
    ["https://[::ffff:127.0.0.1]/", "That address is on a private network; use a public one."],
    ["https://db.internal/", "That address is on a private network; use a public one."],
    ["https://user:pw@hooks.example.com/", "Leave the user name and password out of the URL."],
    ["ftp://hooks.example.com/", "Use an https:// URL."],
    ["hooks.example.com", "Enter a full URL, such as https://example.com/parley/webhooks."],
  ])("refuses %s in production", (url, error) => {
    expect(checkEndpointUrl(url, false)).toEqual({ ok: false, error });
  });

  it("takes http://localhost and 127.0.0.1 on a local server, and nothing else over http", () => {
    expect(checkEndpointUrl("http://localhost:4000/hook", true)).toEqual({ ok: true, url: "http://localhost:4000/hook" });
    expect(checkEndpointUrl("http://127.0.0.1:4000/hook", true).ok).toBe(true);
    expect(checkEndpointUrl("http://192.168.0.1/hook", true)).toEqual({ ok: false, error: "Use an https:// URL (http:// only for localhost)." });
    expect(checkEndpointUrl("https://10.0.0.1/hook", true).ok).toBe(false);
  });
});

describe("retries", () => {
  it("back off 30 s, 2 min, 8 min, 32 min, 2 h 8 min, then every 4 hours", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelaySeconds)).toEqual([30, 120, 480, 1920, 7680, 14400, 14400]);
  });

  it("go on for 24 hours from the event, the last one at the day's end, then give up", () => {
    const created = 0;
    let now = created;
    let attempts = 0;
    for (;;) {
      attempts++;
      const after = afterFailure(created, attempts, "The endpoint answered 500", now);
      if (after.status === "failed") {
        expect(after.note).toBe(`The endpoint answered 500 (given up after ${attempts} attempts over 24 hours)`);
        break;
      }
      now = after.nextAttemptAt;
      expect(now).toBeLessThanOrEqual(created + RETRY_FOR_MS);
    }
    expect(now).toBe(created + RETRY_FOR_MS);
    expect(attempts).toBe(12);
  });
});

describe("sealed secrets", () => {
  it("open with the key for the endpoint they were sealed for, and for no other", async () => {
    const sealed = await sealSecret(KEY, "endpoint-1", "whsec_secret");
    expect(sealed).not.toContain("whsec_secret");
    expect(await openSecret(KEY, "endpoint-1", sealed)).toBe("whsec_secret");
    await expect(openSecret(KEY, "endpoint-2", sealed)).rejects.toThrow();
    await expect(openSecret(Buffer.alloc(32, 8).toString("base64"), "endpoint-1", sealed)).rejects.toThrow();
  });
});
