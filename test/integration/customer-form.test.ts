import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Browser, PASSWORD, signUpAs } from "./client";
import { addAgent, control } from "./fixtures";
import { Customer } from "./live";

const page = async (path: string) => {
  const res = await new Browser().get(path);
  return { status: res.status, html: await res.text() };
};

/** Changes a room's settings straight in D1, as the room settings page will. */
const setRoom = (slug: string, room: string, settings: string) =>
  env.DB.prepare(`update rooms set ${settings} where name = ? and company_id = (select id from companies where slug = ?)`).bind(room, slug).run();

/** The contact buttons a customer can press to start a chat, in page order. */
const chatButtons = (html: string) => [...html.matchAll(/<button[^>]*name="mode" value="(chat|voice|video)"/g)].map((m) => m[1]);

async function company(slug: string) {
  const admin = new Browser();
  await signUpAs(admin, { slug, email: `boss@${slug}.test` });
  return admin;
}

describe("GET /c/:company/:room", () => {
  it("shows the room's form with its default fields and buttons", async () => {
    await company("plain-co");
    const { status, html } = await page("/c/plain-co/GENERAL");
    expect(status).toBe(200);
    expect(html).toContain("plain-co Ltd");
    expect(html).toContain("Talk to us");
    for (const field of ["name", "email", "phone", "message"]) expect(control(html, field), field).toBeDefined();
    expect(chatButtons(html)).toEqual(["chat", "voice", "video"]);
    expect(html).toContain('value="email"');
    // WhatsApp is off until a room turns it on.
    expect(html).not.toContain("/c/plain-co/GENERAL/whatsapp");
  });

  it("leaves out a field the room hides and marks mandatory fields required, optional ones not", async () => {
    await company("fields-co");
    await setRoom("fields-co", "GENERAL", "field_phone = 'hidden', field_email = 'mandatory', field_name = 'shown', field_message = 'mandatory'");
    const { html } = await page("/c/fields-co/GENERAL");
    expect(control(html, "phone")).toBeUndefined();
    expect(html).not.toContain(">Phone");
    expect(control(html, "email")).toMatch(/\brequired\b/);
    expect(control(html, "message")).toMatch(/\brequired\b/);
    expect(control(html, "name")).toBeDefined();
    expect(control(html, "name")).not.toMatch(/\brequired\b/);
  });

  it("leaves out the buttons the room hides", async () => {
    await company("buttons-co");
    await setRoom("buttons-co", "GENERAL", "button_voice_hidden = 1, button_email_hidden = 1, button_whatsapp_hidden = 0");
    const { html } = await page("/c/buttons-co/GENERAL");
    expect(chatButtons(html)).toEqual(["chat", "video"]);
    expect(html).not.toContain('value="email"');
    expect(html).toContain('href="/c/buttons-co/GENERAL/whatsapp"');
  });

  it("paints the form in the room's theme colour and shows its own header texts", async () => {
    await company("theme-co");
    await setRoom("theme-co", "GENERAL", "theme = '#e11d48', form_header = 'Ask a pharmacist', form_subheader = 'We answer within a minute.', form_company_name = 'Theme Pharmacy'");
    const { html } = await page("/c/theme-co/GENERAL");
    expect(html).toContain("--theme:#e11d48");
    expect(html).toContain("Ask a pharmacist");
    expect(html).toContain("We answer within a minute.");
    expect(html).toContain("Theme Pharmacy");
  });

  it.each([
    ["video", ["video"]],
    ["voice", ["voice"]],
    ["chat", ["chat"]],
  ])("with ?mode=%s shows only that button", async (mode, expected) => {
    await company(`mode-${mode}`);
    const { status, html } = await page(`/c/mode-${mode}/GENERAL?mode=${mode}`);
    expect(status).toBe(200);
    expect(chatButtons(html)).toEqual(expected);
  });

  it("ignores an unknown ?mode and shows every button", async () => {
    await company("mode-odd");
    expect(chatButtons((await page("/c/mode-odd/GENERAL?mode=fax")).html)).toEqual(["chat", "voice", "video"]);
  });

  it("answers an unknown company with a 404 page that says so", async () => {
    const { status, html } = await page("/c/no-such-company/GENERAL");
    expect(status).toBe(404);
    expect(html).toContain("We could not find that company.");
    // A customer's page: no Parley sign-in links, and no way "back" to the form that is missing.
    expect(html).not.toContain('href="/login"');
    expect(html).not.toContain("Back to the contact form");
  });

  it("answers an unknown room with a 404 page that says so", async () => {
    await company("rooms-co");
    const { status, html } = await page("/c/rooms-co/NO_SUCH_ROOM");
    expect(status).toBe(404);
    expect(html).toContain("We could not find that chat room.");
  });

  it("refuses a room the Forever Free plan locks with 403 and points to GENERAL, until the plan allows it", async () => {
    await signUpAs(new Browser(), { slug: "free-solo", email: "me@free-solo.test", accountType: "solo" });
    const locked = await page("/c/free-solo/PREAUTHORISED_CARD_AUTO_CHARGE_END");
    expect(locked.status).toBe(403);
    expect(locked.html).toContain("free-solo Ltd does not take chats in this room at the moment. Try their GENERAL room.");
    expect(control(locked.html, "name")).toBeUndefined();

    await env.DB.prepare("update companies set plan = 'pro' where slug = 'free-solo'").run();
    const open = await page("/c/free-solo/PREAUTHORISED_CARD_AUTO_CHARGE_END");
    expect(open.status).toBe(200);
    expect(open.html).toContain("Book a paid consultation");
  });

  it("shows text people typed escaped, never as markup", async () => {
    const name = `<script>alert("owned")</script> & Sons`;
    const res = await new Browser().post(
      "/signup",
      { accountType: "solo", companyName: name, companySlug: "xss-co", name: "Owner", email: "me@xss-co.test", password: PASSWORD },
      { from: "/signup" },
    );
    expect(res.status).toBe(303);
    await setRoom("xss-co", "GENERAL", `form_header = '<img src=x onerror=alert(1)>'`);

    const { html } = await page("/c/xss-co/GENERAL");
    expect(html).toContain("&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; Sons");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");

    // The company name also appears in the locked-room message.
    const locked = await page("/c/xss-co/CHARGE_DURATION_ON_DEMAND");
    expect(locked.status).toBe(403);
    expect(locked.html).toContain("&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; Sons does not take chats");
    expect(locked.html).not.toContain("<script>alert");
  });
});

