import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, screenshot } from "./chromium";

const baseUrl = inject("baseUrl");
// Here the "website" and Parley are both on loopback; Chromium's local-network guard, which
// never applies between a public website and a public Parley, would stop the script.
const chromium = chromiumPerFile(["--disable-features=LocalNetworkAccessChecks"]);

describe("the embed script on another website", () => {
  it("shows a sticky chat button at the bottom right and opens the room's contact form in a pop-up", async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1100, height: 700 } });
    // Any website: a page on another origin (localhost, not 127.0.0.1) with the README's script tag.
    const shop = baseUrl.replace("127.0.0.1", "localhost") + "/shop-page";
    await page.route(shop, (route) =>
      route.fulfill({
        contentType: "text/html; charset=utf-8",
        body: `<!doctype html><html><body style="font-family:sans-serif;padding:2rem"><h1>Example Shop</h1><p>Our products…</p>
<script src="${baseUrl}/embed/demo/GENERAL.js" async></script></body></html>`,
      }),
    );
    await page.goto(shop);
    const button = page.getByRole("button", { name: "Chat with Parley Demo" });
    await button.waitFor();
    const box = (await button.boundingBox())!;
    expect(box.x + box.width).toBeGreaterThan(1100 - 100); // bottom right by default
    expect(box.y + box.height).toBeGreaterThan(700 - 100);

    const [popup] = await Promise.all([page.waitForEvent("popup"), button.click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toBe(`${baseUrl}/c/demo/GENERAL`);
    expect(await popup.locator("h1").innerText()).toBe("Talk to us");
    await screenshot(page, "embed-on-a-website");
  });
});
