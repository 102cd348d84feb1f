import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Browser, signUpAs } from "./client";
import { addAgent, count, errorNextTo, roomId, tableCounts } from "./fixtures";
import { Agent, Customer, answer, team, untilDevice } from "./live";
import { closeAllSockets } from "./sockets";

// An admin opens, renames and retires rooms from /admin. "ra-co" is a Company account that starts
// on Forever Free and moves to Pro; "ra-other" is another company whose rooms ra-co must not touch.
const SLUG = "ra-co";
let admin: Browser;
let general: string;
let otherAdmin: Browser;
let otherRoom: string;

const setPlan = (slug: string, plan: "free" | "pro" | "enterprise") => env.DB.prepare("update companies set plan = ? where slug = ?").bind(plan, slug).run();
const roomRow = (id: string) => env.DB.prepare("select * from rooms where id = ?").bind(id).first<Record<string, unknown>>();
const openRooms = (slug: string) => count("select count(*) n from rooms r join companies c on c.id = r.company_id where c.slug = ? and r.retired_at is null", slug);

/** Creates a room through the form and returns its id (from the redirect to its settings). */
async function created(name: string): Promise<string> {
  const res = await admin.post("/admin/rooms", { name }, { from: "/admin/rooms/new" });
  expect(res.status, await res.clone().text()).toBe(303);
  const location = res.headers.get("location")!;
  expect(location).toMatch(/^\/admin\/rooms\/[^/?]+\?created=1$/);
  return location.slice("/admin/rooms/".length, location.indexOf("?"));
}

beforeAll(async () => {
  admin = new Browser();
  await signUpAs(admin, { slug: SLUG, email: `boss@${SLUG}.test` });
  general = await roomId(SLUG, "GENERAL");
  otherAdmin = new Browser();
  await signUpAs(otherAdmin, { slug: "ra-other", email: "boss@ra-other.test" });
  await setPlan("ra-other", "pro");
  otherRoom = await (async () => {
    const res = await otherAdmin.post("/admin/rooms", { name: "THEIRS" }, { from: "/admin/rooms/new" });
    expect(res.status).toBe(303);
    return roomId("ra-other", "THEIRS");
  })();
});

afterEach(() => closeAllSockets());

