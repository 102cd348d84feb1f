import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, onlineConsole, screenshot, signIn } from "./chromium";

const baseUrl = inject("baseUrl");
// The "website" below and Parley are both on loopback; see embed.e2e.ts.
const chromium = chromiumPerFile(["--disable-features=LocalNetworkAccessChecks"]);

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** A signed-in admin on GENERAL's settings, in a context that may use the clipboard. */
async function generalSettings(viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.browser.newContext({ viewport, permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await signIn(page, baseUrl, "admin@demo.test");
  await page.waitForURL(`${baseUrl}/admin`);
  await page.getByRole("link", { name: "Settings of GENERAL" }).click();
  await page.locator("#share-embed").waitFor();
  await copyButtonsReady(page);
  return { context, page };
}

/** Stimulus has connected the page's Copy buttons (module scripts run after the HTML is there). */
const copyButtonsReady = (page: Page) =>
  page.waitForFunction(() => (window as unknown as { Stimulus?: { controllers: { identifier: string }[] } }).Stimulus?.controllers.some((c) => c.identifier === "copy"));

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/** The demo's state is shared with the other e2e files: the embed goes back to its defaults. */
async function restoreEmbed(page: Page) {
  const section = page.locator("#share-embed");
  await section.getByLabel("Bottom right").check();
  await section.getByLabel("Pop-up contact form").check();
  await section.getByLabel("Whisper text").fill("Questions? We're online.");
  await section.getByLabel("Whisper after").fill("20");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Saved.").waitFor();
}

describe("a room's Share & embed section", () => {
  it("previews the button, whisper and pop-up as the admin changes them, before saving", async () => {
    const { context, page } = await generalSettings();
    const preview = page.locator(".embed-preview");
    const button = preview.locator(".embed-preview-button");
    const stage = (await preview.boundingBox())!;
    expect((await button.boundingBox())!.x).toBeGreaterThan(stage.x + stage.width / 2); // bottom right, as saved

    const section = page.locator("#share-embed");
    await section.getByLabel("Bottom left").check();
    await section.getByLabel("Whisper text").fill("Need a hand? Ask Alice!");
    await page.locator("#f-theme").fill("#118844");
    await section.getByLabel("Pop-up contact form").uncheck();

    expect((await button.boundingBox())!.x).toBeLessThan(stage.x + stage.width / 2);
    expect(await preview.locator(".embed-preview-whisper").innerText()).toContain("Need a hand? Ask Alice!");
    expect(await button.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe("rgb(17, 136, 68)");
    expect(await preview.locator(".embed-preview-popup").isHidden()).toBe(true);
    expect(await page.locator(".embed-preview-figure figcaption").innerText()).toContain("in a new tab");
    await section.getByLabel("Pop-up contact form").check();
    await page.evaluate(() => document.querySelector<HTMLElement>(".save-bar")?.style.setProperty("position", "static"));
    await page.locator("#share-embed").screenshot({ path: "screenshots/share-embed-preview-changed.png" });
    await context.close();
  });

  it("copies each link with its button, which says Copied", async () => {
    const { context, page } = await generalSettings();
    const copy = async (label: string) => {
      const field = page.locator("#share-embed .copy-field", { has: page.getByLabel(label, { exact: true }) });
      await field.getByRole("button", { name: "Copy" }).click();
      await expect.poll(() => field.locator(".copy-button").innerText()).toBe("Copied");
      expect(await field.getByRole("status").innerText()).toBe("Copied to the clipboard.");
      return clipboard(page);
    };
    expect(await copy("HTML code for your website")).toBe(`<script src="${baseUrl}/embed/demo/GENERAL.js" async></script>`);
    expect(await copy("Video chat")).toBe(`${baseUrl}/c/demo/GENERAL?mode=video`);
    expect(await copy("WhatsApp chat")).toBe(`${baseUrl}/c/demo/GENERAL/whatsapp`);
    expect(await copy("Statistics (details)")).toBe(`${baseUrl}/api/stats/demo/GENERAL/details`);
    // The button says Copy again after a moment.
    await expect.poll(() => page.locator(".copy-field").first().locator(".copy-button").innerText(), { timeout: 4000 }).toBe("Copy");
    await context.close();
  });

  it("selects the text for the keyboard when the browser refuses the clipboard", async () => {
    const { context, page } = await generalSettings();
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException("denied", "NotAllowedError"));
    });
    const field = page.locator("#share-embed .copy-field", { has: page.getByLabel("Statistics (brief)") });
    await field.getByRole("button", { name: "Copy" }).click();
    await expect.poll(() => field.locator(".copy-button").innerText()).toBe("Selected");
    expect(await field.getByRole("status").innerText()).toContain("press Ctrl+C");
    const selected = await page.evaluate(() => {
      const input = document.activeElement as HTMLInputElement;
      return input.value.slice(input.selectionStart ?? 0, input.selectionEnd ?? 0);
    });
    expect(selected).toBe(`${baseUrl}/api/stats/demo/GENERAL`);
    await context.close();
  });

  it("gives a snippet that, pasted into another website, shows the saved button, whisper and contact form", async () => {
    const { context, page } = await generalSettings();
    const section = page.locator("#share-embed");
    try {
      await section.getByLabel("Bottom left").check();
      await section.getByLabel("Whisper text").fill("Need a hand?");
      await section.getByLabel("Whisper after").fill("1");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByText("Saved.").waitFor();
      await copyButtonsReady(page);
      await page.locator(".copy-field", { has: page.getByLabel("HTML code for your website") }).getByRole("button", { name: "Copy" }).click();
      const snippet = await clipboard(page);
      expect(snippet).toBe(`<script src="${baseUrl}/embed/demo/GENERAL.js" async></script>`);

      // The room's whisper shows while an agent takes chats (otherwise it offers an email message).
      const agent = await onlineConsole(chromium.browser, baseUrl, "alice@demo.test");
      // The admin pastes it into a page of their website, on another origin.
      const site = await chromium.browser.newContext({ viewport: { width: 1100, height: 700 } });
      const shop = baseUrl.replace("127.0.0.1", "localhost") + "/shop-page";
      const visitor = await site.newPage();
      await visitor.route(shop, (route) =>
        route.fulfill({ contentType: "text/html; charset=utf-8", body: `<!doctype html><html><body><h1>Example Shop</h1>\n${snippet}\n</body></html>` }),
      );
      await visitor.goto(shop);
      const button = visitor.getByRole("button", { name: "Chat with Parley Demo" });
      await button.waitFor();
      expect((await button.boundingBox())!.x).toBeLessThan(100); // bottom left
      await visitor.getByText("Need a hand?").waitFor();
      const [popup] = await Promise.all([visitor.waitForEvent("popup"), button.click()]);
      await popup.waitForLoadState();
      expect(popup.url()).toBe(`${baseUrl}/c/demo/GENERAL`);
      await site.close();
      await agent.context().close();
    } finally {
      await restoreEmbed(page);
      await context.close();
    }
  });

  it("is readable at desktop and phone size (screenshots)", async () => {
    for (const [size, viewport] of [
      ["desktop", DESKTOP],
      ["phone", PHONE],
    ] as const) {
      const { context, page } = await generalSettings(viewport);
      // The sticky save bar would sit across the middle of a section's picture.
      await page.evaluate(() => document.querySelector<HTMLElement>(".save-bar")?.style.setProperty("position", "static"));
      for (const id of ["whatsapp-assignment", "public-profile", "share-embed"]) {
        await page.locator(`#${id}`).screenshot({ path: `screenshots/room-${id}-${size}.png` });
      }
      // Nothing sticks out sideways on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await context.close();
    }
  });
});

