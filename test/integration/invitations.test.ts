import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { Browser } from "./client";
import { control, count, errorNextTo, signedIn } from "./fixtures";
import { Agent, connectedChat, Customer, salesCompany as company, setRoom, type LiveCompany } from "./live";
import { mailTo, source } from "./mail";
import { closeAllSockets } from "./sockets";

// Consultation invitations from the agent's Clients page: the client's mail (read from the
// catcher), the link that fills in the room's contact form, the chat it leads to, and who may
// send and see what.

afterEach(() => closeAllSockets());

const invite = (agent: Browser, fields: Record<string, string>) => agent.post("/agent/clients", fields, { from: "/agent/clients" });

/** Ann's invitation to a room, sent and found in the catcher; returns the invitation's id and its mail. */
async function invited(co: LiveCompany, fields: Record<string, string> = {}, agent?: Browser) {
  const ann = agent ?? (await signedIn(`ann@${co.slug}.test`));
  const to = fields.email ?? `carla@${co.slug}.test`;
  const res = await invite(ann, { name: "Carla Client", email: to, room: co.rooms.GENERAL!, note: "", ...fields });
  expect(res.status, res.status === 303 ? "" : await res.clone().text()).toBe(303);
  const id = new URL(res.headers.get("location")!, "https://parley.test").searchParams.get("sent")!;
  const mail = await mailTo(to.toLowerCase(), "Ann Agent of Acme Help invites you to a consultation");
  expect(mail, "the invitation in the client's mailbox").toBeDefined();
  return { ann, id, mail: mail! };
}

/** The one link to Parley in a mail's text part, as a path. */
const linkIn = (text: string) => {
  const links = [...text.matchAll(/https:\/\/parley\.test(\/\S+)/g)].map((m) => m[1]!);
  expect(links).toHaveLength(1);
  return links[0]!;
};

/** The invitations a Clients page lists, in order, with what its Chat column says. */
const listed = (html: string) => [...html.matchAll(/<tr data-invitation="([^"]+)"/g)].map((m) => m[1]);
const chatCell = (html: string, id: string) => html.match(new RegExp(`<tr data-invitation="${id}">[\\s\\S]*?<td data-label="Chat" data-led="(yes|no)">([\\s\\S]*?)</td>`));

