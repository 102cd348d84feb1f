import { describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { chromiumPerFile, screenshot } from "./chromium";

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

/** Reloads the Plan page until it shows `text`: the fake Stripe's webhook arrives a moment after the redirect. */
async function reloadUntil(page: Page, text: string) {
  for (let i = 0; i < 40; i++) {
    if ((await page.locator("main").innerText()).includes(text)) return;
    await page.waitForTimeout(250);
    await page.reload();
  }
  throw new Error(`the Plan page never said "${text}"`);
}

describe("a company's plan", () => {
  it("is chosen at sign-up, paid on Stripe Checkout, applied when Stripe's webhook arrives, and kept in a grace period when a renewal fails", async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel("Company").check();
    await page.getByLabel("Business name").fill("Plan Co");
    await page.getByLabel("Your address").fill("plan-co");
    await page.getByLabel("Your name").fill("Pat Plan");
    await page.getByLabel("Email").fill("pat@plan-co.test");
    await page.getByLabel("Password").fill("purple kettle 31");
    await page.locator('input[name="plan"][value="pro"]').check();
    await screenshot(page, "signup-plan-choice");
    await page.getByRole("button", { name: "Create account" }).click();

    // Stripe Checkout (the fake's hosted page), then back to the Plan page.
    await page.getByRole("button", { name: "Subscribe" }).waitFor();
    const stripeOrigin = new URL(page.url()).origin;
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.waitForURL(/\/admin\/plan\?checkout=done$/);
    await reloadUntil(page, "Renews on");
    expect(await page.locator(".plan-now h2").innerText()).toBe("Pro Current plan");
    expect(await page.locator("#plan-entitlement").innerText()).toBe("0 of 5,000 chats and emails used this month");
    await screenshot(page, "plan-pro-desktop");
    const phone = await chromium.browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await page.context().storageState() });
    const small = await phone.newPage();
    await small.goto(`${baseUrl}/admin/plan`);
    await screenshot(small, "plan-pro-phone");

    // The monthly renewal is declined: Pro stays for the grace period, and the pages say until when.
    const state = (await (await fetch(`${stripeOrigin}/_fake/state`)).json()) as { subscriptions: Record<string, { id: string; metadata: Record<string, string> }> };
    const subscription = Object.values(state.subscriptions).at(-1)!;
    await fetch(`${stripeOrigin}/_fake/subscriptions/${subscription.id}/renew`, { method: "POST", body: new URLSearchParams({ outcome: "failed" }) });
    await reloadUntil(page, "Your last payment for Pro failed.");
    await screenshot(page, "plan-grace-desktop");
    await small.reload();
    await screenshot(small, "plan-grace-phone");
    await page.goto(`${baseUrl}/admin`);
    expect(await page.locator("#plan-grace").innerText()).toContain("The plan stays until");
    await screenshot(page, "admin-home-grace");
    await phone.close();
  });
});
