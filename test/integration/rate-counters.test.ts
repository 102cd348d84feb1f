import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { openDb } from "../../worker/stores/db";
import { countEvents, countUnlessHeld, heldKey } from "../../worker/stores/rate-counters";
import { POLICIES } from "../../worker/http/rate-limit";

const MINUTE = 60_000;
const db = () => openDb(env.DB);

describe("rate counters in D1", () => {
  it("takes 10 contact forms from one address in 10 minutes, holds the 11th, and counts afresh once the window is over", async () => {
    const limited = { key: "contact-ip:10.9.9.9", policy: POLICIES.contactIp };
    const start = 1_000_000;
    for (let i = 0; i < 10; i++) expect(await countUnlessHeld(db(), limited, start + i * 1000)).toBeNull();
    expect(await countUnlessHeld(db(), limited, start + 2 * MINUTE)).toEqual({ key: limited.key, minutes: 8 });
    // Still held, and told the same end of the window, however often it is tried.
    expect(await countUnlessHeld(db(), limited, start + 9 * MINUTE)).toEqual({ key: limited.key, minutes: 1 });
    expect(await countUnlessHeld(db(), limited, start + 10 * MINUTE)).toBeNull();
    for (let i = 1; i < 10; i++) expect(await countUnlessHeld(db(), limited, start + 10 * MINUTE + i)).toBeNull();
    expect(await countUnlessHeld(db(), limited, start + 11 * MINUTE)).toEqual({ key: limited.key, minutes: 9 });
  });

  it("counts failed sign-ins against every key and finds the first one held", async () => {
    const keys = [
      { key: "signin-ip:10.8.8.8", policy: POLICIES.signinIp },
      { key: "contact-ip:10.8.8.8", policy: POLICIES.contactIp },
    ];
    for (let i = 0; i < 9; i++) await countEvents(db(), keys, i);
    expect(await heldKey(db(), keys, 10)).toBeNull();
    await countEvents(db(), keys, 20);
    expect(await heldKey(db(), keys, MINUTE)).toEqual({ key: keys[1]!.key, minutes: 9 });
    expect(await heldKey(db(), keys, POLICIES.contactIp.windowMs)).toBeNull();
    // A failure after the window starts a new one, which holds the key after its limit in it.
    const next = POLICIES.signinIp.windowMs;
    for (let i = 0; i < 49; i++) await countEvents(db(), [keys[0]!], next + i);
    expect(await heldKey(db(), keys, next + 100)).toBeNull();
    await countEvents(db(), [keys[0]!], next + 200);
    expect(await heldKey(db(), keys, next + 300)).toEqual({ key: keys[0]!.key, minutes: 15 });
  });
});
