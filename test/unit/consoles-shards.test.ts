import { describe, expect, it } from "vitest";
import { CONSOLE_SHARDS, consolesName } from "../../worker/live/stubs";

// A company's consoles are spread over CONSOLE_SHARDS objects by agent id: every caller (the
// console's socket, its room, its agent's object, sign-out) must find an agent in the same one.

describe("consolesName", () => {
  const company = "7b0c3c1e-2f4d-4b7a-9d51-8f1e6a0c2b33";
  const agents = Array.from({ length: 2000 }, () => crypto.randomUUID());

  it("puts an agent in the same consoles object every time", () => {
    for (const agent of agents.slice(0, 50)) expect(consolesName(company, agent)).toBe(consolesName(company, agent));
  });

  it("names the first shard by the company alone and the others after it", () => {
    const names = new Set(agents.map((a) => consolesName(company, a)));
    expect([...names].sort()).toEqual([company, ...Array.from({ length: CONSOLE_SHARDS - 1 }, (_, i) => `${company}/${i + 1}`)].sort());
  });

  it("spreads 2,000 agents evenly enough that no shard holds more than a third above its share", () => {
    const counts = new Map<string, number>();
    for (const a of agents) counts.set(consolesName(company, a), (counts.get(consolesName(company, a)) ?? 0) + 1);
    for (const n of counts.values()) expect(n).toBeLessThan((agents.length / CONSOLE_SHARDS) * 1.33);
  });
});
