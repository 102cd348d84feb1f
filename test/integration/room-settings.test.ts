import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { Browser, PASSWORD, signUpAs } from "./client";

// Two companies: "rs-alpha" (Forever Free, a Company account) edits its GENERAL room;
// "rs-bravo" is a Solo User whose rooms alpha must never see or change.
const A = "rs-alpha";
const B = "rs-bravo";
let admin: Browser;
let roomA: string;
let roomB: string;

type Row = Record<string, unknown>;

const roomRow = async (id: string) => (await env.DB.prepare("select * from rooms where id = ?").bind(id).first<Row>())!;
const roomIdOf = async (slug: string, name: string) =>
  (await env.DB.prepare("select r.id from rooms r join companies c on c.id = r.company_id where c.slug = ? and r.name = ?").bind(slug, name).first<{ id: string }>())!.id;
const auditCount = async (roomId: string) =>
  (await env.DB.prepare("select count(*) n from audit_events where action = 'room.settings_updated' and subject = ?").bind(roomId).first<{ n: number }>())!.n;
const setPlan = (slug: string, plan: "free" | "pro" | "enterprise") => env.DB.prepare("update companies set plan = ? where slug = ?").bind(plan, slug).run();

// The settings form as the page sends it for a new room (defaults), so each test changes only
// what it is about. Unticked boxes are simply absent, as in a browser.
const defaults: Record<string, string> = {
  theme: "#2563eb",
  formCompanyName: "",
  formLogoUrl: "",
  formHeader: "Talk to us",
  formSubheader: "An agent will answer in moments.",
  fieldName: "mandatory",
  fieldEmail: "shown",
  fieldPhone: "shown",
  fieldMessage: "shown",
  buttonChatHidden: "shown",
  buttonEmailHidden: "shown",
  buttonVoiceHidden: "shown",
  buttonVideoHidden: "shown",
  buttonWhatsappHidden: "hidden",
  assignment: "quickest",
  includeMobile: "on",
  allowLeaveEmail: "on",
  agentRole: "Agent",
  wrapUpSeconds: "",
};

function form(changes: Record<string, string | undefined> = {}): Record<string, string> {
  const out = { ...defaults };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

const save = (browser: Browser, roomId: string, changes: Record<string, string | undefined> = {}) =>
  browser.post(`/admin/rooms/${roomId}`, form(changes), { from: `/admin/rooms/${roomId}` });

/** Saves and follows the redirect, returning the settings page that says "Saved". */
async function saveOk(roomId: string, changes: Record<string, string | undefined>) {
  const res = await save(admin, roomId, changes);
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get("location")).toBe(`/admin/rooms/${roomId}?saved=1`);
  const page = await admin.get(res.headers.get("location")!);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("Saved.");
  return html;
}

const contactForm = async (slug = A, room = "GENERAL") => {
  const res = await new Browser().get(`/c/${slug}/${room}`);
  expect(res.status).toBe(200);
  return res.text();
};

// The message shown for a field, found through the control's aria-describedby.
function errorFor(html: string, field: string): string | undefined {
  const control = html.match(new RegExp(`<input[^>]*\\bname="${field}"[^>]*aria-invalid="true"[^>]*>`))?.[0];
  const describedBy = control?.match(/aria-describedby="([^"]+)"/)?.[1];
  if (!describedBy) return undefined;
  return html.match(new RegExp(`<p class="error" id="${describedBy}"[^>]*>([^<]*)</p>`))?.[1];
}

beforeAll(async () => {
  admin = new Browser();
  await signUpAs(admin, { slug: A, email: `boss@${A}.test` });
  roomA = await roomIdOf(A, "GENERAL");
  await signUpAs(new Browser(), { slug: B, email: `boss@${B}.test`, accountType: "solo" });
  roomB = await roomIdOf(B, "CHARGE_DURATION_ON_DEMAND");
});

describe("GET /admin", () => {
  it("links each room to its settings page", async () => {
    const html = await (await admin.get("/admin")).text();
    expect(html).toMatch(new RegExp(`<a href="/admin/rooms/${roomA}"[^>]*>\\s*Settings\\s*</a>`));
  });
});

