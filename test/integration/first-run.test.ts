import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Browser, signUpAs } from "./client";
import { addAgent } from "./fixtures";
import { Customer } from "./live";
import { connectStripe } from "./stripe";

// A new company's checklist on /admin: each step is ticked by what happened (in D1), and the
// list goes away once everything is done.

type Step = "agent" | "link" | "embed" | "payments";

/** Each step of the checklist on the admin's home with whether it shows as done; null: no checklist. */
async function checklist(admin: Browser): Promise<Record<Step, boolean> | null> {
  const html = await (await admin.get("/admin")).text();
  if (!html.includes('aria-labelledby="checklist-title"')) return null;
  const steps = [...html.matchAll(/<li class="checklist-step( done)?" data-step="(\w+)">/g)];
  return Object.fromEntries(steps.map((m) => [m[2], !!m[1]])) as Record<Step, boolean>;
}

const embedOrigin = async (slug: string) =>
  (await env.DB.prepare("select embed_origin from rooms where name = 'GENERAL' and company_id = (select id from companies where slug = ?)").bind(slug).first<{ embed_origin: string | null }>())!
    .embed_origin;

/** The origin is noted after the script is sent: waits a little for it. */
async function untilEmbedOrigin(slug: string, expected: string | null) {
  for (let i = 0; i < 50 && (await embedOrigin(slug)) !== expected; i++) await new Promise((r) => setTimeout(r, 10));
  expect(await embedOrigin(slug)).toBe(expected);
}

describe("GET /admin, the first-run checklist", () => {
  it("ticks each step as it happens and is gone once all are done", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "first-run", email: "boss@first-run.test" });
    const page = await (await admin.get("/admin")).text();
    expect(page).toContain("Get ready for your first customers");
    expect(page).toContain("0 of 4 done");
    expect(page).toContain('&lt;script src=&quot;https://parley.test/embed/first-run/GENERAL.js&quot; async&gt;&lt;/script&gt;');
    expect(page).toContain('href="https://parley.test/c/first-run/GENERAL"');
    expect(await checklist(admin)).toEqual({ agent: false, link: false, embed: false, payments: false });

    await addAgent(admin, { name: "Ann Agent", email: "ann@first-run.test" });
    expect(await checklist(admin)).toMatchObject({ agent: true, link: false });

    // Opening the link is measured by its use: a customer (or the admin trying it) starts a chat.
    await new Customer().startChat("/c/first-run/GENERAL");
    expect(await checklist(admin)).toMatchObject({ link: true, embed: false });

    // A page of the company's site loads the script: the browser names the site in its Referer.
    const script = await new Browser().fetch("/embed/first-run/GENERAL.js", { headers: { referer: "https://shop.first-run.example/products?id=7" } });
    expect(script.status).toBe(200);
    await untilEmbedOrigin("first-run", "https://shop.first-run.example");
    const embedded = await (await admin.get("/admin")).text();
    expect(embedded).toContain("Seen on https://shop.first-run.example.");
    expect(await checklist(admin)).toMatchObject({ embed: true, payments: false });

    await connectStripe("first-run");
    expect(await checklist(admin)).toBeNull();
  });

  it("counts the admin who takes chats too as the agent", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "first-self", email: "boss@first-self.test" });
    await admin.post("/admin/takes-chats", { takesChats: "on" }, { from: "/admin/agents" });
    expect(await checklist(admin)).toMatchObject({ agent: true });
  });

  it("has a solo professional's agent step done from the start and asks where they are paid", async () => {
    const solo = new Browser();
    await signUpAs(solo, { slug: "first-solo", email: "me@first-solo.test", accountType: "solo" });
    expect(await checklist(solo)).toEqual({ agent: true, link: false, embed: false, payments: false });
    const page = await (await solo.get("/admin")).text();
    expect(page).toContain("Choose where you are paid");
    await env.DB.prepare("update agent_profiles set payout_method = 'paypal', payout_account = 'me@paypal.test' where user_id = (select id from users where email = 'me@first-solo.test')").run();
    expect(await checklist(solo)).toMatchObject({ payments: true });
  });
});

describe("GET /embed/{company}/{room}.js, the embedding site", () => {
  it("notes the first other site only: not Parley's own pages, nor a later site", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "embed-origin", email: "boss@embed-origin.test" });
    await new Browser().fetch("/embed/embed-origin/GENERAL.js", { headers: { referer: "https://parley.test/admin" } });
    await new Browser().fetch("/embed/embed-origin/GENERAL.js", { headers: { origin: "null", referer: "not a url" } });
    await new Browser().get("/embed/embed-origin/GENERAL.js");
    await new Promise((r) => setTimeout(r, 100));
    expect(await embedOrigin("embed-origin")).toBeNull();

    await new Browser().fetch("/embed/embed-origin/GENERAL.js", { headers: { origin: "https://first.example" } });
    await untilEmbedOrigin("embed-origin", "https://first.example");
    await new Browser().fetch("/embed/embed-origin/GENERAL.js", { headers: { referer: "https://second.example/" } });
    await new Promise((r) => setTimeout(r, 100));
    expect(await embedOrigin("embed-origin")).toBe("https://first.example");
  });

  it("tells the script where the room's statistics are and what to whisper while nobody is online", async () => {
    await signUpAs(new Browser(), { slug: "embed-stats", email: "boss@embed-stats.test" });
    const js = await (await new Browser().get("/embed/embed-stats/GENERAL.js")).text();
    const config = JSON.parse(js.slice(js.lastIndexOf("})(") + 3, js.lastIndexOf(");")));
    expect(config).toMatchObject({
      statsUrl: "https://parley.test/api/stats/embed-stats/GENERAL",
      offlineWhisper: "Questions? Leave us a message and we will answer by email.",
    });
    await env.DB.prepare("update rooms set button_email_hidden = 1 where company_id = (select id from companies where slug = 'embed-stats')").run();
    const noEmail = await (await new Browser().get("/embed/embed-stats/GENERAL.js")).text();
    expect(JSON.parse(noEmail.slice(noEmail.lastIndexOf("})(") + 3, noEmail.lastIndexOf(");"))).offlineWhisper).toBe("");
  });
});
