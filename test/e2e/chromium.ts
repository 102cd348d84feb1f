import { chromium, type Browser, type Page } from "playwright-core";
import { randomInt } from "node:crypto";
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, expect } from "vitest";

// Debian's Chromium; the flags keep it from reaching for the network this machine does not have.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
];

/**
 * `mediaPrompt: "block"` leaves out the fake media UI: Chromium then asks for the camera and
 * microphone, and headless Chromium answers that prompt as a person pressing Block would.
 */
export type LaunchOptions = { mediaPrompt?: "allow" | "block" };

export const launch = async (extraFlags: string[] = [], { mediaPrompt = "allow" }: LaunchOptions = {}): Promise<Browser> =>
  watchCsp(ownNetworks(await chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS.filter((f) => mediaPrompt === "allow" || f !== "--use-fake-ui-for-media-stream"), ...extraFlags] })));

const cspViolations = new WeakMap<Browser, string[]>();

/**
 * Collects what the Content-Security-Policy refused on any page of the browser (Chromium says so
 * in a console error), so that every flow the e2e files walk through also checks that the pages
 * still work under the policy; chromiumPerFile fails the file if there was any.
 */
function watchCsp(browser: Browser): Browser {
  const seen: string[] = [];
  cspViolations.set(browser, seen);
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.on("page", (page) =>
      page.on("console", (message) => {
        if (message.type() === "error" && /Content Security Policy/i.test(message.text())) seen.push(`${page.url()}: ${message.text()}`);
      }),
    );
    return context;
  };
  return browser;
}

/**
 * Each browser context posts the contact form from its own network address (`cf-connecting-ip`,
 * which `wrangler dev` passes on), as each customer does: the form allows 10 chats per address
 * in 10 minutes, fewer than the whole e2e run starts. Only that POST carries it: a header added to
 * every request would make the cross-origin ones (to the fake Stripe) need a CORS preflight. A
 * random prefix per file keeps files apart.
 */
function ownNetworks(browser: Browser): Browser {
  const prefix = `10.${randomInt(256)}.${randomInt(256)}`;
  let contexts = 0;
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    const headers = { "cf-connecting-ip": `${prefix}.${++contexts % 256}` };
    await context.route(/\/c\/[^/?]+\/[^/?]+$/, (route) =>
      route.continue(route.request().method() === "POST" ? { headers: { ...route.request().headers(), ...headers } } : undefined),
    );
    return context;
  };
  return browser;
}

/** Saves a full-page screenshot under screenshots/ for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync("screenshots", { recursive: true });
  // From the top: a full-page capture of a scrolled page draws the sticky header where the
  // viewport was, across the middle of the picture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}

export async function signIn(page: Page, baseUrl: string, email: string, password = "parley-demo"): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

type ContactOptions = { button?: "Chat" | "Voice" | "Video" | "Email us"; viewport?: { width: number; height: number } };

/**
 * A customer in a browser of their own fills in a room's contact form (`fields` by their labels)
 * and presses `button`. Returns their page, on wherever the form leads (a price to agree, or the chat).
 */
export async function submitContactForm(browser: Browser, url: string, fields: Record<string, string>, { button = "Chat", viewport = { width: 420, height: 860 } }: ContactOptions = {}): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(url);
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label).fill(value);
  await page.getByRole("button", { name: button }).click();
  return page;
}

/** The same in a room that takes no card first: the customer is on their chat's page, waiting. */
export async function customerChat(browser: Browser, url: string, fields: Record<string, string>, options: ContactOptions = {}): Promise<Page> {
  const page = await submitContactForm(browser, url, fields, options);
  await page.waitForURL(/\/chats\/[0-9a-f-]{36}$/);
  return page;
}

/**
 * An agent's console, signed in and ONLINE. The e2e files share the demo's agents and one
 * server, so a file may find an agent left in YOU HUNG UP or on a break by the one before.
 */
export async function onlineConsole(browser: Browser, baseUrl: string, email: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await signIn(page, baseUrl, email);
  await page.waitForURL(`${baseUrl}/agent`);
  const status = page.locator("#agent-status[data-status]");
  await status.waitFor();
  if ((await status.getAttribute("data-status")) !== "WAITING_NEW_CALL") await page.getByRole("button", { name: "Go online" }).click();
  await page.locator('#agent-status[data-status="WAITING_NEW_CALL"]').waitFor();
  return page;
}

/** One Chromium for the test file: launched before its tests, closed after them. */
export function chromiumPerFile(extraFlags: string[] = [], options: LaunchOptions = {}): { readonly browser: Browser } {
  const holder: { browser?: Browser } = {};
  beforeAll(async () => {
    holder.browser = await launch(extraFlags, options);
  });
  afterAll(async () => {
    const refused = holder.browser ? cspViolations.get(holder.browser) : [];
    await holder.browser?.close();
    expect(refused, "what the Content-Security-Policy refused").toEqual([]);
  });
  return {
    get browser() {
      if (!holder.browser) throw new Error("Chromium is not running yet");
      return holder.browser;
    },
  };
}
