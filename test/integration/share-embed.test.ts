import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../worker/stores/db";
import { seedDemo } from "../../worker/demo/seed";
import { Browser, signUpAs } from "./client";
import { errorNextTo, roomId, signedIn, userId } from "./fixtures";
import { NEW_ROOM_SETTINGS_FORM } from "../forms/room-settings";

// The room settings that had no screen (WhatsApp assignment, public profile, the embed's button,
// pop-up and whisper), each saved by the demo's admin and then met where a customer meets it;
// and the Share & embed links on the room's page, the staff page and the agent's console.

const DEMO_PASSWORD = "parley-demo";
let admin: Browser;
let general: string;

type Row = Record<string, unknown>;
const roomRow = async (id: string) => (await env.DB.prepare("select * from rooms where id = ?").bind(id).first<Row>())!;

function form(changes: Record<string, string | undefined> = {}): Record<string, string> {
  const out: Record<string, string> = { ...NEW_ROOM_SETTINGS_FORM };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

const save = (changes: Record<string, string | undefined>) => admin.post(`/admin/rooms/${general}`, form(changes), { from: `/admin/rooms/${general}` });

async function saveOk(changes: Record<string, string | undefined>) {
  const res = await save(changes);
  expect(res.status, await res.clone().text()).toBe(303);
  return (await admin.get(res.headers.get("location")!)).text();
}

/** The embed script's settings, as the loader receives them. */
async function embedConfig(): Promise<Record<string, unknown>> {
  const res = await new Browser().get("/embed/demo/GENERAL.js");
  expect(res.status).toBe(200);
  const js = await res.text();
  return JSON.parse(js.slice(js.lastIndexOf("})(") + 3, js.lastIndexOf(");")));
}

const setWhatsapp = async (email: string, number: string) =>
  env.DB.prepare("update agent_profiles set whatsapp_enabled = 1, whatsapp_number = ? where user_id = ?").bind(number, await userId(email)).run();

/** The HTML-escaped form of a text, as JSX writes it into an attribute or an element. */
const escaped = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

beforeAll(async () => {
  await seedDemo(openDb(env.DB));
  admin = await signedIn("admin@demo.test", DEMO_PASSWORD);
  general = await roomId("demo", "GENERAL");
});

describe("WhatsApp assignment", () => {
  it("shows both kinds of agent ticked by default", async () => {
    const html = await (await admin.get(`/admin/rooms/${general}`)).text();
    expect(html).toContain(">WhatsApp assignment</h2>");
    expect(html).toMatch(/name="whatsappOnlineAgents" type="checkbox" role="switch" class="switch" checked=""/);
    expect(html).toMatch(/name="whatsappOfflineAgents" type="checkbox" role="switch" class="switch" checked=""/);
  });

  it("saved without offline agents, the room's WhatsApp link skips agents who are not logged on", async () => {
    await setWhatsapp("alice@demo.test", "447700900111");
    // Nobody is logged on: with offline agents, Alice takes it.
    expect((await new Browser().get("/c/demo/GENERAL/whatsapp")).headers.get("location")).toBe("https://wa.me/447700900111");

    await saveOk({ whatsappOfflineAgents: undefined });
    expect(await roomRow(general)).toMatchObject({ whatsapp_online_agents: 1, whatsapp_offline_agents: 0 });
    const res = await new Browser().get("/c/demo/GENERAL/whatsapp");
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("is taking WhatsApp chats right now");

    await saveOk({});
    expect((await new Browser().get("/c/demo/GENERAL/whatsapp")).status).toBe(302);
  });

  it("refuses neither online nor offline agents, with the message by the setting, and saves nothing", async () => {
    const before = await roomRow(general);
    const res = await save({ whatsappOnlineAgents: undefined, whatsappOfflineAgents: undefined });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/id="g-whatsappAgents"[\s\S]*?<p class="error" role="alert">Tick online agents, offline agents or both, or WhatsApp customers reach no one.<\/p>/);
    expect(html).toContain('<a href="#g-whatsappAgents">WhatsApp agents</a>');
    expect(await roomRow(general)).toEqual(before);
  });
});

