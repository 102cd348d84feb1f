import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { settlePlans } from "../../worker/jobs/plan-subscriptions";
import { compareRooms } from "../../worker/rooms/usable-rooms";
import { openDb } from "../../worker/stores/db";
import { getCompanyRoom, getRankedRoom, listRoomRanks, listRooms, listServedRooms } from "../../worker/stores/rooms";
import { Browser } from "./client";
import { signedIn } from "./fixtures";
import { Agent, Customer, liveCompany, stateIn, untilDevice, type LiveCompany } from "./live";
import { closeAllSockets } from "./sockets";

// A company that moves down a plan keeps its rooms, but only the plan's number of them take
// chats: GENERAL, then the rooms list's order. The rest are locked for customers, the embed,
// consoles and invitations until the company retires or reorders rooms, or upgrades again.

afterEach(() => closeAllSockets());

/** GENERAL and ROOM_01 … ROOM_24 (25 rooms, past Pro's 20) in that order; Ann serves every room. */
const ROOMS = Array.from({ length: 24 }, (_, i) => `ROOM_${String(i + 1).padStart(2, "0")}`);

async function bigCompany(slug: string): Promise<LiveCompany> {
  return liveCompany(slug, { plan: "enterprise", rooms: ROOMS, agents: [{ name: "Ann Agent", email: `ann@${slug}.test` }] });
}

const setPlan = (slug: string, plan: string) => env.DB.prepare("update companies set plan = ? where slug = ?").bind(plan, slug).run();

const status = async (path: string) => (await new Browser().get(path)).status;

/** The rooms the admin's rooms list shows locked, in its order. */
const lockedOnAdmin = async (admin: Browser) => [...(await (await admin.get("/admin")).text()).matchAll(/<li class="room locked" data-room="([^"]+)"/g)].map((m) => m[1]);