describe("GET /c/:company/~:agent", () => {
  it("is the agent's private room and names the agent", async () => {
    const admin = await company("private-co");
    await addAgent(admin, { name: "Alice Martin", email: "alice@private-co.test" });
    const { status, html } = await page("/c/private-co/~alice-martin");
    expect(status).toBe(200);
    expect(html).toContain("You will be connected to Alice Martin.");
    expect(html).toContain('action="/c/private-co/~alice-martin"');
    expect(chatButtons(html)).toEqual(["chat", "voice", "video"]);
  });

  it("on Forever Free, uses the GENERAL room's form rather than a locked room's", async () => {
    // A Solo User's private room takes the settings of their paid room, which Forever Free locks.
    await signUpAs(new Browser(), { slug: "solo-private", email: "me@solo-private.test", accountType: "solo" });
    expect((await page("/c/solo-private/PREAUTHORISED_CARD_AUTO_CHARGE_END")).status).toBe(403);
    const free = await page("/c/solo-private/~owner-of-solo-private");
    expect(free.status).toBe(200);
    expect(free.html).toContain("You will be connected to Owner of solo-private.");
    expect(free.html).toContain("Talk to us");
    expect(free.html).not.toContain("Book a paid consultation");

    await env.DB.prepare("update companies set plan = 'pro' where slug = 'solo-private'").run();
    const pro = await page("/c/solo-private/~owner-of-solo-private");
    expect(pro.status).toBe(200);
    expect(pro.html).toContain("Book a paid consultation");
  });

  it("shows an agent's name escaped", async () => {
    const admin = await company("private-xss");
    await addAgent(admin, { name: "<b>Bold</b> Bob", email: "bob@private-xss.test" });
    const { status, html } = await page("/c/private-xss/~b-bold-b-bob");
    expect(status).toBe(200);
    expect(html).toContain("You will be connected to &lt;b&gt;Bold&lt;/b&gt; Bob.");
  });

  it("answers an unknown agent with 404", async () => {
    await company("private-none");
    const { status, html } = await page("/c/private-none/~nobody");
    expect(status).toBe(404);
    expect(html).toContain("We could not find that agent.");
  });

  it("answers a disabled agent's private room with 404", async () => {
    const admin = await company("private-off");
    const id = await addAgent(admin, { name: "Carl", email: "carl@private-off.test" });
    expect((await page("/c/private-off/~carl")).status).toBe(200);
    await admin.post(`/admin/agents/${id}`, { name: "Carl", email: "carl@private-off.test", disabled: "on" }, { from: `/admin/agents/${id}` });
    const { status, html } = await page("/c/private-off/~carl");
    expect(status).toBe(404);
    expect(html).toContain("We could not find that agent.");
    expect(html).not.toContain("Carl");
  });

  it("does not open another company's agent under this company's address", async () => {
    const admin = await company("private-own");
    await addAgent(admin, { name: "Dora", email: "dora@private-own.test" });
    await company("private-other");
    expect((await page("/c/private-other/~dora")).status).toBe(404);
  });
});

