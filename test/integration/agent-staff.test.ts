import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Browser, PASSWORD, signUpAs } from "./client";
import { addAgent, addRoom, agentSnapshot, control, count, errorNextTo, roomId, signedIn, tableCounts, userId } from "./fixtures";

/** A Company account with GENERAL plus a SALES room, signed in as its admin. */
async function companyWithTwoRooms(slug: string) {
  const admin = new Browser();
  await signUpAs(admin, { slug, email: `boss@${slug}.test` });
  const sales = await addRoom(slug, "SALES");
  return { admin, general: await roomId(slug, "GENERAL"), sales };
}

const roomsServedBy = async (id: string) =>
  (await env.DB.prepare("select r.name from room_agents ra join rooms r on r.id = ra.room_id where ra.user_id = ? order by r.name").bind(id).all())
    .results.map((r) => r.name);

describe("POST /admin/agents", () => {
  it("adds an agent who serves the chosen rooms, appears on the staff list and can sign in", async () => {
    const { admin, general, sales } = await companyWithTwoRooms("add-co");
    const res = await admin.post("/admin/agents", { name: "Alice Martin", email: "Alice@Add-Co.test", password: PASSWORD, roomIds: [general, sales] }, { from: "/admin/agents/new" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/agents");

    const row = await env.DB.prepare("select id, name, handle, is_agent, is_admin, disabled from users where email = 'alice@add-co.test'").first();
    expect(row).toMatchObject({ name: "Alice Martin", handle: "alice-martin", is_agent: 1, is_admin: 0, disabled: 0 });
    expect(await roomsServedBy(row!.id as string)).toEqual(["GENERAL", "SALES"]);

    const list = await (await admin.get("/admin/agents")).text();
    const entry = list.match(/<tr data-agent="alice@add-co\.test">[\s\S]*?<\/tr>/)?.[0] ?? "";
    expect(entry).toContain("Alice Martin");
    expect(entry).toContain('<span class="chip">GENERAL</span>');
    expect(entry).toContain('<span class="chip">SALES</span>');
    expect(entry).toContain("/c/add-co/~alice-martin");
    expect(entry).toContain("Active");

    const agent = await signedIn("alice@add-co.test");
    const home = await agent.get("/agent");
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain("/c/add-co/GENERAL");
    expect(html).toContain("/c/add-co/SALES");
  });

  it("explains invalid fields next to each field with 422 and adds nobody", async () => {
    const { admin } = await companyWithTwoRooms("bad-form");
    const before = await tableCounts();
    const res = await admin.post("/admin/agents", { name: "  ", email: "not-an-email", password: "short" }, { from: "/admin/agents/new" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(errorNextTo(html, "name")).toBe("Enter a name.");
    expect(errorNextTo(html, "email")).toBe("Enter a valid email address, like name@example.com.");
    expect(errorNextTo(html, "password")).toBe("Use at least 10 characters.");
    // What was typed is kept, so the admin only fixes what is wrong.
    expect(control(html, "email")).toContain('value="not-an-email"');
    expect(await tableCounts()).toEqual(before);
  });

  it("gives a second agent of the same name a private room address of their own", async () => {
    const { admin } = await companyWithTwoRooms("twins-co");
    await addAgent(admin, { name: "Sam Lee", email: "sam1@twins-co.test" });
    await addAgent(admin, { name: "Sam Lee", email: "sam2@twins-co.test" });
    const list = await (await admin.get("/admin/agents")).text();
    expect(list).toMatch(/data-agent="sam1@twins-co\.test">[\s\S]*?\/c\/twins-co\/~sam-lee</);
    expect(list).toMatch(/data-agent="sam2@twins-co\.test">[\s\S]*?\/c\/twins-co\/~sam-lee-2</);
    expect((await new Browser().get("/c/twins-co/~sam-lee-2")).status).toBe(200);
  });

  it("counts a room ticked twice in a hand-made form once", async () => {
    const { admin, general } = await companyWithTwoRooms("twice-co");
    const res = await admin.post("/admin/agents", { name: "Tia", email: "tia@twice-co.test", password: PASSWORD, roomIds: [general, general] }, { from: "/admin/agents/new" });
    expect(res.status).toBe(303);
    expect(await roomsServedBy(await userId("tia@twice-co.test"))).toEqual(["GENERAL"]);
  });

  it("asks for a first password rather than creating an agent who cannot sign in", async () => {
    const { admin } = await companyWithTwoRooms("no-pass");
    const res = await admin.post("/admin/agents", { name: "Pat", email: "pat@no-pass.test", password: "" }, { from: "/admin/agents/new" });
    expect(res.status).toBe(422);
    expect(errorNextTo(await res.text(), "password")).toBe("Set a first password for the agent.");
    expect(await count("select count(*) n from users where email = 'pat@no-pass.test'")).toBe(0);
  });

  it("refuses an email someone already uses, in any company and any letter case, with 422", async () => {
    const { admin } = await companyWithTwoRooms("dup-agent");
    await addAgent(admin, { name: "First", email: "taken@dup-agent.test" });
    await signUpAs(new Browser(), { slug: "elsewhere", email: "owner@elsewhere.test" });
    const before = await tableCounts();
    for (const email of ["TAKEN@dup-agent.test", "owner@elsewhere.test"]) {
      const res = await admin.post("/admin/agents", { name: "Second", email, password: PASSWORD }, { from: "/admin/agents/new" });
      expect(res.status).toBe(422);
      expect(errorNextTo(await res.text(), "email")).toBe("Someone already uses this email address.");
    }
    expect(await tableCounts()).toEqual(before);
  });
});

describe("POST /admin/agents/:id", () => {
  it("renames an agent and changes their rooms, keeping their password", async () => {
    const { admin, general, sales } = await companyWithTwoRooms("edit-co");
    const id = await addAgent(admin, { name: "Bob", email: "bob@edit-co.test", roomIds: [general] });
    const form = await (await admin.get(`/admin/agents/${id}`)).text();
    expect(control(form, "name")).toContain('value="Bob"');

    const res = await admin.post(`/admin/agents/${id}`, { name: "Bob Chen", email: "bob@edit-co.test", password: "", roomIds: [sales] }, { from: `/admin/agents/${id}` });
    expect(res.status).toBe(303);
    expect(await env.DB.prepare("select name from users where id = ?").bind(id).first("name")).toBe("Bob Chen");
    expect(await roomsServedBy(id)).toEqual(["SALES"]);
    await signedIn("bob@edit-co.test", PASSWORD);
    // The private room's address was handed out to customers: a rename must not break it.
    const privateRoom = await new Browser().get("/c/edit-co/~bob");
    expect(privateRoom.status).toBe(200);
    expect(await privateRoom.text()).toContain("You will be connected to Bob Chen.");
  });

  it("takes every room away when no room is ticked", async () => {
    const { admin, general, sales } = await companyWithTwoRooms("unassign");
    const id = await addAgent(admin, { name: "Cleo", email: "cleo@unassign.test", roomIds: [general, sales] });
    await admin.post(`/admin/agents/${id}`, { name: "Cleo", email: "cleo@unassign.test" }, { from: `/admin/agents/${id}` });
    expect(await roomsServedBy(id)).toEqual([]);
    expect(await (await admin.get("/admin/agents")).text()).toMatch(/data-agent="cleo@unassign\.test">[\s\S]*?No rooms yet/);
  });

  it("resets the password: the old one stops working, the new one works, and open sessions end", async () => {
    const { admin } = await companyWithTwoRooms("reset-co");
    const id = await addAgent(admin, { name: "Dana", email: "dana@reset-co.test" });
    const danaBefore = await signedIn("dana@reset-co.test");
    const newPassword = "brand new 42";
    const res = await admin.post(`/admin/agents/${id}`, { name: "Dana", email: "dana@reset-co.test", password: newPassword }, { from: `/admin/agents/${id}` });
    expect(res.status).toBe(303);

    expect((await danaBefore.get("/agent")).status).toBe(302);
    const old = await new Browser().post("/login", { email: "dana@reset-co.test", password: PASSWORD });
    expect(old.status).toBe(422);
    expect((await (await signedIn("dana@reset-co.test", newPassword)).get("/agent")).status).toBe(200);
  });

  it("refuses a new password that is common or built from the agent's or the company's name, and keeps the old one", async () => {
    const { admin } = await companyWithTwoRooms("weak-co");
    const id = await addAgent(admin, { name: "Dana Scully", email: "dana@weak-co.test" });
    const before = await agentSnapshot("dana@weak-co.test");
    const refusals = {
      "password12": "one of the most common ones",
      "dana-scully-1": "built from a name, an email address or the word Parley",
      "weak-co-2024!": "built from a name, an email address or the word Parley",
      "zzzzzz98765": "a repeat or a sequence",
    };
    for (const [password, why] of Object.entries(refusals)) {
      const res = await admin.post(`/admin/agents/${id}`, { name: "Dana Scully", email: "dana@weak-co.test", password }, { from: `/admin/agents/${id}` });
      expect(res.status, password).toBe(422);
      expect(errorNextTo(await res.text(), "password"), password).toContain(why);
    }
    expect(await agentSnapshot("dana@weak-co.test")).toEqual(before);
  });

  it("counts each room's enabled agents on the rooms page", async () => {
    const { admin, general, sales } = await companyWithTwoRooms("count-co");
    await addAgent(admin, { name: "Alice", email: "alice@count-co.test", roomIds: [general, sales] });
    await addAgent(admin, { name: "Bob", email: "bob@count-co.test", roomIds: [general] });
    const eve = await addAgent(admin, { name: "Eve", email: "eve@count-co.test", roomIds: [sales] });
    await admin.post(`/admin/agents/${eve}`, { name: "Eve", email: "eve@count-co.test", roomIds: [sales], disabled: "on" }, { from: `/admin/agents/${eve}` });

    const html = await (await admin.get("/admin")).text();
    const summary = (room: string) => html.match(new RegExp(`<h3>${room}[\\s\\S]*?<p class="muted small">([^<]*)</p>`))?.[1];
    expect(summary("GENERAL")).toBe("No charges · 2 agents");
    expect(summary("SALES")).toBe("No charges · 1 agent");
  });

  it("disables an agent: their open session stops working and signing in says the account was disabled", async () => {
    const { admin, general } = await companyWithTwoRooms("disable-co");
    const id = await addAgent(admin, { name: "Eve", email: "eve@disable-co.test", roomIds: [general] });
    const eve = await signedIn("eve@disable-co.test");
    expect((await eve.get("/agent")).status).toBe(200);

    const res = await admin.post(`/admin/agents/${id}`, { name: "Eve", email: "eve@disable-co.test", roomIds: [general], disabled: "on" }, { from: `/admin/agents/${id}` });
    expect(res.status).toBe(303);
    expect(await env.DB.prepare("select disabled from users where id = ?").bind(id).first("disabled")).toBe(1);

    const after = await eve.get("/agent");
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toBe("/login?next=%2Fagent");

    const again = await new Browser().post("/login", { email: "eve@disable-co.test", password: PASSWORD });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("This account has been disabled by your administrator.");
    expect(again.headers.getSetCookie().some((c) => c.startsWith("parley_session="))).toBe(false);

    const list = await (await admin.get("/admin/agents")).text();
    expect(list).toMatch(/data-agent="eve@disable-co\.test">[\s\S]*?Disabled/);
  });

  it("lets a re-enabled agent sign in again", async () => {
    const { admin } = await companyWithTwoRooms("reenable");
    const id = await addAgent(admin, { name: "Finn", email: "finn@reenable.test" });
    await admin.post(`/admin/agents/${id}`, { name: "Finn", email: "finn@reenable.test", disabled: "on" }, { from: `/admin/agents/${id}` });
    await admin.post(`/admin/agents/${id}`, { name: "Finn", email: "finn@reenable.test" }, { from: `/admin/agents/${id}` });
    expect((await (await signedIn("finn@reenable.test")).get("/agent")).status).toBe(200);
  });

  it("does not let an admin disable their own account, and changes nothing", async () => {
    // A Solo User is admin and agent at once, so they appear on their own staff list.
    const solo = new Browser();
    await signUpAs(solo, { slug: "self-solo", email: "me@self-solo.test", accountType: "solo" });
    const id = await userId("me@self-solo.test");
    const before = await agentSnapshot("me@self-solo.test");
    const res = await solo.post(`/admin/agents/${id}`, { name: "Renamed", email: "me@self-solo.test", disabled: "on" }, { from: `/admin/agents/${id}` });
    expect(res.status).toBe(422);
    const html = await res.text();
    const field = html.match(/<div class="field has-error">[\s\S]*?<\/div>/)?.[0] ?? "";
    expect(field).toContain('name="disabled"');
    expect(field).toContain("You cannot disable your own account.");
    expect(await agentSnapshot("me@self-solo.test")).toEqual(before);
    expect((await solo.get("/admin")).status).toBe(200);
  });

  it("explains invalid fields next to each field with 422 and changes nothing", async () => {
    const { admin, general } = await companyWithTwoRooms("bad-edit");
    const id = await addAgent(admin, { name: "Gus", email: "gus@bad-edit.test", roomIds: [general] });
    const before = await agentSnapshot("gus@bad-edit.test");
    const counts = await tableCounts();
    const res = await admin.post(`/admin/agents/${id}`, { name: "", email: "gus@", password: "password12", roomIds: [] }, { from: `/admin/agents/${id}` });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(errorNextTo(html, "name")).toBe("Enter a name.");
    expect(errorNextTo(html, "email")).toBe("Enter a valid email address, like name@example.com.");
    expect(errorNextTo(html, "password")).toBe("This password is one of the most common ones, so it is easy to guess. Try a few unrelated words instead.");
    expect(await agentSnapshot("gus@bad-edit.test")).toEqual(before);
    expect(await tableCounts()).toEqual(counts);
  });

  it("refuses to move an agent to an email someone already uses, with 422, and changes nothing", async () => {
    const { admin } = await companyWithTwoRooms("dup-edit");
    await addAgent(admin, { name: "Hal", email: "hal@dup-edit.test" });
    const id = await addAgent(admin, { name: "Ida", email: "ida@dup-edit.test" });
    const before = await agentSnapshot("ida@dup-edit.test");
    const res = await admin.post(`/admin/agents/${id}`, { name: "Ida", email: "HAL@dup-edit.test" }, { from: `/admin/agents/${id}` });
    expect(res.status).toBe(422);
    expect(errorNextTo(await res.text(), "email")).toBe("Someone already uses this email address.");
    expect(await agentSnapshot("ida@dup-edit.test")).toEqual(before);
  });
});

describe("/admin pages", () => {
  it("answer an agent who is not an admin with 403 and let them change nothing", async () => {
    const { admin, general } = await companyWithTwoRooms("not-admin");
    const id = await addAgent(admin, { name: "Jo", email: "jo@not-admin.test", roomIds: [general] });
    const jo = await signedIn("jo@not-admin.test");
    for (const path of ["/admin", "/admin/agents", "/admin/agents/new", `/admin/agents/${id}`]) {
      const res = await jo.get(path);
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain("Only your company&#39;s administrator can open this page.");
    }
    const before = await tableCounts();
    const created = await jo.post("/admin/agents", { name: "Sneaky", email: "sneaky@not-admin.test", password: PASSWORD }, { from: "/agent" });
    expect(created.status).toBe(403);
    const promoted = await jo.post(`/admin/agents/${id}`, { name: "Jo the Boss", email: "jo@not-admin.test", password: "taken over 1" }, { from: "/agent" });
    expect(promoted.status).toBe(403);
    expect(await tableCounts()).toEqual(before);
    expect(await env.DB.prepare("select name from users where id = ?").bind(id).first("name")).toBe("Jo");
  });

  it("send an anonymous visitor to sign in, and come back afterwards", async () => {
    for (const path of ["/admin", "/admin/agents", "/admin/agents/new"]) {
      const res = await new Browser().get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it("refuse an anonymous form post and change nothing", async () => {
    await companyWithTwoRooms("anon-post");
    const before = await tableCounts();
    const res = await new Browser().post("/admin/agents", { name: "Ghost", email: "ghost@anon-post.test", password: PASSWORD }, { from: "/login" });
    expect(res.status).toBe(401);
    expect(await tableCounts()).toEqual(before);
  });
});

describe("Manual payment request, the administrator's switch per agent", () => {
  const allowed = async (id: string) => (await env.DB.prepare("select manual_payment_allowed m from agent_profiles where user_id = ?").bind(id).first<{ m: number }>())!.m;
  const lastAudit = async (id: string) =>
    (await env.DB.prepare("select action, user_id, detail from audit_events where subject = ? order by created_at desc, rowid desc limit 1").bind(id).first<{ action: string; user_id: string; detail: string }>())!;

  it("is off for a new agent, saved with the rest of the edit form, audited, and shown to the agent", async () => {
    const { admin, general } = await companyWithTwoRooms("mpr-co");
    const id = await addAgent(admin, { name: "Mia", email: "mia@mpr-co.test", roomIds: [general] });
    expect(await allowed(id)).toBe(0);
    expect(control(await (await admin.get(`/admin/agents/${id}`)).text(), "manualPaymentAllowed")).not.toContain("checked");

    const res = await admin.post(`/admin/agents/${id}`, { name: "Mia Moss", email: "mia@mpr-co.test", roomIds: [general], manualPaymentAllowed: "on" }, { from: `/admin/agents/${id}` });
    expect(res.status).toBe(303);
    expect(await allowed(id)).toBe(1);
    expect(await env.DB.prepare("select name from users where id = ?").bind(id).first("name")).toBe("Mia Moss");
    const audit = await lastAudit(id);
    expect(audit).toMatchObject({ action: "agent.updated", user_id: await userId("boss@mpr-co.test") });
    expect(JSON.parse(audit.detail)).toEqual({ changed: ["name", "manualPaymentAllowed"], manualPaymentAllowed: true });

    expect(control(await (await admin.get(`/admin/agents/${id}`)).text(), "manualPaymentAllowed")).toContain('checked=""');
    expect(await (await admin.get("/admin/agents")).text()).toMatch(/data-agent="mia@mpr-co\.test">[\s\S]*?Manual payment request/);
    const mia = await signedIn("mia@mpr-co.test");
    expect(await (await mia.get("/agent/profile")).text()).toContain("Manual payment request: <strong>enabled</strong> by your administrator.");

    // An unticked switch is sent as nothing, and withdraws it.
    await admin.post(`/admin/agents/${id}`, { name: "Mia Moss", email: "mia@mpr-co.test", roomIds: [general] }, { from: `/admin/agents/${id}` });
    expect(await allowed(id)).toBe(0);
    expect(JSON.parse((await lastAudit(id)).detail)).toEqual({ changed: ["manualPaymentAllowed"], manualPaymentAllowed: false });
  });

  it("can be granted when the agent is added", async () => {
    const { admin } = await companyWithTwoRooms("mpr-new");
    const res = await admin.post("/admin/agents", { name: "Ned", email: "ned@mpr-new.test", password: PASSWORD, manualPaymentAllowed: "on" }, { from: "/admin/agents/new" });
    expect(res.status).toBe(303);
    expect(await allowed(await userId("ned@mpr-new.test"))).toBe(1);
  });

  it("is not saved when the rest of the form is refused", async () => {
    const { admin } = await companyWithTwoRooms("mpr-bad");
    const id = await addAgent(admin, { name: "Oli", email: "oli@mpr-bad.test" });
    const res = await admin.post(`/admin/agents/${id}`, { name: "", email: "oli@mpr-bad.test", manualPaymentAllowed: "on" }, { from: `/admin/agents/${id}` });
    expect(res.status).toBe(422);
    // What was chosen stays chosen on the refused form.
    expect(control(await res.text(), "manualPaymentAllowed")).toContain('checked=""');
    expect(await allowed(id)).toBe(0);
  });

  it("cannot be granted by an agent who is not an administrator, nor for another company's agent", async () => {
    const { admin, general } = await companyWithTwoRooms("mpr-sec");
    const id = await addAgent(admin, { name: "Pat", email: "pat@mpr-sec.test", roomIds: [general] });
    const pat = await signedIn("pat@mpr-sec.test");
    const self = await pat.post(`/admin/agents/${id}`, { name: "Pat", email: "pat@mpr-sec.test", roomIds: [general], manualPaymentAllowed: "on" }, { from: "/agent" });
    expect(self.status).toBe(403);
    expect(await allowed(id)).toBe(0);

    const other = await companyWithTwoRooms("mpr-other");
    const foreign = await other.admin.post(`/admin/agents/${id}`, { name: "Pat", email: "pat@mpr-sec.test", manualPaymentAllowed: "on" }, { from: "/admin/agents" });
    expect(foreign.status).toBe(404);
    expect(await allowed(id)).toBe(0);
  });
});