/** The rooms of the invitation form's room choice. */
const invitable = async (agent: Browser) => [...(await (await agent.get("/agent/clients")).text()).matchAll(/<option value="[^"]+"[^>]*>\s*([A-Z_0-9]+)/g)].map((m) => m[1]);

describe("rooms past the plan's limit", () => {
  it("after a move from Large Enterprise down to Pro, lock rooms 21–25 for customers, the embed, consoles and invitations", { timeout: 30_000 }, async () => {
    const co = await bigCompany("lock-down");
    expect(await status("/c/lock-down/ROOM_24")).toBe(200);
    await setPlan("lock-down", "pro");

    // Customers: the 20th room is open, the 21st gets the page Forever Free's locked rooms give.
    expect(await status("/c/lock-down/ROOM_19")).toBe(200);
    const locked = await new Browser().get("/c/lock-down/ROOM_20");
    expect(locked.status).toBe(403);
    expect(await locked.text()).toContain("lock-down Ltd does not take chats in this room at the moment. Try their GENERAL room.");
    expect((await new Customer().submit("/c/lock-down/ROOM_24", { name: "Carla", email: "carla@example.com", mode: "chat" })).status).toBe(403);
    expect(await status("/embed/lock-down/ROOM_19.js")).toBe(200);
    expect(await status("/embed/lock-down/ROOM_20.js")).toBe(404);

    // The console announces itself to the usable rooms only.
    const ann = await Agent.signIn(co, "ann@lock-down.test", "Ann Agent");
    await ann.online("browser", ["GENERAL", "ROOM_19"]);
    expect(await stateIn("lock-down", "ROOM_20", ann.email)).toBeNull();
    expect(await stateIn("lock-down", "ROOM_24", ann.email)).toBeNull();

    // Invitations offer only the usable rooms, and refuse a locked one sent by hand.
    const rooms = await invitable(ann.browser);
    expect(rooms).toContain("ROOM_19");
    expect(rooms).not.toContain("ROOM_20");
    const refused = await ann.browser.post("/agent/clients", { name: "Carla", email: "carla@example.com", room: co.rooms.ROOM_20! }, { from: "/agent/clients" });
    expect(refused.status).toBe(422);

    // The admin sees which rooms are locked, why, and how to choose.
    const admin = await signedIn("boss@lock-down.test");
    expect(await lockedOnAdmin(admin)).toEqual(["ROOM_20", "ROOM_21", "ROOM_22", "ROOM_23", "ROOM_24"]);
    const home = await (await admin.get("/admin")).text();
    expect(home).toContain("Your plan allows 20 rooms. Retire a room or upgrade to use this one.");
    expect(home).toContain("Move a room up, or retire one, to choose which.");
    // A locked room offers no link to hand out, as on Forever Free.
    const row = home.match(/<li class="room locked" data-room="ROOM_20"[\s\S]*?<\/li>/)?.[0] ?? "";
    expect(row).toContain("Your plan allows 20 rooms.");
    expect(row).not.toContain('href="https://parley.test/c/lock-down/ROOM_20"');
    const settings = await (await admin.get(`/admin/rooms/${co.rooms.ROOM_20}`)).text();
    expect(settings).toContain("Locked · over your plan&#39;s 20 rooms");
    expect(await (await admin.get(`/admin/rooms/${co.rooms.ROOM_19}`)).text()).not.toContain("This room is locked.");
  });

  it("follow the admin's choices: retiring a usable room opens the next one, moving a locked room up swaps it in", { timeout: 30_000 }, async () => {
    const co = await bigCompany("lock-choose");
    await setPlan("lock-choose", "pro");
    const admin = await signedIn("boss@lock-choose.test");
    const ann = await Agent.signIn(co, "ann@lock-choose.test", "Ann Agent");
    let console = await ann.online("browser", ["ROOM_19"]);

    expect((await admin.post(`/admin/rooms/${co.rooms.ROOM_05}/retire`, {}, { from: `/admin/rooms/${co.rooms.ROOM_05}/retire` })).status).toBe(303);
    expect(await status("/c/lock-choose/ROOM_20")).toBe(200);
    expect(await status("/c/lock-choose/ROOM_21")).toBe(403);
    expect(await lockedOnAdmin(admin)).toEqual(["ROOM_21", "ROOM_22", "ROOM_23", "ROOM_24"]);
    // Ann serves the room that opened: her console reconnects (1012) and announces itself there.
    expect((await console.closed()).code).toBe(1012);
    console = await ann.online("browser", ["ROOM_20"]);

    const moved = await admin.post(`/admin/rooms/${co.rooms.ROOM_21}/move`, { direction: "up" }, { from: "/admin" });
    expect(moved.status).toBe(303);
    expect(moved.headers.get("location")).toBe(`/admin#room-${co.rooms.ROOM_21}`);
    expect(await status("/c/lock-choose/ROOM_21")).toBe(200);
    expect(await status("/c/lock-choose/ROOM_20")).toBe(403);
    expect(await lockedOnAdmin(admin)).toEqual(["ROOM_20", "ROOM_22", "ROOM_23", "ROOM_24"]);
    expect((await console.closed()).code).toBe(1012);
    await ann.online("browser", ["ROOM_21"]);
    expect(await stateIn("lock-choose", "ROOM_20", ann.email)).toBeNull();

    // GENERAL stays first: it does not move, and nothing moves above it.
    const before = await lockedOnAdmin(admin);
    await admin.post(`/admin/rooms/${co.rooms.GENERAL}/move`, { direction: "down" }, { from: "/admin" });
    await admin.post(`/admin/rooms/${co.rooms.ROOM_01}/move`, { direction: "up" }, { from: "/admin" });
    expect((await (await admin.get("/admin")).text()).match(/data-room="([^"]+)"/)?.[1]).toBe("GENERAL");
    expect(await lockedOnAdmin(admin)).toEqual(before);
    // A direction that is neither is refused without a change; another company's room is not found.
    await admin.post(`/admin/rooms/${co.rooms.ROOM_22}/move`, { direction: "top" }, { from: "/admin" });
    expect(await lockedOnAdmin(admin)).toEqual(before);
    const other = await bigCompany("lock-other");
    expect((await admin.post(`/admin/rooms/${other.rooms.ROOM_22}/move`, { direction: "up" }, { from: "/admin" })).status).toBe(404);
  });

  it("unlock at once on the higher plan, and a plan change reconnects the consoles of the rooms it locks or unlocks", { timeout: 30_000 }, async () => {
    const co = await bigCompany("lock-up");
    const now = Date.now();
    // Large Enterprise paid up to a moment ago, then Pro: the cron's settling moves the company down.
    await env.DB.prepare(
      "insert into plan_subscriptions (company_id, source, plan, status, stripe_customer_id, stripe_subscription_id, carried_plan, carried_until, updated_at) values (?, 'stripe', 'pro', 'active', 'cus_lock_up', 'sub_lock_up', 'enterprise', ?, ?)",
    )
      .bind(co.id, now - 1000, now)
      .run();
    const ann = await Agent.signIn(co, "ann@lock-up.test", "Ann Agent");
    const console = await ann.online("browser", ["ROOM_24"]);
    await settlePlans(env, openDb(env.DB), now);
    expect((await env.DB.prepare("select plan from companies where id = ?").bind(co.id).first<{ plan: string }>())!.plan).toBe("pro");
    expect(await status("/c/lock-up/ROOM_24")).toBe(403);
    expect((await console.closed()).code).toBe(1012);
    await ann.online("browser", ["ROOM_19"]);
    await untilDevice("lock-up", "ROOM_24", ann.email, "browser", null);

    await setPlan("lock-up", "enterprise");
    expect(await status("/c/lock-up/ROOM_24")).toBe(200);
    expect(await status("/embed/lock-up/ROOM_24.js")).toBe(200);
    expect(await lockedOnAdmin(await signedIn("boss@lock-up.test"))).toEqual([]);
  });
});

describe("a move from Large Enterprise to Forever Free", () => {
  it("locks every room but GENERAL, 150 at once, and reconnects the consoles of their agents", { timeout: 30_000 }, async () => {
    const co = await liveCompany("lock-many", { plan: "enterprise", agents: [{ name: "Max Agent", email: "max@lock-many.test", rooms: ["GENERAL"] }] });
    await env.DB.prepare(
      "with recursive n(i) as (select 1 union all select i + 1 from n where i < 150) insert into rooms (id, company_id, name, position) select 'many-' || i, ?, 'ROOM_' || i, i from n",
    )
      .bind(co.id)
      .run();
    await env.DB.prepare("insert into room_agents (room_id, user_id) select id, ? from rooms where company_id = ? and name <> 'GENERAL'").bind(co.agents["max@lock-many.test"], co.id).run();
    const now = Date.now();
    await env.DB.prepare(
      "insert into plan_subscriptions (company_id, source, plan, status, stripe_customer_id, stripe_subscription_id, carried_plan, carried_until, updated_at) values (?, 'stripe', 'free', 'active', 'cus_lock_many', 'sub_lock_many', 'enterprise', ?, ?)",
    )
      .bind(co.id, now - 1000, now)
      .run();
    const max = await Agent.signIn(co, "max@lock-many.test", "Max Agent");
    const console = await max.online("browser", ["GENERAL", "ROOM_150"]);
    await settlePlans(env, openDb(env.DB), now);
    expect((await console.closed()).code).toBe(1012);
    expect(await status("/c/lock-many/ROOM_1")).toBe(403);
    expect(await status("/c/lock-many/GENERAL")).toBe(200);
  });
});

describe("a room's rank in SQL", () => {
  it("is its place in the rooms list's order (compareRooms), ties of position and age included", async () => {
    const co = await liveCompany("lock-ties", { plan: "enterprise", agents: [{ name: "Tia Agent", email: "tia@lock-ties.test" }] });
    // Positions tie, ages tie, and a retired room sits among them without counting.
    const rows: [string, string, number, number, string | null][] = [
      ["ffff-late", "LATE", 5, 3000, null],
      ["bbbb-twin", "TWIN_B", 5, 2000, null],
      ["aaaa-twin", "TWIN_A", 5, 2000, null],
      ["cccc-first", "FIRST", 1, 9000, null],
      ["dddd-gone", "GONE", 2, 1000, "1"],
      ["eeee-minus", "BEFORE_GENERAL", -1, 1, null],
    ];
    for (const [id, name, position, createdAt, retiredAt] of rows) {
      await env.DB.prepare("insert into rooms (id, company_id, name, position, created_at, retired_at) values (?, ?, ?, ?, ?, ?)").bind(id, co.id, name, position, createdAt, retiredAt).run();
      await env.DB.prepare("insert into room_agents (room_id, user_id) values (?, ?)").bind(id, co.agents["tia@lock-ties.test"]).run();
    }
    const db = openDb(env.DB);
    const expected = (await listRoomRanks(db, co.id)).sort(compareRooms).map((r) => r.name);
    expect(expected).toEqual(["GENERAL", "BEFORE_GENERAL", "FIRST", "TWIN_A", "TWIN_B", "LATE"]);

    expect((await listRooms(db, co.id)).map((r) => r.room.name)).toEqual(expected);
    const served = await listServedRooms(db, { id: co.agents["tia@lock-ties.test"]!, companyId: co.id });
    expect(served.map((r) => [r.name, r.rank])).toEqual(expected.map((name, rank) => [name, rank]));
    for (const [rank, name] of expected.entries()) {
      expect((await getCompanyRoom(db, "lock-ties", name))?.rank, name).toBe(rank);
      const id = served.find((r) => r.name === name)!.id;
      expect((await getRankedRoom(db, co.id, id))?.rank, name).toBe(rank);
    }
  });
});