describe("POST /agent/clients", () => {
  it("emails the client, from the room's public profile, the agent's note and a link to the room's contact form that carries no session", async () => {
    const co = await company("invite-mail");
    const { ann, id, mail } = await invited(co, { note: "Good to meet you at the fair.\n\nLet's talk about your order." });

    expect(mail.from[0]!.name).toBe("Acme Help");
    expect(mail.text).toContain("Hello Carla Client,");
    expect(mail.text).toContain("Ann Agent of Acme Help invites you to a consultation.");
    expect(mail.text).toContain("Good to meet you at the fair.");
    expect(mail.text).toContain("Let's talk about your order.");
    expect(mail.html).toContain("Let&#39;s talk about your order.");
    expect(linkIn(mail.text)).toBe(`/c/invite-mail/GENERAL?invitation=${id}`);
    const headers = await source(mail.id);
    expect(headers).toMatch(/^Reply-To: .*help@acme\.test/m);
    expect(headers).not.toContain(ann.cookie("parley_session")!);
    expect(headers).not.toContain(ann.cookie("parley_csrf")!);

    const page = await (await ann.get(`/agent/clients?sent=${id}`)).text();
    expect(page).toContain("Your invitation is on its way to carla@invite-mail.test.");
    expect(listed(page)).toEqual([id]);
    expect(chatCell(page, id)?.[1]).toBe("no");
  });

  it("invites to the agent's private room, whose link puts the client through to that agent", async () => {
    const co = await company("invite-private");
    const handle = (await env.DB.prepare("select handle from users where email = 'ann@invite-private.test'").first<{ handle: string }>())!.handle;
    const ann = await signedIn("ann@invite-private.test");
    const form = await (await ann.get("/agent/clients")).text();
    expect(form).toMatch(/<option value="private"[^>]*>Your private room/);

    const res = await invite(ann, { name: "Pia Private", email: "pia@invite-private.test", room: "private", note: "" });
    expect(res.status).toBe(303);
    const mail = await mailTo("pia@invite-private.test", "Ann Agent of Acme Help invites you to a consultation");
    expect(mail!.text).toContain("you are put through to Ann Agent");
    const link = linkIn(mail!.text);
    expect(link).toMatch(new RegExp(`^/c/invite-private/~${handle}\\?invitation=`));
    const html = await (await new Customer().browser.get(link)).text();
    expect(html).toContain("You will be connected to Ann Agent.");
    expect(control(html, "email")).toContain('value="pia@invite-private.test"');
  });

  it("says a paid room's price in the mail", async () => {
    const co = await company("invite-paid");
    await setRoom("invite-paid", "SALES", "charging_mode = 'manual'");
    const ann = await signedIn("ann@invite-paid.test");
    expect((await invite(ann, { name: "Paul Paying", email: "paul@invite-paid.test", room: co.rooms.SALES!, note: "" })).status).toBe(303);
    const mail = await mailTo("paul@invite-paid.test", "Ann Agent of invite-paid Ltd invites you to a consultation");
    expect(mail!.text).toContain("This is a paid consultation: Ann Agent may send you an invoice to pay during the chat.");
  });

  it("refuses a malformed email address with 422 and the message next to the field, and sends nothing", async () => {
    const co = await company("invite-bad");
    const ann = await signedIn("ann@invite-bad.test");
    const res = await invite(ann, { name: "Carla Client", email: "carla@@example", room: co.rooms.GENERAL!, note: "Hi" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(errorNextTo(html, "email")).toBe("Enter a valid email address, like name@example.com.");
    // The form comes back as typed.
    expect(control(html, "name")).toContain('value="Carla Client"');
    expect(html).toMatch(/<textarea[^>]*name="note"[^>]*>Hi<\/textarea>/);

    const empty = await invite(ann, { name: " ", email: "", room: co.rooms.GENERAL!, note: "" });
    expect(empty.status).toBe(422);
    const emptyHtml = await empty.text();
    expect(errorNextTo(emptyHtml, "name")).toBe("Enter your client&#39;s name.");
    expect(errorNextTo(emptyHtml, "email")).toBe("Enter your client&#39;s email address.");

    expect(await count("select count(*) n from invitations where company_id = ?", co.id)).toBe(0);
    expect(await count("select count(*) n from email_outbox where company_id = ?", co.id)).toBe(0);
  });

  it("refuses a room the agent does not serve, or another company's, with 422", async () => {
    const co = await company("invite-room");
    const other = await company("invite-room-other");
    const cleo = await signedIn("cleo@invite-room.test");
    const page = await (await cleo.get("/agent/clients")).text();
    expect(page).not.toContain(`value="${co.rooms.GENERAL}"`);
    for (const room of [co.rooms.GENERAL!, other.rooms.SALES!, "not-a-room"]) {
      const res = await invite(cleo, { name: "Carla Client", email: "carla@invite-room.test", room, note: "" });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain("Choose one of your rooms.");
    }
    expect(await count("select count(*) n from invitations where agent_id = ?", co.agents["cleo@invite-room.test"])).toBe(0);
  });

  it("keeps the client's name and the note out of the mail's header fields", async () => {
    const co = await company("invite-crlf");
    const ann = await signedIn("ann@invite-crlf.test");
    const res = await invite(ann, { name: "Eve\r\nBcc: victim@evil.test", email: "eve@invite-crlf.test", room: co.rooms.GENERAL!, note: "x\r\nBcc: victim@evil.test" });
    expect(res.status).toBe(303);
    const mail = await mailTo("eve@invite-crlf.test", "Ann Agent of Acme Help invites you to a consultation");
    expect(mail!.to.map((t) => t.address)).toEqual(["eve@invite-crlf.test"]);
    const raw = await source(mail!.id);
    const headers = raw.slice(0, raw.indexOf("\r\n\r\n"));
    expect(headers).not.toMatch(/^Bcc:/im);
    expect(headers).toMatch(/^Subject: Ann Agent of Acme Help invites you to a consultation\r?$/m);
    // A name is one line, in the greeting too.
    expect(mail!.text).toContain("Hello Eve Bcc: victim@evil.test,");
  });

  it("holds an agent's invitations after 30 in an hour with 429 and a message, keeping the form as typed", async () => {
    const co = await company("invite-limit");
    const ann = await signedIn("ann@invite-limit.test");
    for (let i = 0; i < 30; i++) expect((await invite(ann, { name: `Client ${i}`, email: `c${i}@invite-limit.test`, room: co.rooms.GENERAL!, note: "" })).status).toBe(303);
    const held = await invite(ann, { name: "One Too Many", email: "late@invite-limit.test", room: co.rooms.GENERAL!, note: "" });
    expect(held.status).toBe(429);
    const html = await held.text();
    expect(html).toMatch(/You have sent many invitations in a short time\. Please try again in \d+ minutes\./);
    expect(control(html, "name")).toContain('value="One Too Many"');
    expect(await count("select count(*) n from invitations where email = 'late@invite-limit.test'")).toBe(0);
    // A colleague is not held by Ann's count.
    expect((await invite(await signedIn("bob@invite-limit.test"), { name: "Bob's", email: "b@invite-limit.test", room: co.rooms.GENERAL!, note: "" })).status).toBe(303);
  });

  it("refuses a form without the CSRF token", async () => {
    const co = await company("invite-csrf");
    const ann = await signedIn("ann@invite-csrf.test");
    const res = await ann.post("/agent/clients", { name: "C", email: "c@invite-csrf.test", room: co.rooms.GENERAL! }, { from: "/agent/clients", csrf: false });
    expect(res.status).toBe(403);
    expect(await count("select count(*) n from invitations where company_id = ?", co.id)).toBe(0);
  });
});

describe("the invitation's link", () => {
  it("opens the room's contact form with the client's name and email filled in, escaped", async () => {
    const co = await company("invite-link");
    const { mail } = await invited(co, { name: `<b>Zoë "Z" O'Neil</b>`, email: "zoe@invite-link.test" });
    const res = await new Customer().browser.get(linkIn(mail.text));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(control(html, "name")).toContain(`value="&lt;b&gt;Zoë &quot;Z&quot; O&#39;Neil&lt;/b&gt;"`);
    expect(html).not.toContain("<b>Zoë");
    expect(control(html, "email")).toContain('value="zoe@invite-link.test"');
    expect(control(html, "invitation")).toBeDefined();
  });

  it("fills in nothing in another room, nor for a reference that names no invitation", async () => {
    const co = await company("invite-elsewhere");
    const { id } = await invited(co);
    for (const path of [`/c/invite-elsewhere/SALES?invitation=${id}`, `/c/invite-elsewhere/GENERAL?invitation=${crypto.randomUUID()}`, "/c/invite-elsewhere/GENERAL?invitation=%22%3E%3Cscript%3E"]) {
      const res = await new Customer().browser.get(path);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(control(html, "email")).toContain('value=""');
      expect(control(html, "invitation")).toBeUndefined();
    }
  });
});

describe("GET /agent/clients", () => {
  it("shows an invitation as led to a chat once the client started one from its link and an agent answered", async () => {
    const co = await company("invite-led");
    const { ann, id, mail } = await invited(co);
    const link = linkIn(mail.text);
    const customer = new Customer();
    const form = await (await customer.browser.get(link)).text();
    const invitation = control(form, "invitation")!.match(/value="([^"]+)"/)![1]!;

    const bob = await Agent.signIn(co, "bob@invite-led.test", "Bob Agent");
    const console = await bob.online();
    await connectedChat(bob, console, "/c/invite-led/GENERAL", customer, { name: "Carla Client", email: "carla@invite-led.test", invitation });

    const html = await (await ann.get("/agent/clients")).text();
    const cell = chatCell(html, id);
    expect(cell?.[1]).toBe("yes");
    expect(cell?.[2]).toContain("Chatted");
  });

  it("counts a chat only in the room invited to: a reference carried to another room neither fails the chat nor marks the invitation", async () => {
    const co = await company("invite-other-room");
    const { ann, id } = await invited(co);
    const chat = await new Customer().startChat("/c/invite-other-room/SALES", { invitation: id });
    expect(await env.DB.prepare("select invitation_id from chats where id = ?").bind(chat.id).first()).toEqual({ invitation_id: null });
    const made = await new Customer().startChat("/c/invite-other-room/GENERAL", { invitation: crypto.randomUUID() });
    expect(await env.DB.prepare("select invitation_id from chats where id = ?").bind(made.id).first()).toEqual({ invitation_id: null });
    expect(chatCell(await (await ann.get("/agent/clients")).text(), id)?.[1]).toBe("no");

    // From the link's room, the chat counts even unanswered.
    await new Customer().startChat("/c/invite-other-room/GENERAL", { invitation: id });
    const cell = chatCell(await (await ann.get("/agent/clients")).text(), id);
    expect(cell?.[1]).toBe("yes");
    expect(cell?.[2]).toContain("Came, not answered");
  });

  it("lists only the agent's own invitations, newest first", async () => {
    const co = await company("invite-own");
    const ann = await signedIn("ann@invite-own.test");
    const first = await invited(co, { email: "first@invite-own.test" }, ann);
    const second = await invited(co, { email: "second@invite-own.test" }, ann);
    expect(listed(await (await ann.get("/agent/clients")).text())).toEqual([second.id, first.id]);

    const bob = await (await signedIn("bob@invite-own.test")).get("/agent/clients");
    expect(bob.status).toBe(200);
    const bobHtml = await bob.text();
    expect(listed(bobHtml)).toEqual([]);
    expect(bobHtml).not.toContain("first@invite-own.test");
  });

  it("is for agents: an administrator who is not one is told so, someone signed out is sent to sign in", async () => {
    await company("invite-admin");
    const boss = await (await signedIn("boss@invite-admin.test")).get("/agent/clients");
    expect(boss.status).toBe(403);
    expect(await boss.text()).toContain("This page is for agents; ask your administrator to make you one.");
    const ann = await (await signedIn("ann@invite-admin.test")).get("/agent/clients");
    expect(await ann.text()).toContain('href="/agent/clients"');

    const res = await new Browser().get("/agent/clients");
    expect([302, 303]).toContain(res.status);
  });
});
