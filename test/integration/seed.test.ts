import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../worker/stores/db";
import { seedDemo } from "../../worker/demo/seed";
import { Browser } from "./client";
import { count, signedIn, tableCounts } from "./fixtures";

// The demo as DESIGN.md promises it, written out here rather than imported from the seed.
const DEMO_PASSWORD = "parley-demo";
const DEMO_ROOMS = ["GENERAL", "PREAUTHORISED_CARD_AUTO_CHARGE_END", "CHARGE_DURATION_ON_DEMAND"];
const DEMO_AGENTS = ["alice@demo.test", "bob@demo.test"];

const demoCompanies = () => count("select count(*) n from companies where slug = 'demo'");

// Runs first, while the database is still empty, so "changes nothing" can fail.
describe("POST /dev/seed", () => {
  it("does not exist outside local development (ENVIRONMENT is not local)", async () => {
    expect(env.ENVIRONMENT).not.toBe("local");
    const before = await tableCounts();
    const res = await new Browser().fetch("/dev/seed", { method: "POST" });
    expect(res.status).toBe(404);
    expect(await demoCompanies()).toBe(0);
    expect(await tableCounts()).toEqual(before);
  });

  it("nor does the runtime-cost probe of the bench (GET /dev/costs)", async () => {
    const res = await new Browser().fetch("/dev/costs?n=1");
    expect(res.status).toBe(404);
  });
});

describe("seedDemo", () => {
  let firstRun: string;
  beforeAll(async () => {
    firstRun = await seedDemo(openDb(env.DB));
  });

  it("seeds company demo on the Pro plan with the three demo rooms", async () => {
    expect(firstRun).toBe("seeded");
    const company = await env.DB.prepare("select id, plan from companies where slug = 'demo'").first<{ id: string; plan: string }>();
    expect(company?.plan).toBe("pro");
    // Given by Parley, with no Stripe subscription that could lapse.
    expect(await env.DB.prepare("select source, plan, stripe_subscription_id from plan_subscriptions where company_id = ?").bind(company!.id).first()).toEqual({
      source: "complimentary",
      plan: "pro",
      stripe_subscription_id: null,
    });
    const rooms = await env.DB.prepare("select name from rooms where company_id = ? order by name").bind(company!.id).all();
    expect(rooms.results.map((r) => r.name)).toEqual([...DEMO_ROOMS].sort());
  });

  it("makes admin@demo.test the admin, who signs in with parley-demo and sees every room usable", async () => {
    const admin = await signedIn("admin@demo.test", DEMO_PASSWORD);
    const res = await admin.get("/admin");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const room of DEMO_ROOMS) expect(html).toContain(`data-room="${room}"`);
    expect(html).not.toContain('class="room locked"');
  });

  it.each(DEMO_AGENTS)("makes %s an agent of demo who serves all three rooms and signs in with parley-demo", async (email) => {
    const served = await env.DB.prepare(
      "select r.name from users u join room_agents ra on ra.user_id = u.id join rooms r on r.id = ra.room_id join companies c on c.id = r.company_id where u.email = ? and c.slug = 'demo' and u.is_agent = 1 and u.disabled = 0 order by r.name",
    )
      .bind(email)
      .all();
    expect(served.results.map((r) => r.name)).toEqual([...DEMO_ROOMS].sort());

    const agent = await signedIn(email, DEMO_PASSWORD);
    const res = await agent.get("/agent");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const room of DEMO_ROOMS) expect(html).toContain(`/c/demo/${room}`);
  });

  it("says already seeded on a second run and changes no table", async () => {
    const before = await tableCounts();
    expect(Object.keys(before)).toEqual(expect.arrayContaining(["companies", "users", "rooms", "room_agents", "agent_profiles", "audit_events"]));
    expect(await seedDemo(openDb(env.DB))).toBe("already seeded");
    expect(await tableCounts()).toEqual(before);
  });

  it("completes a seed that stopped half-way: a missing agent is added back", async () => {
    const bob = await env.DB.prepare("select id from users where email = 'bob@demo.test'").first<{ id: string }>();
    await env.DB.batch(
      ["room_agents", "agent_profiles", "sessions", "known_devices"].map((t) => env.DB.prepare(`delete from ${t} where user_id = ?`).bind(bob!.id)),
    );
    await env.DB.prepare("delete from users where id = ?").bind(bob!.id).run();

    expect(await seedDemo(openDb(env.DB))).toBe("seeded");
    expect(await count("select count(*) n from room_agents ra join users u on u.id = ra.user_id where u.email = 'bob@demo.test'")).toBe(3);
    expect(await demoCompanies()).toBe(1);
    await signedIn("bob@demo.test", DEMO_PASSWORD);
  });
});