describe("Public profile @ chat room", () => {
  it("is the sender's name and Reply-To of the next mail about the room", async () => {
    await saveOk({ publicCompanyName: "Demo Clinic", publicContactEmail: "Desk@Clinic.TEST" });
    expect(await roomRow(general)).toMatchObject({ public_company_name: "Demo Clinic", public_contact_email: "desk@clinic.test" });

    const sent = await new Browser().post("/c/demo/GENERAL", { name: "Pat", email: "pat@customer.test", message: "Opening hours?", mode: "email" });
    expect(sent.status).toBe(200);
    const mail = await env.DB.prepare(
      "select o.from_name, o.reply_to from email_outbox o join customer_requests r on o.id like r.id || ':%' where r.body = 'Opening hours?' limit 1",
    ).first<{ from_name: string; reply_to: string }>();
    expect(mail).toEqual({ from_name: "Demo Clinic", reply_to: "desk@clinic.test" });
    await saveOk({});
    expect(await roomRow(general)).toMatchObject({ public_company_name: null, public_contact_email: null });
  });

  it("refuses a contact email that is not one, keeping what was typed", async () => {
    const before = await roomRow(general);
    const res = await save({ publicCompanyName: "Kept", publicContactEmail: "desk at clinic" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(errorNextTo(html, "publicContactEmail")).toBe("Enter a valid email address, like name@example.com.");
    expect(html).toMatch(/name="publicCompanyName" type="text" value="Kept"/);
    expect(html).toMatch(/name="publicContactEmail" type="email" value="desk at clinic"/);
    expect(await roomRow(general)).toEqual(before);
  });
});

describe("Embed: button position, pop-up and whisper", () => {
  it("saved, they are what the room's embed script does next", async () => {
    const html = await saveOk({ embedPosition: "left", embedPopup: undefined, embedWhisperText: "Need a hand?", embedWhisperDelaySeconds: "5", theme: "#118844" });
    expect(await roomRow(general)).toMatchObject({ embed_position: "left", embed_popup: 0, embed_whisper_text: "Need a hand?", embed_whisper_delay_seconds: 5 });
    expect(await embedConfig()).toMatchObject({ position: "left", popup: false, whisper: "Need a hand?", whisperDelayMs: 5000, theme: "#118844" });
    // The preview on the page shows the saved look.
    expect(html).toMatch(/class="embed-preview" data-embed-preview-target="stage" data-side="left" style="--embed-theme:#118844"/);
    expect(html).toContain('<span data-embed-preview-target="whisperText">Need a hand?</span>');
    expect(html).toContain("opens the contact form in a new tab.");

    await saveOk({ embedWhisperText: "" });
    expect(await embedConfig()).toMatchObject({ position: "right", popup: true, whisper: "", whisperDelayMs: 20000 });
    await saveOk({});
  });

  it("refuses a bad position, an over-long whisper and a delay that is not 0 to 600 seconds", async () => {
    const before = await roomRow(general);
    const res = await save({ embedPosition: "top", embedWhisperText: "x".repeat(121), embedWhisperDelaySeconds: "601" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/id="g-embedPosition"[\s\S]*?<p class="error" role="alert">Choose bottom right or bottom left.<\/p>/);
    expect(errorNextTo(html, "embedWhisperText")).toBe("Use at most 120 characters.");
    expect(errorNextTo(html, "embedWhisperDelaySeconds")).toBe("Enter a whole number of seconds from 0 to 600.");
    expect(await roomRow(general)).toEqual(before);
  });

  it("writes a whisper with markup into the preview as text, never as markup", async () => {
    await saveOk({ embedWhisperText: `<img src=x onerror="alert(1)">` });
    const html = await (await admin.get(`/admin/rooms/${general}`)).text();
    expect(html).not.toContain("<img src=x");
    expect(html).toContain(escaped(`<img src=x onerror="alert(1)">`));
    await saveOk({});
  });
});

describe("Share & embed on the room's settings page", () => {
  it("is linked from each room on the admin's home page", async () => {
    const html = await (await admin.get("/admin")).text();
    expect(html).toContain(`<a href="/admin/rooms/${general}#share-embed">embed code &amp; all links</a>`);
  });

  it("gives the snippet as text, the contact form, voice, video and WhatsApp links, and both statistics addresses, each with a Copy button", async () => {
    const html = await (await admin.get(`/admin/rooms/${general}`)).text();
    expect(html).toContain(">Share &amp; embed</h2>");
    // The snippet sits escaped in a read-only textarea: shown, not run.
    expect(html).toMatch(
      /<textarea id="share-snippet" class="copy-source" rows="2" readonly="" spellcheck="false" data-copy-target="source"[^>]*>&lt;script src=&quot;https:\/\/parley.test\/embed\/demo\/GENERAL.js&quot; async&gt;&lt;\/script&gt;<\/textarea>/,
    );
    expect(html).not.toContain('<script src="https://parley.test/embed/');
    const links: Record<string, string> = {
      "share-contact": "https://parley.test/c/demo/GENERAL",
      "share-voice": "https://parley.test/c/demo/GENERAL?mode=voice",
      "share-video": "https://parley.test/c/demo/GENERAL?mode=video",
      "share-whatsapp": "https://parley.test/c/demo/GENERAL/whatsapp",
      "share-stats-brief": "https://parley.test/api/stats/demo/GENERAL",
      "share-stats-details": "https://parley.test/api/stats/demo/GENERAL/details",
    };
    for (const [id, url] of Object.entries(links)) {
      expect(html).toContain(`<input id="${id}" class="copy-source" type="text" value="${url}" readonly=""`);
      expect(html).toMatch(new RegExp(`data-action="copy#copy" aria-controls="${id}">\\s*Copy\\s*</button>`));
    }
    // The copy fields have no name: saving the settings does not send them.
    expect(html).not.toMatch(/<input[^>]*name="[^"]*"[^>]*class="copy-source"/);
  });

  it("gives links that work: the contact form, voice mode, the embed script and the statistics", async () => {
    const customer = new Browser();
    expect((await customer.get("/c/demo/GENERAL?mode=voice")).status).toBe(200);
    expect((await customer.get("/embed/demo/GENERAL.js")).status).toBe(200);
    const brief = await (await customer.get("/api/stats/demo/GENERAL")).json<{ result: string; chatRoom: string }>();
    expect(brief).toMatchObject({ result: "OK", chatRoom: "GENERAL" });
    expect((await customer.get("/api/stats/demo/GENERAL/details")).status).toBe(200);
  });

  it("says that a room locked on Forever Free takes no chats through its button and links yet", async () => {
    const free = new Browser();
    await signUpAs(free, { slug: "share-free", email: "boss@share-free.test", accountType: "solo" });
    const locked = await (await free.get(`/admin/rooms/${await roomId("share-free", "CHARGE_DURATION_ON_DEMAND")}`)).text();
    expect(locked).toContain("On the Forever Free plan this room takes no chats: its button and links work once you upgrade.");
    const usable = await (await free.get(`/admin/rooms/${await roomId("share-free", "GENERAL")}`)).text();
    expect(usable).not.toContain("On the Forever Free plan this room takes no chats");
    expect(usable).toContain("&lt;script src=&quot;https://parley.test/embed/share-free/GENERAL.js&quot; async&gt;&lt;/script&gt;");
  });

  it("keeps the page's scripts to our own files: no inline script was added", async () => {
    const res = await admin.get(`/admin/rooms/${general}`);
    const html = await res.text();
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self'(;|$)/);
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
  });
});

describe("Private room links", () => {
  it("are on the staff page for each agent, with Copy buttons", async () => {
    const html = await (await admin.get("/admin/agents")).text();
    const alice = await userId("alice@demo.test");
    for (const [suffix, url] of [
      ["contact", "https://parley.test/c/demo/~alice-martin"],
      ["voice", "https://parley.test/c/demo/~alice-martin?mode=voice"],
      ["video", "https://parley.test/c/demo/~alice-martin?mode=video"],
      ["whatsapp", "https://parley.test/c/demo/~alice-martin/whatsapp"],
    ] as const) {
      expect(html).toContain(`<input id="agent-${alice}-${suffix}" class="copy-source" type="text" value="${url}" readonly=""`);
    }
  });

  it("are in the agent's console under Your links", async () => {
    const alice = await signedIn("alice@demo.test", DEMO_PASSWORD);
    const html = await (await alice.get("/agent")).text();
    expect(html).toContain("<summary>Your links</summary>");
    expect(html).toContain('<input id="private-contact" class="copy-source" type="text" value="https://parley.test/c/demo/~alice-martin" readonly=""');
    expect(html).toContain('<input id="private-whatsapp" class="copy-source" type="text" value="https://parley.test/c/demo/~alice-martin/whatsapp" readonly=""');
    expect((await new Browser().get("/c/demo/~alice-martin?mode=video")).status).toBe(200);
  });
});
