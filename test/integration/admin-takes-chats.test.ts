import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Browser, PASSWORD, signUpAs } from "./client";
import { addAgent, addRoom, count, signedIn, tableCounts } from "./fixtures";
import { Customer, untilDevice } from "./live";
import { accept, frames } from "./sockets";

// "I take chats too": a company's admin answers customers with their own login, like any agent.

const isAgent = async (email: string) => (await env.DB.prepare("select is_agent from users where email = ?").bind(email).first<{ is_agent: number }>())!.is_agent;
const roomsOf = async (email: string) =>
  (
    await env.DB.prepare("select r.name from room_agents ra join rooms r on r.id = ra.room_id join users u on u.id = ra.user_id where u.email = ? order by r.name").bind(email).all<{ name: string }>()
  ).results.map((r) => r.name);
const switchOf = (html: string) => html.match(/<input id="f-takesChats"[^>]*>/)?.[0];

async function company(slug: string) {
  const admin = new Browser();
  await signUpAs(admin, { slug, email: `boss@${slug}.test` });
  return admin;
}

describe("POST /admin/takes-chats", () => {
  it("makes the admin an agent who serves the plan's rooms, has the console and is rung for chats", async () => {
    const admin = await company("self-serve");
    await addRoom("self-serve", "SALES"); // locked on Forever Free: not served
    expect((await admin.get("/agent")).status).toBe(403);
    const before = await (await admin.get("/admin/agents")).text();
    expect(switchOf(before)).not.toContain("checked");
    expect(before).toContain("I take chats too");

    const res = await admin.post("/admin/takes-chats", { takesChats: "on" }, { from: "/admin/agents" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/agents");
    expect(await isAgent("boss@self-serve.test")).toBe(1);
    expect(await roomsOf("boss@self-serve.test")).toEqual(["GENERAL"]);
    expect(await count("select count(*) n from audit_events where action = 'admin.takes_chats'")).toBeGreaterThan(0);

    const staff = await (await admin.get("/admin/agents")).text();
    expect(switchOf(staff)).toContain('checked=""');
    const row = staff.match(/<tr data-agent="boss@self-serve\.test">[\s\S]*?<\/tr>/)?.[0] ?? "";
    expect(row).toContain('<span class="badge">admin</span>');
    expect(row).toContain('<span class="chip">GENERAL</span>');
    expect(row).toContain("/c/self-serve/~owner-of-self-serve");

    // The console works, and a customer's chat rings it: no more "no one is online".
    expect((await admin.get("/agent")).status).toBe(200);
    const console = await accept(await admin.fetch("/agent/ws?device=browser", { headers: { upgrade: "websocket" } }), "the admin's console");
    await console.next((f) => f.includes('id="agent-status"'), "the console snapshot");
    await untilDevice("self-serve", "GENERAL", "boss@self-serve.test", "browser", "WAITING_NEW_CALL");
    const chat = await new Customer().startChat("/c/self-serve/GENERAL");
    await console.next(frames.ring(chat.id), "the ring on the admin's console");
    // Their private room reaches them too.
    expect((await new Browser().get("/c/self-serve/~owner-of-self-serve")).status).toBe(200);
  });

  it("switched off, takes the hotlines away and closes the console to the admin", async () => {
    const admin = await company("self-off");
    await admin.post("/admin/takes-chats", { takesChats: "on" }, { from: "/admin/agents" });
    const res = await admin.post("/admin/takes-chats", {}, { from: "/admin/agents" });
    expect(res.status).toBe(303);
    expect(await isAgent("boss@self-off.test")).toBe(0);
    expect(await roomsOf("boss@self-off.test")).toEqual([]);
    expect((await admin.get("/agent")).status).toBe(403);
    expect(await (await admin.get("/admin/agents")).text()).not.toContain('data-agent="boss@self-off.test"');
  });

  it("keeps the hotlines the admin chose when switched on again after an edit", async () => {
    const admin = await company("self-edit");
    await env.DB.prepare("update companies set plan = 'pro' where slug = 'self-edit'").run();
    const sales = await addRoom("self-edit", "SALES");
    await admin.post("/admin/takes-chats", { takesChats: "on" }, { from: "/admin/agents" });
    expect(await roomsOf("boss@self-edit.test")).toEqual(["GENERAL", "SALES"]);
    const adminId = (await env.DB.prepare("select id from users where email = 'boss@self-edit.test'").first<{ id: string }>())!.id;
    const edit = await admin.post(`/admin/agents/${adminId}`, { name: "Owner of self-edit", email: "boss@self-edit.test", roomIds: [sales] }, { from: `/admin/agents/${adminId}` });
    expect(edit.status).toBe(303);
    expect(await roomsOf("boss@self-edit.test")).toEqual(["SALES"]);
    // Sent again (a second tab), nothing changes.
    await admin.post("/admin/takes-chats", { takesChats: "on" }, { from: "/admin/agents" });
    expect(await roomsOf("boss@self-edit.test")).toEqual(["SALES"]);
  });

  it("is there from the start for a solo account, which cannot switch it off", async () => {
    const solo = new Browser();
    await signUpAs(solo, { slug: "solo-self", email: "me@solo-self.test", accountType: "solo" });
    expect(await isAgent("me@solo-self.test")).toBe(1);
    expect((await roomsOf("me@solo-self.test")).length).toBeGreaterThan(0);
    expect((await solo.get("/agent")).status).toBe(200);
    expect(switchOf(await (await solo.get("/admin/agents")).text())).toBeUndefined();
    const before = await tableCounts();
    const res = await solo.post("/admin/takes-chats", {}, { from: "/admin/agents" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("A solo account takes its own chats");
    expect(await tableCounts()).toEqual(before);
    expect(await isAgent("me@solo-self.test")).toBe(1);
  });

  it("is the admin's alone: an agent is refused, and a form without its CSRF token changes nothing", async () => {
    const admin = await company("self-guard");
    await addAgent(admin, { name: "Ann Agent", email: "ann@self-guard.test" });
    const ann = await signedIn("ann@self-guard.test", PASSWORD);
    expect((await ann.post("/admin/takes-chats", { takesChats: "on" }, { from: "/agent" })).status).toBe(403);
    const forged = await admin.post("/admin/takes-chats", { takesChats: "on" }, { from: "/admin/agents", csrf: false });
    expect(forged.status).toBe(403);
    expect(await isAgent("boss@self-guard.test")).toBe(0);
  });
});
