import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { Browser } from "./client";
import { control, signedIn } from "./fixtures";
import { Customer, salesCompany, setRoom, type LiveCompany } from "./live";
import { mailTo, source } from "./mail";
import { closeAllSockets } from "./sockets";

// Messages customers leave by email ("Email us" on the contact form, "Leave an email message" on
// the waiting screen): an alert mail to the room's agents who keep Email Alert on, the agents'
// Inbox, the reply emailed to the customer, and who may see what. Mail is read from the catcher.

afterEach(() => closeAllSockets());

/** The SALES company, where Bob turned Email Alert off. */
async function company(slug: string): Promise<LiveCompany> {
  const co = await salesCompany(slug);
  await env.DB.prepare("insert into agent_profiles (user_id, email_alert) values (?, 0) on conflict (user_id) do update set email_alert = 0").bind(co.agents[`bob@${slug}.test`]).run();
  return co;
}

/** "Email us" on a room's contact form. */
async function emailUs(slug: string, room: string, fields: Record<string, string> = {}) {
  const res = await new Customer().submit(`/c/${slug}/${room}`, { name: "Carla Customer", email: `carla@${slug}.test`, message: "Do you ship to Norway?", mode: "email", ...fields });
  expect(res.status).toBe(200);
}

const messageId = async (slug: string, body: string) =>
  (await env.DB.prepare("select id from customer_requests where body = ? and company_id = (select id from companies where slug = ?)").bind(body, slug).first<{ id: string }>())!.id;

const messageRow = (id: string) => env.DB.prepare("select status, answered_at, answered_by, reply_text, handled_at from customer_requests where id = ?").bind(id).first<Record<string, unknown>>();

/** Listed messages: the ids the Inbox table shows, in order. */
const listed = (html: string) => [...html.matchAll(/<tr data-message="([^"]+)"/g)].map((m) => m[1]);

async function reply(browser: Browser, id: string, text: string) {
  return browser.post(`/agent/inbox/${id}/reply`, { reply: text }, { from: `/agent/inbox/${id}` });
}

describe("a message left by email", () => {
  it("mails the room's agents who keep Email Alert on, from the room's public profile, with the message and a link to it in the Inbox", async () => {
    await company("inbox-alert");
    await emailUs("inbox-alert", "GENERAL");
    const id = await messageId("inbox-alert", "Do you ship to Norway?");

    const mail = await mailTo("ann@inbox-alert.test", "New message from Carla Customer");
    expect(mail, "Ann's alert").toBeDefined();
    expect(mail!.from[0]!.name).toBe("Acme Help");
    expect(mail!.text).toContain("Do you ship to Norway?");
    expect(mail!.text).toContain("carla@inbox-alert.test");
    expect(mail!.text).toContain("GENERAL");
    expect(mail!.text).toContain(`https://parley.test/agent/inbox/${id}`);
    const headers = await source(mail!.id);
    expect(headers).toMatch(/^Reply-To: .*help@acme\.test/m);
    expect(headers).toMatch(/^List-Unsubscribe: <https:\/\/parley\.test\/agent\/profile#emailAlert>/m);

    // Bob turned Email Alert off; Cleo does not serve GENERAL: no mail was even written for them.
    const recipients = await env.DB.prepare("select to_address from email_outbox where id like ? order by to_address").bind(`${id}:%`).all<{ to_address: string }>();
    expect(recipients.results.map((r) => r.to_address).filter((a) => a.endsWith("@inbox-alert.test"))).toEqual(["ann@inbox-alert.test"]);
  });

  it("mails the agents too when it is left on the waiting screen", async () => {
    await company("inbox-wait");
    await setRoom("inbox-wait", "GENERAL", "allow_leave_email = 1");
    const customer = new Customer();
    const chat = await customer.startChat("/c/inbox-wait/GENERAL", { name: "Walt Waiting", email: "walt@inbox-wait.test" });
    await customer.browser.htmxGet(`/chats/${chat.id}/requests/new?kind=message`);
    const res = await customer.browser.htmxPost(`/chats/${chat.id}/requests`, { kind: "message", email: "walt@inbox-wait.test", body: "Nobody answered, call me." });
    expect(res.status).toBe(200);
    const mail = await mailTo("ann@inbox-wait.test", "New message from Walt Waiting");
    expect(mail?.text).toContain("Nobody answered, call me.");
  });

  it("still lands in the Inbox when no agent of the room keeps Email Alert on", async () => {
    const co = await company("inbox-quiet");
    await env.DB.prepare("insert into agent_profiles (user_id, email_alert) values (?, 0), (?, 0) on conflict (user_id) do update set email_alert = 0")
      .bind(co.agents["ann@inbox-quiet.test"], co.agents["cleo@inbox-quiet.test"])
      .run();
    await emailUs("inbox-quiet", "SALES", { message: "Quiet room question" });
    const id = await messageId("inbox-quiet", "Quiet room question");
    const outbox = await env.DB.prepare("select count(*) n from email_outbox where company_id = ?").bind(co.id).first<{ n: number }>();
    expect(outbox!.n).toBe(0);
    const html = await (await (await signedIn("cleo@inbox-quiet.test")).get("/agent/inbox")).text();
    expect(listed(html)).toEqual([id]);
  });

  it("left in an agent's private room, goes to that agent alone, though the room uses the settings of one colleagues serve", async () => {
    await company("inbox-private");
    // Cleo's private room takes GENERAL's settings, a room Ann serves and Cleo does not.
    const handle = (await env.DB.prepare("select handle from users where email = 'cleo@inbox-private.test'").first<{ handle: string }>())!.handle;
    await emailUs("inbox-private", `~${handle}`, { message: "For Cleo only" });
    const id = await messageId("inbox-private", "For Cleo only");

    const mail = await mailTo("cleo@inbox-private.test", "New message from Carla Customer");
    expect(mail?.text).toContain("For Cleo only");
    const recipients = await env.DB.prepare("select to_address from email_outbox where id like ?").bind(`${id}:%`).all<{ to_address: string }>();
    expect(recipients.results.map((r) => r.to_address)).toEqual(["cleo@inbox-private.test"]);

    expect(listed(await (await (await signedIn("cleo@inbox-private.test")).get("/agent/inbox")).text())).toEqual([id]);
    expect((await (await signedIn("ann@inbox-private.test")).get(`/agent/inbox/${id}`)).status).toBe(404);
    expect(listed(await (await (await signedIn("boss@inbox-private.test")).get("/agent/inbox")).text())).toEqual([id]);
  });

  it("keeps a line break in the customer's name out of the alert's subject", async () => {
    await company("inbox-crlf");
    await emailUs("inbox-crlf", "GENERAL", { name: "Eve\r\nBcc: victim@evil.test", message: "Injected?" });
    const rows = (await env.DB.prepare("select subject from email_outbox where to_address = 'ann@inbox-crlf.test'").all<{ subject: string }>()).results;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.subject).not.toMatch(/[\r\n]/);
  });
});

