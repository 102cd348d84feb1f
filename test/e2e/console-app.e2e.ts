import { mkdirSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, screenshot, signIn } from "./chromium";

// The agent console as Chromium installs it: its service worker registered for /agent, its
// manifest fetchable, only static files kept in the worker's cache, and the device control
// in the profile's Alerts.

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

describe("the installable console", () => {
  it("registers its service worker for /agent and links a manifest that starts there", async () => {
    const page = await (await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signIn(page, baseUrl, "bob@demo.test");
    await page.waitForURL(`${baseUrl}/agent`);

    const scope = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const registration = await navigator.serviceWorker.getRegistration("/agent");
      return registration?.active ? registration.scope : null;
    });
    expect(scope).toBe(`${baseUrl}/agent`);

    const manifest = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!;
      const res = await fetch(link.href);
      return { status: res.status, body: (await res.json()) as { start_url: string; display: string; icons: { src: string }[] } };
    });
    expect(manifest.status).toBe(200);
    expect(manifest.body).toMatchObject({ start_url: "/agent", display: "standalone" });
    for (const icon of manifest.body.icons) expect((await fetch(`${baseUrl}${icon.src}`)).status, icon.src).toBe(200);

    // The worker's cache holds the shell's static files and nothing else (no page, no data).
    await page.reload();
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls = (await Promise.all(names.map(async (n) => (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname)))).flat();
      return urls;
    });
    expect(cached).toEqual(expect.arrayContaining([expect.stringMatching(/^\/build\/staff-\w+\.css$/), expect.stringMatching(/^\/build\/staff-\w+\.js$/)]));
    for (const path of cached) expect(path).toMatch(/^\/(build|css|controllers|format|icons|media)\//);

    await page.locator("#this-device summary").click();
    await page.getByRole("button", { name: "Enable notifications on this device" }).waitFor();
    mkdirSync("/tmp/shots/web-push", { recursive: true });
    await page.screenshot({ path: "/tmp/shots/web-push/console-desktop.png", fullPage: true });
  });

  it("offers notifications on this device in the profile's Alerts, on a phone too", async () => {
    const page = await (await chromium.browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await signIn(page, baseUrl, "bob@demo.test");
    await page.waitForURL(/\/agent/);
    await page.goto(`${baseUrl}/agent/profile`);
    const alerts = page.locator("section", { has: page.getByRole("heading", { name: "Alerts" }) });
    await alerts.getByRole("button", { name: "Enable notifications on this device" }).waitFor();
    await expect.poll(() => alerts.getByText("No device rings you yet").isVisible()).toBe(true);
    await alerts.screenshot({ path: "/tmp/shots/web-push/profile-alerts-phone.png" });
    await screenshot(page, "console-app-profile-phone");
  });
});
