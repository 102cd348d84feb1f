import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Browser } from "./client";
import { Customer, team } from "./live";

// Each audience's pages load their own bundle (scripts/build-assets.mjs): the customer's pages a
// light one, the staff's pages theirs; both as built files named by their content, which exist.

/** The page's stylesheet, module script and preloaded modules, in the order the page names them. */
async function assetsOf(res: Response) {
  const html = await res.text();
  const attr = (pattern: RegExp) => [...html.matchAll(pattern)].map((m) => m[1]!);
  return {
    css: attr(/<link rel="stylesheet" href="([^"]+)"/g),
    prefetch: attr(/<link rel="prefetch" href="([^"]+)"/g),
    script: attr(/<script type="module" src="([^"]+)"/g),
    preload: attr(/<link rel="modulepreload" href="([^"]+)"/g),
  };
}

const HASHED = /^\/build\/[\w-]+-[A-Z0-9]{8}\.(js|css)$/;

async function expectServed(paths: string[]) {
  for (const path of paths) {
    expect(path).toMatch(HASHED);
    const file = await env.ASSETS.fetch(new URL(path, "https://parley.test"));
    expect(file.status, path).toBe(200);
    await file.body?.cancel();
  }
}

describe("the pages' scripts and styles", () => {
  it("are the customer's bundle on the contact form and the chat page, the staff's on the console and admin pages", async () => {
    const { company, agents } = await team("bundle-co", ["Bea Bundle"]);
    const customer = new Customer();
    const contact = await assetsOf(await customer.browser.get(`/c/${company.slug}/GENERAL`));
    const chat = await customer.startChat(`/c/${company.slug}/GENERAL`);
    const waiting = await assetsOf(await customer.browser.get(`/chats/${chat.id}`));
    const agentConsole = await assetsOf(await agents[0].browser.get("/agent"));
    const admin = new Browser();
    await admin.post("/login", { email: `boss@${company.slug}.test`, password: "correct horse 9" }, { from: "/login" });
    const rooms = await assetsOf(await admin.get("/admin"));

    expect(contact.script).toEqual([expect.stringMatching(/^\/build\/customer-/)]);
    // The contact form and the waiting screen load the customers' first stylesheet; the chat page
    // prefetches the second for when its chat connects. The staff's is whole.
    expect(contact.css).toEqual([expect.stringMatching(/^\/build\/customer-\w+\.css$/)]);
    expect(contact.prefetch).toEqual([]);
    expect(agentConsole.css).toEqual([expect.stringMatching(/^\/build\/staff-\w+\.css$/)]);
    expect(waiting).toEqual({ ...contact, prefetch: [expect.stringMatching(/^\/build\/customer-chat-\w+\.css$/)] });
    expect(agentConsole.script).toEqual([expect.stringMatching(/^\/build\/staff-/)]);
    expect(rooms).toEqual(agentConsole);
    for (const page of [contact, agentConsole]) {
      expect(page.css).toHaveLength(1);
      await expectServed([...page.css, ...page.script, ...page.preload]);
    }
    await expectServed(waiting.prefetch);
    const css = async (path: string) => (await env.ASSETS.fetch(new URL(path, "https://parley.test"))).text();
    const [formCss, chatCss, staffCss] = await Promise.all([css(contact.css[0]!), css(waiting.prefetch[0]!), css(agentConsole.css[0]!)]);
    // The first holds what the contact form and the waiting screen show (and a text chat), the
    // second the rest of the customers' pages; neither the staff's pages.
    for (const first of [".btn-primary", ".contact-card", ".waiting-spinner", ".composer", ".connection-lost"]) {
      expect(formCss, first).toContain(first);
      expect(chatCss, first).not.toContain(`${first}{`);
    }
    for (const second of [".meter-panel", ".call-stage", ".invoice", ".rating"]) {
      expect(formCss, second).not.toContain(second);
      expect(chatCss, second).toContain(second);
    }
    for (const staffs of [".revenue-filters", ".webhooks", ".room-list"]) {
      expect(formCss, staffs).not.toContain(staffs);
      expect(chatCss, staffs).not.toContain(staffs);
      expect(staffCss, staffs).toContain(staffs);
    }
    for (const all of [".meter-panel", ".contact-card"]) expect(staffCss, all).toContain(all);
  });
});