describe("GET /agent/inbox", () => {
  it("lists the messages of the rooms the agent serves, newest first, and all of the company's to its administrator", async () => {
    await company("inbox-list");
    await emailUs("inbox-list", "GENERAL", { message: "First, general" });
    await emailUs("inbox-list", "SALES", { message: "Second, sales" });
    const general = await messageId("inbox-list", "First, general");
    const sales = await messageId("inbox-list", "Second, sales");

    const ann = await (await signedIn("ann@inbox-list.test")).get("/agent/inbox");
    expect(ann.status).toBe(200);
    const annHtml = await ann.text();
    expect(listed(annHtml)).toEqual([sales, general]);
    expect(annHtml).toContain("Open (2)");
    expect(annHtml).toContain('href="/agent/inbox"');

    expect(listed(await (await (await signedIn("cleo@inbox-list.test")).get("/agent/inbox")).text())).toEqual([sales]);
    expect(listed(await (await (await signedIn("boss@inbox-list.test")).get("/agent/inbox")).text())).toEqual([sales, general]);
  });

  it("shows a message only to those who may read it: 404 for a colleague's room the agent does not serve and for another company's message", async () => {
    await company("inbox-auth");
    await company("inbox-other");
    await emailUs("inbox-auth", "GENERAL", { message: "General only" });
    await emailUs("inbox-other", "SALES", { message: "Another company's" });
    const general = await messageId("inbox-auth", "General only");
    const foreign = await messageId("inbox-other", "Another company's");

    const cleo = await signedIn("cleo@inbox-auth.test");
    expect((await cleo.get(`/agent/inbox/${general}`)).status).toBe(404);
    expect((await reply(cleo, general, "Sneaky")).status).toBe(404);
    expect((await cleo.post(`/agent/inbox/${general}/status`, { status: "done" }, { from: "/agent/inbox" })).status).toBe(404);

    const boss = await signedIn("boss@inbox-auth.test");
    expect((await boss.get(`/agent/inbox/${foreign}`)).status).toBe(404);
    expect((await reply(boss, foreign, "Sneaky")).status).toBe(404);
    expect(await messageRow(general)).toMatchObject({ status: "open", reply_text: null });
    expect(await messageRow(foreign)).toMatchObject({ status: "open", reply_text: null });

    expect((await (await signedIn("ann@inbox-auth.test")).get(`/agent/inbox/${general}`)).status).toBe(200);
  });

  it("sends someone signed out to sign in", async () => {
    const res = await new Browser().get("/agent/inbox");
    expect([302, 303]).toContain(res.status);
  });
});