describe("POST /c/:company/:room", () => {
  const everything = { name: "Carla Customer", email: "carla@example.com", phone: "+44 20 7946 0000", message: "Hello there" };
  const hiding = (field: string) => `field_name = 'shown', field_email = 'shown', field_phone = 'shown', field_message = 'shown', field_${field} = 'hidden'`;
  const messagesTo = async (slug: string) =>
    (await env.DB.prepare("select kind, name, email, body from customer_requests where company_id = (select id from companies where slug = ?)").bind(slug).all()).results;
  /** The form as the page sends it: a hidden field has no input, so it is not sent at all. */
  const withoutField = (field: string, mode: string) => ({ ...Object.fromEntries(Object.entries(everything).filter(([k]) => k !== field)), mode });

  it.each(["name", "email", "phone", "message"])("starts a chat and a video chat when the room hides the %s field, without asking for it", async (field) => {
    const slug = `hide-${field}`;
    await company(slug);
    await setRoom(slug, "GENERAL", hiding(field));
    const form = await page(`/c/${slug}/GENERAL`);
    expect(control(form.html, field)).toBeUndefined();

    for (const mode of ["chat", "video"]) {
      const res = await new Customer().submit(`/c/${slug}/GENERAL`, withoutField(field, mode));
      expect(res.status, `${mode}: ${res.status === 303 ? "" : await res.text()}`).toBe(303);
      expect(res.headers.get("location")).toMatch(/^\/chats\/[0-9a-f-]{36}$/);
    }
  });

  it.each([
    ["name", { kind: "message", name: null, email: "carla@example.com", body: "Hello there" }],
    ["phone", { kind: "message", name: "Carla Customer", email: "carla@example.com", body: "Hello there" }],
    ["message", { kind: "message", name: "Carla Customer", email: "carla@example.com", body: null }],
  ])("takes an email message when the room hides the %s field", async (field, saved) => {
    const slug = `hide-mail-${field}`;
    await company(slug);
    await setRoom(slug, "GENERAL", hiding(field));
    const res = await new Customer().submit(`/c/${slug}/GENERAL`, withoutField(field, "email"));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Thank you — your message is on its way.");
    expect(await messagesTo(slug)).toEqual([saved]);
  });

  it("ignores what an old copy of the form sends for a field the room now hides", async () => {
    await company("hide-stale");
    await setRoom("hide-stale", "GENERAL", hiding("name"));
    const res = await new Customer().submit("/c/hide-stale/GENERAL", { ...everything, name: "x".repeat(500), mode: "email" });
    expect(res.status).toBe(200);
    expect(await messagesTo("hide-stale")).toEqual([{ kind: "message", name: null, email: "carla@example.com", body: "Hello there" }]);
  });

  it("still requires a mandatory field, and says so next to it, even when an old copy of the form did not have it", async () => {
    await company("hide-mandatory");
    await setRoom("hide-mandatory", "GENERAL", "field_phone = 'hidden', field_name = 'mandatory'");
    for (const sent of [{ name: "  " }, {}] as Record<string, string>[]) {
      const res = await new Customer().submit("/c/hide-mandatory/GENERAL", { ...sent, email: "carla@example.com", mode: "chat" });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toMatch(/<input[^>]*name="name"[^>]*\/><p class="error" role="alert">Please tell us your name.<\/p>/);
      expect(control(html, "phone")).toBeUndefined();
    }
  });

  it("offers no Email us button when the room hides the email field, as there would be no address to answer", async () => {
    await company("hide-mail-button");
    await setRoom("hide-mail-button", "GENERAL", hiding("email"));
    expect((await page("/c/hide-mail-button/GENERAL")).html).not.toContain('value="email"');

    // A page from before the change still has the button: its press is refused with a reason shown.
    const res = await new Customer().submit("/c/hide-mail-button/GENERAL", withoutField("email", "email"));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<div class="alert alert-error" role="alert">This room does not offer that kind of contact.</div>');
    expect(await messagesTo("hide-mail-button")).toEqual([]);
  });
});