describe("POST /admin/rooms on Forever Free", () => {
  it("says on the rooms list and the form that the plan has GENERAL only, and creates nothing", async () => {
    const home = await (await admin.get("/admin")).text();
    expect(home).toContain("The Forever Free plan includes the GENERAL room only. Upgrade to Pro to add rooms.");
    expect(home).not.toContain('href="/admin/rooms/new"');
    const before = await tableCounts();
    const res = await admin.post("/admin/rooms", { name: "SALES" }, { from: "/admin/rooms/new" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("The Forever Free plan includes the GENERAL room only.");
    expect(await tableCounts()).toEqual(before);
  });
});

describe("POST /admin/rooms", () => {
  beforeAll(() => setPlan(SLUG, "pro"));

  it("opens a room with GENERAL's settings and no agents, upper-casing what was typed", async () => {
    await env.DB.prepare("update rooms set theme = '#0f766e', form_header = 'Talk to Ra Co', allow_email_alert = 1, charging_mode = 'manual' where id = ?").bind(general).run();
    const id = await created("  Billing support ");
    const room = (await roomRow(id))!;
    expect(room).toMatchObject({ name: "BILLING_SUPPORT", theme: "#0f766e", form_header: "Talk to Ra Co", allow_email_alert: 1, charging_mode: "manual", retired_at: null });
    expect(await count("select count(*) n from room_agents where room_id = ?", id)).toBe(0);

    const page = await (await admin.get(`/admin/rooms/${id}?created=1`)).text();
    expect(page).toContain("BILLING_SUPPORT is open.");
    expect(page).toContain("No agent serves it yet");
    const home = await (await admin.get("/admin")).text();
    expect(home).toContain('data-room="BILLING_SUPPORT"');
    expect(home).toContain("https://parley.test/c/ra-co/BILLING_SUPPORT");
    const form = await new Browser().get("/c/ra-co/BILLING_SUPPORT");
    expect(form.status).toBe(200);
    expect(await form.text()).toContain("Talk to Ra Co");
  });

  it.each([
    ["", "Enter a name for the room, for example SALES."],
    ["2ND_LINE", "Start the name with a letter, for example SALES_2."],
    ["SALES!", "Use only letters A to Z, digits and underscores, for example BILLING_SUPPORT."],
    ["CAFÉ", "Use only letters A to Z, digits and underscores, for example BILLING_SUPPORT."],
    ["SALES__EU", "Use single underscores between words, and none at the end."],
    ["SALES_", "Use single underscores between words, and none at the end."],
    ["A".repeat(41), "Use at most 40 characters."],
  ])("refuses the name %j with a message next to the field", async (name, message) => {
    const before = await openRooms(SLUG);
    const res = await admin.post("/admin/rooms", { name }, { from: "/admin/rooms/new" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(errorNextTo(html, "name")).toBe(message);
    expect(await openRooms(SLUG)).toBe(before);
  });

  it("accepts a name of exactly 40 characters", async () => {
    const id = await created(`LONG_${"N".repeat(35)}`);
    expect((await roomRow(id))!.name).toBe(`LONG_${"N".repeat(35)}`);
  });

  it("refuses a name the company already has, whatever its case", async () => {
    for (const name of ["general", "Billing_Support"]) {
      const res = await admin.post("/admin/rooms", { name }, { from: "/admin/rooms/new" });
      expect(res.status).toBe(422);
      expect(errorNextTo(await res.text(), "name")).toBe(`You already have a room called ${name.toUpperCase()}. Choose another name.`);
    }
  });

  it("lets another company use the same name", async () => {
    const res = await otherAdmin.post("/admin/rooms", { name: "BILLING_SUPPORT" }, { from: "/admin/rooms/new" });
    expect(res.status).toBe(303);
  });

  it("refuses a form without its CSRF token, and anyone but the company's admin", async () => {
    const before = await tableCounts();
    expect((await admin.post("/admin/rooms", { name: "NO_TOKEN" }, { from: "/admin/rooms/new", csrf: false })).status).toBe(403);
    const agent = await (async () => {
      await addAgent(admin, { name: "Ada Agent", email: "ada@ra-co.test" });
      const b = new Browser();
      expect((await b.post("/login", { email: "ada@ra-co.test", password: "correct horse 9" }, { from: "/login" })).status).toBe(303);
      return b;
    })();
    const after = await tableCounts();
    expect((await agent.post("/admin/rooms", { name: "BY_AGENT" }, { from: "/agent" })).status).toBe(403);
    expect((await new Browser().post("/admin/rooms", { name: "BY_NOBODY" }, { from: "/login" })).status).toBeGreaterThanOrEqual(300);
    expect(await tableCounts()).toEqual(after);
    expect(after.rooms).toBe(before.rooms);
  });

  it("refuses a room beyond the plan's limit with the reason", async () => {
    await setPlan("ra-other", "pro");
    const open = await openRooms("ra-other");
    for (let i = open; i < 20; i++) await env.DB.prepare("insert into rooms (id, company_id, name, position) select ?, id, ?, 50 from companies where slug = 'ra-other'").bind(crypto.randomUUID(), `FILL_${i}`).run();
    const res = await otherAdmin.post("/admin/rooms", { name: "ONE_MORE" }, { from: "/admin/rooms/new" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Your plan allows 20 rooms and you have 20. Retire a room you no longer use, or upgrade to Large Enterprise.");
    expect(await openRooms("ra-other")).toBe(20);
  });
});

describe("POST /admin/rooms/:roomId/rename", () => {
  it("renames the room, and the old name's links lead to the new one", async () => {
    const id = await created("SUPPORT");
    const res = await admin.post(`/admin/rooms/${id}/rename`, { name: "help desk" }, { from: `/admin/rooms/${id}/rename` });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/rooms/${id}?renamed=1`);
    expect((await roomRow(id))!.name).toBe("HELP_DESK");
    expect(await (await admin.get(`/admin/rooms/${id}?renamed=1`)).text()).toContain("Renamed to HELP_DESK.");

    const customer = new Browser();
    const moves: [string, string][] = [
      ["/c/ra-co/SUPPORT?mode=voice", "/c/ra-co/HELP_DESK?mode=voice"],
      ["/c/ra-co/SUPPORT/whatsapp", "/c/ra-co/HELP_DESK/whatsapp"],
      ["/embed/ra-co/SUPPORT.js", "/embed/ra-co/HELP_DESK.js"],
      ["/api/stats/ra-co/SUPPORT", "/api/stats/ra-co/HELP_DESK"],
      ["/api/stats/ra-co/SUPPORT/details", "/api/stats/ra-co/HELP_DESK/details"],
      ["/api/quote/ra-co/SUPPORT?seconds=60", "/api/quote/ra-co/HELP_DESK?seconds=60"],
    ];
    for (const [from, to] of moves) {
      const moved = await customer.get(from);
      expect(moved.status, from).toBe(308);
      expect(moved.headers.get("location"), from).toBe(to);
      expect(moved.headers.get("cache-control"), from).toBe("public, max-age=3600");
    }
    // A website's statistics script follows the redirect across origins.
    expect((await customer.fetch("/api/stats/ra-co/SUPPORT", { headers: { origin: "https://shop.example" } })).headers.get("access-control-allow-origin")).toBe("*");
    expect((await customer.get("/embed/ra-co/HELP_DESK.js")).status).toBe(200);
    expect((await customer.get("/c/ra-co/HELP_DESK")).status).toBe(200);
    // A contact form posted to the old name is posted again to the new one.
    const posted = await new Customer().submit("/c/ra-co/SUPPORT", { mode: "chat", name: "Old Link" });
    expect(posted.status).toBe(308);
    expect(posted.headers.get("location")).toBe("/c/ra-co/HELP_DESK");
  });

  it("leads a room's link typed in lower case to the room, and a name no room has to 404", async () => {
    await created("SALES_TEAM");
    const customer = new Browser();
    const moved = await customer.get("/c/ra-co/sales_team?mode=video");
    expect(moved.status).toBe(308);
    expect(moved.headers.get("location")).toBe("/c/ra-co/SALES_TEAM?mode=video");
    expect((await customer.get("/c/ra-co/no_such_room")).status).toBe(404);
  });

  it("lets a new room take an old name, whose links then reach the new room", async () => {
    const id = await created("SUPPORT");
    const res = await new Browser().get("/c/ra-co/SUPPORT");
    expect(res.status).toBe(200);
    expect((await new Browser().get("/embed/ra-co/SUPPORT.js")).status).toBe(200);
    expect((await roomRow(id))!.name).toBe("SUPPORT");
  });

  it("refuses a taken name and an invalid one next to the field, renaming nothing", async () => {
    const id = await roomId(SLUG, "HELP_DESK");
    for (const [name, message] of [
      ["billing support", "You already have a room called BILLING_SUPPORT. Choose another name."],
      ["HELP DESK!", "Use only letters A to Z, digits and underscores, for example BILLING_SUPPORT."],
    ]) {
      const res = await admin.post(`/admin/rooms/${id}/rename`, { name: name! }, { from: `/admin/rooms/${id}/rename` });
      expect(res.status).toBe(422);
      expect(errorNextTo(await res.text(), "name")).toBe(message);
    }
    expect((await roomRow(id))!.name).toBe("HELP_DESK");
  });

  it("keeps GENERAL's name, with the reason", async () => {
    const res = await admin.post(`/admin/rooms/${general}/rename`, { name: "MAIN" }, { from: `/admin/rooms/${general}/rename` });
    expect(res.status).toBe(422);
    expect(errorNextTo(await res.text(), "name")).toBe("GENERAL keeps its name: it is the room every company has, and private rooms use it.");
    expect((await roomRow(general))!.name).toBe("GENERAL");
  });

  it("reconnects the room's agents, who then take its chats under the new name", { timeout: 20_000 }, async () => {
    const { company, agents } = await team("ra-live", ["Rita Renamed"], { rooms: ["DESK"] });
    const [rita] = agents;
    const boss = new Browser();
    expect((await boss.post("/login", { email: "boss@ra-live.test", password: "correct horse 9" }, { from: "/login" })).status).toBe(303);
    const console = await rita.online("browser", ["DESK"]);
    const res = await boss.post(`/admin/rooms/${company.rooms.DESK}/rename`, { name: "FRONT_DESK" }, { from: `/admin/rooms/${company.rooms.DESK}/rename` });
    expect(res.status).toBe(303);
    expect((await console.closed()).code).toBe(1012);
    // The console reconnects by itself (1012: "service restart"); here the test does it.
    const again = await rita.online("browser", ["FRONT_DESK"]);
    await untilDevice("ra-live", "FRONT_DESK", rita.email, "browser", "WAITING_NEW_CALL");
    const chat = await new Customer().startChat("/c/ra-live/FRONT_DESK");
    await answer(again, chat.id);
  });
});

describe("POST /admin/rooms/:roomId/retire", () => {
  it("closes the room to customers with a clear page, and keeps its chat records", async () => {
    const id = await created("OLD_OFFER");
    const adaId = await (await env.DB.prepare("select id from users where email = 'ada@ra-co.test'").first<{ id: string }>())!.id;
    const edit = await admin.post(`/admin/agents/${adaId}`, { name: "Ada Agent", email: "ada@ra-co.test", roomIds: [general, id] }, { from: `/admin/agents/${adaId}` });
    expect(edit.status).toBe(303);
    const chatId = crypto.randomUUID();
    await env.DB.prepare("insert into chats (id, company_id, room_id, agent_id, status, customer_name, created_at, ended_at) select ?, company_id, id, ?, 'ended', 'Kept Customer', 1700000000000, 1700000060000 from rooms where id = ?")
      .bind(chatId, adaId, id)
      .run();

    expect(await (await admin.get(`/admin/rooms/${id}/retire`)).text()).toContain("Its chat records, transcripts and revenue stay");
    const res = await admin.post(`/admin/rooms/${id}/retire`, {}, { from: `/admin/rooms/${id}/retire` });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin?retired=OLD_OFFER");

    const page = await new Browser().get("/c/ra-co/OLD_OFFER");
    expect(page.status).toBe(410);
    const html = await page.text();
    expect(html).toContain("This chat room has closed");
    expect(html).toContain("ra-co Ltd no longer takes chats at <strong>OLD_OFFER</strong>.");
    expect(html).toContain('href="/c/ra-co/GENERAL"');
    expect((await new Customer().submit("/c/ra-co/OLD_OFFER", { mode: "chat", name: "Late" })).status).toBe(410);
    expect((await new Browser().get("/embed/ra-co/OLD_OFFER.js")).status).toBe(410);
    const stats = await new Browser().get("/api/stats/ra-co/OLD_OFFER");
    expect(stats.status).toBe(410);
    expect(await stats.json()).toEqual({ result: "ERROR", error: "The chat room OLD_OFFER was retired." });

    // Gone from the lists and from its agent; its record stays, under its name.
    const home = await (await admin.get("/admin?retired=OLD_OFFER")).text();
    expect(home).toContain("OLD_OFFER is retired.");
    expect(home).not.toContain('data-room="OLD_OFFER"');
    expect(await (await admin.get("/admin/agents/new")).text()).not.toContain(`value="${id}"`);
    expect(await count("select count(*) n from room_agents where room_id = ?", id)).toBe(0);
    expect((await roomRow(id))!.retired_at).toBeTypeOf("number");
    const records = await (await admin.get("/chat-records")).text();
    expect(records).toContain("Kept Customer");
    expect(records).toContain("OLD_OFFER");
    expect((await admin.get(`/admin/rooms/${id}`)).status).toBe(410);
  });

  it("keeps a retired room's name reserved and its agents from getting it back", async () => {
    const id = await roomId(SLUG, "OLD_OFFER");
    const res = await admin.post("/admin/rooms", { name: "OLD_OFFER" }, { from: "/admin/rooms/new" });
    expect(res.status).toBe(422);
    expect(errorNextTo(await res.text(), "name")).toBe("A retired room is called OLD_OFFER; its link still tells customers it closed. Choose another name.");
    const adaId = await (await env.DB.prepare("select id from users where email = 'ada@ra-co.test'").first<{ id: string }>())!.id;
    const edit = await admin.post(`/admin/agents/${adaId}`, { name: "Ada Agent", email: "ada@ra-co.test", roomIds: [id] }, { from: `/admin/agents/${adaId}` });
    expect(edit.status).toBe(403);
    expect(await count("select count(*) n from room_agents where room_id = ?", id)).toBe(0);
  });

  it("refuses to retire GENERAL, with the reason", async () => {
    const res = await admin.post(`/admin/rooms/${general}/retire`, {}, { from: `/admin/rooms/${general}` });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("GENERAL cannot be retired");
    expect((await roomRow(general))!.retired_at).toBeNull();
    expect((await new Browser().get("/c/ra-co/GENERAL")).status).toBe(200);
  });
});

describe("POST /admin/rooms/:roomId/reopen", () => {
  it("offers a retired room back, refuses it past the plan's limit, and opens it again as it was", async () => {
    const id = await roomId(SLUG, "OLD_OFFER");
    const home = await (await admin.get("/admin?retired=OLD_OFFER")).text();
    expect(home).toContain('aria-label="Reopen OLD_OFFER"'); // in the notice and in the list
    expect(home).toContain('data-retired-room="OLD_OFFER"');

    await setPlan(SLUG, "free"); // GENERAL is the only room Forever Free allows
    const full = await admin.post(`/admin/rooms/${id}/reopen`, {}, { from: "/admin" });
    expect(full.status).toBe(303);
    expect(full.headers.get("location")).toBe("/admin?full=1#retired-rooms");
    expect(await (await admin.get("/admin?full=1")).text()).toContain("The Forever Free plan includes the GENERAL room only.");
    expect((await roomRow(id))!.retired_at).toBeTypeOf("number");
    await setPlan(SLUG, "pro");

    const res = await admin.post(`/admin/rooms/${id}/reopen`, {}, { from: "/admin" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/rooms/${id}?reopened=1`);
    const settings = await (await admin.get(`/admin/rooms/${id}?reopened=1`)).text();
    expect(settings).toContain("OLD_OFFER is open again.");
    expect((await roomRow(id))!.retired_at).toBeNull();
    expect((await new Browser().get("/c/ra-co/OLD_OFFER")).status).toBe(200);
    const after = await (await admin.get("/admin")).text();
    expect(after).toContain('data-room="OLD_OFFER"');
    expect(after).not.toContain('data-retired-room="OLD_OFFER"');
    expect(await count("select count(*) n from audit_events where action = 'room.reopened' and subject = ?", id)).toBe(1);
  });

  it("is not found for another company's room, and needs the CSRF token", async () => {
    const before = await roomRow(otherRoom);
    expect((await admin.post(`/admin/rooms/${otherRoom}/reopen`, {}, { from: "/admin" })).status).toBe(404);
    await env.DB.prepare("update rooms set retired_at = 1 where id = ?").bind(otherRoom).run();
    expect((await admin.post(`/admin/rooms/${otherRoom}/reopen`, {}, { from: "/admin" })).status).toBe(404);
    expect((await otherAdmin.post(`/admin/rooms/${otherRoom}/reopen`, {}, { csrf: false })).status).toBe(403);
    expect((await roomRow(otherRoom))!.retired_at).toBe(1);
    await env.DB.prepare("update rooms set retired_at = null where id = ?").bind(otherRoom).run();
    expect(await roomRow(otherRoom)).toEqual(before);
  });
});

describe("another company's room", () => {
  it("is not found on every room page and form, and is left as it was", async () => {
    const before = await roomRow(otherRoom);
    for (const path of [`/admin/rooms/${otherRoom}`, `/admin/rooms/${otherRoom}/rename`, `/admin/rooms/${otherRoom}/retire`]) {
      expect((await admin.get(path)).status, path).toBe(404);
    }
    expect((await admin.post(`/admin/rooms/${otherRoom}/rename`, { name: "MINE_NOW" }, { from: "/admin" })).status).toBe(404);
    expect((await admin.post(`/admin/rooms/${otherRoom}/retire`, {}, { from: "/admin" })).status).toBe(404);
    expect(await roomRow(otherRoom)).toEqual(before);
    expect(await count("select count(*) n from room_renames where room_id = ?", otherRoom)).toBe(0);
  });
});