describe("POST /agent/inbox/:id/reply", () => {
  it("emails the reply to the customer from the room's public profile, Reply-To its contact email, and records who answered when", async () => {
    await company("inbox-reply");
    await emailUs("inbox-reply", "GENERAL", { message: "Do you ship to Norway?\nThanks" });
    const id = await messageId("inbox-reply", "Do you ship to Norway?\nThanks");
    const ann = await signedIn("ann@inbox-reply.test");

    const res = await reply(ann, id, "Yes, we do.\n\nShipping takes a week.");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/agent/inbox/${id}?sent=1`);

    const mail = await mailTo("carla@inbox-reply.test", "Re: Do you ship to Norway?");
    expect(mail, "the reply in the customer's mailbox").toBeDefined();
    expect(mail!.from[0]!.name).toBe("Acme Help");
    expect(mail!.text).toContain("Shipping takes a week.");
    expect(mail!.text).toContain("You wrote: “Do you ship to Norway?");
    expect(mail!.html).toContain("You wrote: “Do you ship to Norway?");
    expect(await source(mail!.id)).toMatch(/^Reply-To: .*help@acme\.test/m);

    expect(await messageRow(id)).toMatchObject({ status: "open", answered_by: await idOfUser("ann@inbox-reply.test"), reply_text: "Yes, we do.\n\nShipping takes a week." });
    expect((await messageRow(id))!.answered_at).toBeTypeOf("number");
    const page = await (await ann.get(`/agent/inbox/${id}?sent=1`)).text();
    expect(page).toContain("Your reply is on its way to carla@inbox-reply.test.");
    expect(page).toContain("Answered by Ann Agent");
  });

  it("refuses an empty reply and one too long with 422, the form and what to fix, and sends nothing", async () => {
    await company("inbox-bad");
    await emailUs("inbox-bad", "GENERAL", { message: "Bad input" });
    const id = await messageId("inbox-bad", "Bad input");
    const ann = await signedIn("ann@inbox-bad.test");

    const empty = await reply(ann, id, "   ");
    expect(empty.status).toBe(422);
    const html = await empty.text();
    expect(html).toContain("Write your reply.");
    expect(html).toMatch(/<textarea[^>]*name="reply"[^>]*aria-invalid="true"/);
    expect(control(html, "_csrf")).toBeDefined();

    const long = await reply(ann, id, "x".repeat(5001));
    expect(long.status).toBe(422);
    expect(await long.text()).toContain("Use at most 5000 characters.");

    expect(await messageRow(id)).toMatchObject({ reply_text: null, answered_at: null });
    const outbox = await env.DB.prepare("select count(*) n from email_outbox where to_address = 'carla@inbox-bad.test'").first<{ n: number }>();
    expect(outbox!.n).toBe(0);
  });

  it("refuses a form without the CSRF token", async () => {
    await company("inbox-csrf");
    await emailUs("inbox-csrf", "GENERAL", { message: "CSRF" });
    const id = await messageId("inbox-csrf", "CSRF");
    const ann = await signedIn("ann@inbox-csrf.test");
    const res = await ann.post(`/agent/inbox/${id}/reply`, { reply: "Hello" }, { from: `/agent/inbox/${id}`, csrf: false });
    expect(res.status).toBe(403);
    expect(await messageRow(id)).toMatchObject({ reply_text: null });
  });

  it("holds an agent's replies after 20 in an hour with 429 and a message", async () => {
    await company("inbox-limit");
    await emailUs("inbox-limit", "GENERAL", { message: "Limit" });
    const id = await messageId("inbox-limit", "Limit");
    const ann = await signedIn("ann@inbox-limit.test");
    for (let i = 0; i < 20; i++) expect((await reply(ann, id, `Reply ${i}`)).status).toBe(303);
    const held = await reply(ann, id, "One too many");
    expect(held.status).toBe(429);
    expect(await held.text()).toMatch(/You have sent many replies in a short time\. Please try again in \d+ minutes\./);
    expect(await messageRow(id)).toMatchObject({ reply_text: "Reply 19" });
    // A colleague is not held by Ann's count.
    expect((await reply(await signedIn("bob@inbox-limit.test"), id, "From Bob")).status).toBe(303);
  });
});

describe("POST /agent/inbox/:id/status", () => {
  it("marks a message done, moving it to the Done list, and reopens it", async () => {
    await company("inbox-done");
    await emailUs("inbox-done", "GENERAL", { message: "Done soon" });
    const id = await messageId("inbox-done", "Done soon");
    const ann = await signedIn("ann@inbox-done.test");

    const done = await ann.post(`/agent/inbox/${id}/status`, { status: "done" }, { from: `/agent/inbox/${id}` });
    expect(done.status).toBe(303);
    expect(await messageRow(id)).toMatchObject({ status: "done" });
    expect((await messageRow(id))!.handled_at).toBeTypeOf("number");
    expect(listed(await (await ann.get("/agent/inbox")).text())).toEqual([]);
    expect(listed(await (await ann.get("/agent/inbox?status=done")).text())).toEqual([id]);
    expect(await (await ann.get(`/agent/inbox/${id}`)).text()).toContain("Reopen");

    await ann.post(`/agent/inbox/${id}/status`, { status: "open" }, { from: `/agent/inbox/${id}` });
    expect(await messageRow(id)).toMatchObject({ status: "open", handled_at: null });

    expect((await ann.post(`/agent/inbox/${id}/status`, { status: "deleted" }, { from: `/agent/inbox/${id}` })).status).toBe(422);
  });
});

const idOfUser = async (email: string) => (await env.DB.prepare("select id from users where email = ?").bind(email).first<{ id: string }>())!.id;