describe("private room links", () => {
  it("are copied from the staff page", async () => {
    const context = await chromium.browser.newContext({ viewport: DESKTOP, permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    await signIn(page, baseUrl, "admin@demo.test");
    await page.waitForURL(`${baseUrl}/admin`);
    await page.goto(`${baseUrl}/admin/agents`);
    await copyButtonsReady(page);
    const row = page.locator('tr[data-agent="alice@demo.test"]');
    await row.locator("summary").click();
    await row.locator(".copy-field", { has: page.getByLabel("Voice chat") }).getByRole("button", { name: "Copy" }).click();
    expect(await clipboard(page)).toBe(`${baseUrl}/c/demo/~alice-martin?mode=voice`);
    await screenshot(page, "agent-staff-private-links");
    await page.setViewportSize(PHONE);
    await screenshot(page, "agent-staff-private-links-phone");
    await context.close();
  });

  it("are in the agent's console under Your links", async () => {
    const context = await chromium.browser.newContext({ viewport: DESKTOP, permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    await signIn(page, baseUrl, "bob@demo.test");
    await page.waitForURL(`${baseUrl}/agent`);
    await copyButtonsReady(page);
    await page.getByText("Your links").click();
    const field = page.locator(".copy-field", { has: page.getByLabel("WhatsApp chat") });
    await field.getByRole("button", { name: "Copy" }).click();
    expect(await clipboard(page)).toBe(`${baseUrl}/c/demo/~bob-chen/whatsapp`);
    await page.locator("#your-links").screenshot({ path: "screenshots/console-your-links.png" });
    await page.setViewportSize(PHONE);
    await page.locator("#your-links").screenshot({ path: "screenshots/console-your-links-phone.png" });
    await context.close();
  });
});

describe("the agent profile's Notification alert", () => {
  it("says when the browser blocks notifications, and not once they are allowed", async () => {
    for (const [permissions, blocked] of [
      [[], true],
      [["notifications"], false],
    ] as const) {
      const context = await chromium.browser.newContext({ viewport: PHONE, permissions: [...permissions] });
      const page = await context.newPage();
      if (blocked) await page.addInitScript(() => Object.defineProperty(Notification, "permission", { get: () => "denied" }));
      await signIn(page, baseUrl, "bob@demo.test");
      await page.waitForURL(`${baseUrl}/agent`);
      await page.goto(`${baseUrl}/agent/profile`);
      await page.waitForFunction(() =>
        (window as unknown as { Stimulus?: { controllers: { identifier: string }[] } }).Stimulus?.controllers.some((c) => c.identifier === "notification-permission"),
      );
      const status = page.locator('[data-notification-permission-target="status"]');
      expect(await page.getByLabel("Notification alert").isChecked()).toBe(true);
      if (blocked) {
        expect(await status.innerText()).toContain("This browser blocks notifications from Parley");
        await page.getByLabel("Notification alert").uncheck();
        expect(await status.isHidden()).toBe(true);
        await page.getByLabel("Notification alert").check();
        expect(await status.isVisible()).toBe(true);
        await status.screenshot({ path: "screenshots/profile-notifications-blocked.png" });
      } else {
        expect(await status.isHidden()).toBe(true);
      }
      await context.close();
    }
  });
});
