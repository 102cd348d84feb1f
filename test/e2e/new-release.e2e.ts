import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, screenshot } from "./chromium";

// A page left open across a deploy: the release it was served with is gone, so a part it loads
// later is not found. The page says so and offers a reload, which brings the new release.

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

describe("a page open across a deploy", () => {
  it("asks for a reload when a part it loads later is gone, and the reload works", async () => {
    const page = await (await chromium.browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await page.goto(`${baseUrl}/c/demo/GENERAL`);
    await page.getByRole("button", { name: "Chat" }).waitFor();
    expect(await page.getByRole("alert").filter({ hasText: "Parley has been updated" }).count()).toBe(0);

    // The new release is out: the old one's built files are no longer served.
    await page.route("**/build/**", (route) => route.fulfill({ status: 404, body: "Not found" }));
    // The page shows something whose controller is loaded when first shown (an invoice's countdown).
    await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<span data-controller="countdown"></span>'));
    const banner = page.getByRole("alert").filter({ hasText: "Parley has been updated. Reload the page to go on." });
    await banner.waitFor();
    await screenshot(page, "new-release-phone");

    await page.unroute("**/build/**");
    await banner.getByRole("button", { name: "Reload" }).click();
    await page.getByRole("button", { name: "Chat" }).waitFor();
    expect(await banner.count()).toBe(0);
  });
});