describe("GET /admin/rooms/:roomId", () => {
  it("shows the room's settings in four sections with the saved values", async () => {
    const res = await admin.get(`/admin/rooms/${roomA}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const section of ["Contact form", "Chat assignment", "Customer interactions", "Chat messaging"]) expect(html).toContain(`>${section}</h2>`);
    expect(html).toMatch(/<input id="f-theme" name="theme" type="color" value="#2563eb"/);
    expect(html).toMatch(/<input type="radio" name="fieldName" value="mandatory" checked=""/);
    expect(html).toMatch(/<input type="radio" name="buttonWhatsappHidden" value="hidden" checked=""/);
    expect(html).toMatch(/<input type="radio" name="assignment" value="quickest" checked=""/);
    expect(html).toMatch(/name="includeMobile" type="checkbox" role="switch" class="switch" checked=""/);
    expect(html).toMatch(/name="agentRole" type="text" value="Agent"/);
    expect(html).not.toContain("Saved.");
  });

  it("offers nearest to the customer only on Large Enterprise, saying why", async () => {
    const free = await (await admin.get(`/admin/rooms/${roomA}`)).text();
    expect(free).toMatch(/<input type="radio" name="assignment" value="nearest" disabled=""/);
    expect(free).toContain("Available on the Large Enterprise plan only.");
    await setPlan(A, "enterprise");
    try {
      const enterprise = await (await admin.get(`/admin/rooms/${roomA}`)).text();
      expect(enterprise).toMatch(/<input type="radio" name="assignment" value="nearest"\s*\/?>/);
    } finally {
      await setPlan(A, "free");
    }
  });

  it("answers 404 for another company's room and shows nothing of it", async () => {
    const res = await admin.get(`/admin/rooms/${roomB}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("We could not find that chat room.");
    expect(html).not.toContain("CHARGE_DURATION_ON_DEMAND");
  });

  it("sends an anonymous visitor to sign in", async () => {
    const res = await new Browser().get(`/admin/rooms/${roomA}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent(`/admin/rooms/${roomA}`)}`);
  });
});

describe("POST /admin/rooms/:roomId", () => {
  it("saves the contact form section, and the customer's contact form shows it", async () => {
    const html = await saveOk(roomA, {
      theme: "#FF5500",
      formCompanyName: "Alpha Support",
      formLogoUrl: "https://cdn.alpha.test/logo.png",
      formHeader: "Ask Alpha",
      formSubheader: "We answer in seconds.",
      fieldPhone: "hidden",
      fieldEmail: "mandatory",
      buttonVideoHidden: "hidden",
      buttonWhatsappHidden: "shown",
    });
    expect(html).toMatch(/name="theme" type="color" value="#ff5500"/);
    expect(await roomRow(roomA)).toMatchObject({
      theme: "#ff5500",
      form_company_name: "Alpha Support",
      form_logo_url: "https://cdn.alpha.test/logo.png",
      form_header: "Ask Alpha",
      form_subheader: "We answer in seconds.",
      field_phone: "hidden",
      field_email: "mandatory",
      button_video_hidden: 1,
      button_whatsapp_hidden: 0,
    });

    const contact = await contactForm();
    expect(contact).toContain("--theme:#ff5500");
    expect(contact).toContain("Alpha Support");
    expect(contact).toContain('src="https://cdn.alpha.test/logo.png"');
    expect(contact).toContain("Ask Alpha");
    expect(contact).toContain("We answer in seconds.");
    expect(contact).not.toContain('name="phone"');
    expect(contact).toMatch(/<input id="f-email" name="email" type="email" value="" required=""/);
    expect(contact).not.toMatch(/name="mode" value="video"/);
    expect(contact).toMatch(/name="mode" value="chat"/);
    expect(contact).toContain(`/c/${A}/GENERAL/whatsapp`);
    expect(await auditCount(roomA)).toBeGreaterThan(0);

    // Emptying the optional texts goes back to the company name and no logo.
    await saveOk(roomA, {});
    const plain = await contactForm();
    expect(plain).not.toContain("Alpha Support");
    expect(plain).toContain(`${A} Ltd`);
    expect(plain).not.toContain("contact-logo");
    expect(plain).toContain('name="phone"');
  });

  it("saves the chat assignment section", async () => {
    await saveOk(roomA, { sameAgent: "on", includeMobile: undefined });
    expect(await roomRow(roomA)).toMatchObject({ assignment: "quickest", same_agent: 1, include_mobile: 0 });
    await saveOk(roomA, {});
    expect(await roomRow(roomA)).toMatchObject({ same_agent: 0, include_mobile: 1 });
  });

  it("saves nearest to the customer on the Large Enterprise plan", async () => {
    await setPlan(A, "enterprise");
    try {
      const html = await saveOk(roomA, { assignment: "nearest" });
      expect(html).toMatch(/<input type="radio" name="assignment" value="nearest" checked=""/);
      expect((await roomRow(roomA)).assignment).toBe("nearest");
    } finally {
      await saveOk(roomA, {});
      await setPlan(A, "free");
    }
  });

  it("saves the customer interactions section", async () => {
    await saveOk(roomA, { allowLeaveEmail: undefined, allowEmailAlert: "on" });
    expect(await roomRow(roomA)).toMatchObject({ allow_leave_email: 0, allow_email_alert: 1 });
    await saveOk(roomA, {});
  });

  it("saves the chat messaging section, and an empty wrap-up time means never", async () => {
    const html = await saveOk(roomA, { hidePreviewTyping: "on", agentRole: " Doctor ", phoneSimultaneousChats: "on", wrapUpSeconds: "90" });
    expect(html).toMatch(/name="wrapUpSeconds" type="number"[^>]*value="90"/);
    expect(await roomRow(roomA)).toMatchObject({ hide_preview_typing: 1, agent_role: "Doctor", phone_simultaneous_chats: 1, wrap_up_seconds: 90 });
    await saveOk(roomA, { wrapUpSeconds: "" });
    expect(await roomRow(roomA)).toMatchObject({ hide_preview_typing: 0, agent_role: "Agent", phone_simultaneous_chats: 0, wrap_up_seconds: null });
  });

  it("refuses bad input with 422, the message next to each field, what was typed, and no change", async () => {
    const before = await roomRow(roomA);
    const audits = await auditCount(roomA);
    const res = await save(admin, roomA, {
      theme: "red",
      formLogoUrl: "javascript:alert(1)",
      formHeader: "Still typed",
      agentRole: "x".repeat(41),
      wrapUpSeconds: "3601",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Nothing was saved.");
    expect(errorFor(html, "theme")).toMatch(/#rrggbb/);
    expect(errorFor(html, "formLogoUrl")).toBe("Enter a web address starting with https:// or http://.");
    expect(errorFor(html, "agentRole")).toBe("Use at most 40 characters.");
    expect(errorFor(html, "wrapUpSeconds")).toMatch(/whole number of seconds from 0 to 3600/);
    expect(html).toMatch(/name="formHeader" type="text" value="Still typed"/);
    expect(await roomRow(roomA)).toEqual(before);
    expect(await auditCount(roomA)).toBe(audits);
  });

  it.each([
    ["a fraction", "2.5"],
    ["a negative number", "-1"],
    ["words", "soon"],
  ])("refuses a wrap-up time of %s", async (_, wrapUpSeconds) => {
    const before = await roomRow(roomA);
    const res = await save(admin, roomA, { wrapUpSeconds });
    expect(res.status).toBe(422);
    expect(errorFor(await res.text(), "wrapUpSeconds")).toMatch(/whole number/);
    expect(await roomRow(roomA)).toEqual(before);
  });

  it("refuses an empty agent role and a form that hides every button", async () => {
    const before = await roomRow(roomA);
    const res = await save(admin, roomA, {
      agentRole: "  ",
      buttonChatHidden: "hidden",
      buttonEmailHidden: "hidden",
      buttonVoiceHidden: "hidden",
      buttonVideoHidden: "hidden",
      buttonWhatsappHidden: "hidden",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(errorFor(html, "agentRole")).toMatch(/Enter the role/);
    expect(await roomRow(roomA)).toEqual(before);
    // Once the role is fixed, the buttons are the remaining problem.
    const again = await save(admin, roomA, { buttonChatHidden: "hidden", buttonEmailHidden: "hidden", buttonVoiceHidden: "hidden", buttonVideoHidden: "hidden" });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("Show at least one button, or customers cannot reach you.");
    expect(await roomRow(roomA)).toEqual(before);
  });

  it("refuses nearest to the customer on the Forever Free plan with a clear message", async () => {
    const before = await roomRow(roomA);
    const res = await save(admin, roomA, { assignment: "nearest", agentRole: "Tutor" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Nearest to the customer is available on the Large Enterprise plan only.");
    expect(await roomRow(roomA)).toEqual(before);
  });

  it("answers 404 for another company's room and changes nothing", async () => {
    const before = await roomRow(roomB);
    const res = await save(admin, roomB, { theme: "#000000", fieldName: "hidden", agentRole: "Intruder" });
    expect(res.status).toBe(404);
    expect(await roomRow(roomB)).toEqual(before);
    expect(await auditCount(roomB)).toBe(0);
  });

  it("refuses a form without the CSRF token and changes nothing", async () => {
    const before = await roomRow(roomA);
    const res = await admin.post(`/admin/rooms/${roomA}`, form({ theme: "#123456" }), { csrf: false });
    expect(res.status).toBe(403);
    expect(await roomRow(roomA)).toEqual(before);
  });

  it("refuses an agent who is not an administrator, on the page and the form", async () => {
    const added = await admin.post("/admin/agents", { name: "Ann Agent", email: `ann@${A}.test`, password: PASSWORD, roomIds: [roomA] }, { from: "/admin/agents/new" });
    expect(added.status).toBe(303);
    const agent = new Browser();
    expect((await agent.post("/login", { email: `ann@${A}.test`, password: PASSWORD }, { from: "/login" })).status).toBe(303);
    const before = await roomRow(roomA);
    expect((await agent.get(`/admin/rooms/${roomA}`)).status).toBe(403);
    const res = await save(agent, roomA, { theme: "#123456" });
    expect(res.status).toBe(403);
    expect(await roomRow(roomA)).toEqual(before);
  });
});
