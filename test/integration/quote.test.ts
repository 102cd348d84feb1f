import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { Browser, signUpAs } from "./client";

/**
 * DESIGN.md "The meter, exactly", transcribed independently of worker/billing: nothing within the
 * free minutes, then P for the first N minutes, then started 30-second blocks pro rata, half up.
 */
function designAmount({ F, P, N }: { F: number; P: number; N: number }, s: number): number {
  if (s <= 60 * F) return 0;
  const u = s - 60 * F;
  const blocks = Math.ceil(Math.max(0, u - 60 * N) / 30);
  return P + Math.round((P * blocks * 30) / (60 * N)); // Math.round rounds .5 up for positives
}

const quote = (path: string, init?: RequestInit) => new Browser().fetch(path, init);

beforeAll(async () => {
  await signUpAs(new Browser(), { slug: "meter-co", email: "boss@meter-co.test", accountType: "solo" });
});

describe("GET /api/quote/:company/:room", () => {
  it("returns exactly the documented quote for the default pricing and 330 seconds", async () => {
    const res = await quote("/api/quote/meter-co/GENERAL?seconds=330");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.text()).toBe(
      '{"currency":"EUR","amountMinor":1100,"chargeableSeconds":330,"scheme":{"currency":"EUR","freeMinutes":0,"blockPriceMinor":1000,"blockMinutes":5,"splitThresholdMinor":null}}',
    );
  });

  it.each([0, 1, 20, 299, 300, 301, 330, 331, 360, 361, 3600])("prices %i seconds of the default room by the DESIGN.md formula", async (s) => {
    const body = await (await quote(`/api/quote/meter-co/GENERAL?seconds=${s}`)).json<{ amountMinor: number; chargeableSeconds: number }>();
    expect(body.amountMinor).toBe(designAmount({ F: 0, P: 1000, N: 5 }, s));
    expect(body.chargeableSeconds).toBe(s);
  });

  it.each([0, 120, 121, 300, 301, 319, 320, 321, 350, 3600])("prices %i seconds by the room's own scheme (2 free minutes, USD 7.50 per 3 minutes)", async (s) => {
    await env.DB.prepare(
      "update rooms set pricing_currency = 'USD', pricing_free_minutes = 2, pricing_block_price_minor = 750, pricing_block_minutes = 3, pricing_split_threshold_minor = 5000 where name = 'CHARGE_DURATION_ON_DEMAND'",
    ).run();
    const body = await (await quote(`/api/quote/meter-co/CHARGE_DURATION_ON_DEMAND?seconds=${s}`)).json();
    expect(body).toEqual({
      currency: "USD",
      amountMinor: designAmount({ F: 2, P: 750, N: 3 }, s),
      chargeableSeconds: s,
      scheme: { currency: "USD", freeMinutes: 2, blockPriceMinor: 750, blockMinutes: 3, splitThresholdMinor: 5000 },
    });
  });

  it("is open to any website (Access-Control-Allow-Origin: *), for answers and errors alike", async () => {
    const headers = { origin: "https://shop.example" };
    const ok = await quote("/api/quote/meter-co/GENERAL?seconds=10", { headers });
    expect(ok.headers.get("access-control-allow-origin")).toBe("*");
    const bad = await quote("/api/quote/meter-co/GENERAL?seconds=x", { headers });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("access-control-allow-origin")).toBe("*");
    const missing = await quote("/api/quote/meter-co/NO_SUCH_ROOM?seconds=10", { headers });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("answers a browser's preflight from another site", async () => {
    const res = await quote("/api/quote/meter-co/GENERAL?seconds=10", {
      method: "OPTIONS",
      headers: { origin: "https://shop.example", "access-control-request-method": "GET" },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("GET");
  });

  it.each([
    ["missing", ""],
    ["empty", "?seconds="],
    ["negative", "?seconds=-5"],
    ["fractional", "?seconds=1.5"],
    ["not a number", "?seconds=abc"],
    ["in exponent notation", "?seconds=1e3"],
  ])("refuses a seconds value that is %s with 400 and a readable JSON error", async (_what, query) => {
    const res = await quote(`/api/quote/meter-co/GENERAL${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await res.json<{ result: string; error: string }>();
    expect(body.result).toBe("ERROR");
    expect(body.error).toMatch(/seconds/);
    expect(body.error).toMatch(/whole number/);
    expect(Object.keys(body).sort()).toEqual(["error", "result"]);
  });

  it("quotes the longest duration it accepts exactly, and says what the limit is beyond it", async () => {
    const longest = await quote("/api/quote/meter-co/GENERAL?seconds=999999999");
    expect(longest.status).toBe(200);
    expect((await longest.json<{ amountMinor: number }>()).amountMinor).toBe(designAmount({ F: 0, P: 1000, N: 5 }, 999_999_999));
    // A whole number ≥ 0 must not be told it is not one.
    const beyond = await quote("/api/quote/meter-co/GENERAL?seconds=1000000000");
    expect(beyond.status).toBe(400);
    const body = await beyond.json<{ result: string; error: string }>();
    expect(body.result).toBe("ERROR");
    expect(body.error).toBe("seconds must be at most 999999999.");
  });

  it("answers an unknown room with 404 JSON", async () => {
    const res = await quote("/api/quote/meter-co/NO_SUCH_ROOM?seconds=10");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ result: "ERROR", error: "We could not find that room." });
  });

  it("answers an unknown company with 404 JSON", async () => {
    const res = await quote("/api/quote/no-such-co/GENERAL?seconds=10");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ result: "ERROR", error: "We could not find that room." });
  });

  it("does not quote one company's room under another company's address", async () => {
    await signUpAs(new Browser(), { slug: "other-co", email: "boss@other-co.test" });
    // other-co is a Company with GENERAL only; meter-co's paid rooms are not its own.
    expect((await quote("/api/quote/other-co/CHARGE_DURATION_ON_DEMAND?seconds=10")).status).toBe(404);
  });
});

describe("GET /api/quote/:company/~:agent (an agent's private room)", () => {
  // A Solo User's private room uses their paid room, which allows agents' own pricing; Pro so that
  // the room is not locked. The owner's own pricing: 1 free minute, then USD 7.50 per 4 minutes.
  const SLUG = "own-price-co";
  const AGENT = `/api/quote/${SLUG}/~owner-of-${SLUG}`;
  const ownScheme = { currency: "USD", freeMinutes: 1, blockPriceMinor: 750, blockMinutes: 4, splitThresholdMinor: 2000 };
  const roomDefault = { currency: "EUR", freeMinutes: 0, blockPriceMinor: 1000, blockMinutes: 5, splitThresholdMinor: null };
  const setOwnPricing = (enabled: boolean) =>
    env.DB.prepare(
      `update agent_profiles set own_pricing_enabled = ?, pricing_currency = 'USD', pricing_free_minutes = 1, pricing_block_price_minor = 750,
         pricing_block_minutes = 4, pricing_split_threshold_minor = 2000
       where user_id = (select id from users where email = ?)`,
    )
      .bind(enabled ? 1 : 0, `boss@${SLUG}.test`)
      .run();
  const allowAgentPricing = (allowed: boolean) =>
    env.DB.prepare("update rooms set allow_agent_pricing = ? where name = 'PREAUTHORISED_CARD_AUTO_CHARGE_END' and company_id = (select id from companies where slug = ?)")
      .bind(allowed ? 1 : 0, SLUG)
      .run();

  beforeAll(async () => {
    await signUpAs(new Browser(), { slug: SLUG, email: `boss@${SLUG}.test`, accountType: "solo" });
    await env.DB.prepare("update companies set plan = 'pro' where slug = ?").bind(SLUG).run();
  });

  it.each([0, 60, 61, 300, 301, 330, 3600])("prices %i seconds by the agent's own pricing when the room allows it", async (s) => {
    await setOwnPricing(true);
    await allowAgentPricing(true);
    const res = await quote(`${AGENT}?seconds=${s}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ currency: "USD", amountMinor: designAmount({ F: 1, P: 750, N: 4 }, s), chargeableSeconds: s, scheme: ownScheme });
  });

  it("prices by the room when the agent's own pricing is off", async () => {
    await setOwnPricing(false);
    await allowAgentPricing(true);
    expect(await (await quote(`${AGENT}?seconds=330`)).json()).toEqual({ currency: "EUR", amountMinor: 1100, chargeableSeconds: 330, scheme: roomDefault });
  });

  it("prices by the room when the room does not allow agents' own pricing, even if the agent's is on", async () => {
    await setOwnPricing(true);
    await allowAgentPricing(false);
    expect(await (await quote(`${AGENT}?seconds=330`)).json()).toEqual({ currency: "EUR", amountMinor: 1100, chargeableSeconds: 330, scheme: roomDefault });
  });

  it("on Forever Free, prices by GENERAL, whose settings the private room then uses", async () => {
    // meter-co is a Forever Free solo: its paid room is locked, so its private room is GENERAL's.
    await env.DB.prepare(
      "update agent_profiles set own_pricing_enabled = 1, pricing_block_price_minor = 750 where user_id = (select id from users where email = 'boss@meter-co.test')",
    ).run();
    await env.DB.prepare("update rooms set pricing_block_price_minor = 2000 where name = 'GENERAL' and company_id = (select id from companies where slug = 'meter-co')").run();
    try {
      const body = await (await quote("/api/quote/meter-co/~owner-of-meter-co?seconds=330")).json<{ amountMinor: number; scheme: { blockPriceMinor: number } }>();
      expect(body.scheme.blockPriceMinor).toBe(2000);
      expect(body.amountMinor).toBe(designAmount({ F: 0, P: 2000, N: 5 }, 330));
    } finally {
      await env.DB.prepare("update rooms set pricing_block_price_minor = 1000 where name = 'GENERAL' and company_id = (select id from companies where slug = 'meter-co')").run();
    }
  });

  it("refuses a seconds value that is not a whole number, or above the limit, as for any room", async () => {
    const bad = await quote(`${AGENT}?seconds=1.5`);
    expect(bad.status).toBe(400);
    expect((await bad.json<{ error: string }>()).error).toMatch(/whole number/);
    const beyond = await quote(`${AGENT}?seconds=1000000000`);
    expect(beyond.status).toBe(400);
    expect(await beyond.json()).toEqual({ result: "ERROR", error: "seconds must be at most 999999999." });
  });

  it("answers an unknown, a disabled or another company's agent with 404 JSON, open to any website", async () => {
    const headers = { origin: "https://shop.example" };
    const unknown = await quote(`/api/quote/${SLUG}/~nobody?seconds=10`, { headers });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("access-control-allow-origin")).toBe("*");
    expect(await unknown.json()).toEqual({ result: "ERROR", error: "We could not find that room." });
    expect((await quote(`/api/quote/meter-co/~owner-of-${SLUG}?seconds=10`)).status).toBe(404);
    expect((await quote(`/api/quote/no-such-co/~owner-of-${SLUG}?seconds=10`)).status).toBe(404);

    await env.DB.prepare("update users set disabled = 1 where email = ?").bind(`boss@${SLUG}.test`).run();
    try {
      expect((await quote(`${AGENT}?seconds=10`)).status).toBe(404);
    } finally {
      await env.DB.prepare("update users set disabled = 0 where email = ?").bind(`boss@${SLUG}.test`).run();
    }
  });
});
