import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, onlineConsole, screenshot, signIn, submitContactForm } from "./chromium";

// The local server as `npm start` runs it: the fake Stripe's webhooks reach the Worker signed
// with the run's secret, fees come from Stripe's balance transactions, and the admin checks the
// day against Stripe on the Revenue page (issue 17, Reconciliation).

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

describe("Stripe's webhooks in the local server", () => {
  it("mark a company connected by account.updated when its admin finished Stripe's onboarding but never came back", async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel("Company").check();
    await page.getByLabel("Business name").fill("Hook Tutors");
    await page.getByLabel("Your address").fill("hook-tutors");
    await page.getByLabel("Your name").fill("Hana Hook");
    await page.getByLabel("Email").fill("hana@hook-tutors.test");
    await page.getByLabel("Password").fill("amber lantern 58");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${baseUrl}/admin`);
    await page.goto(`${baseUrl}/admin/payments`);
    await page.getByRole("button", { name: "Connect with Stripe" }).click();
    await page.getByRole("heading", { name: "Connect onboarding" }).waitFor();

    // Onboarding is finished at Stripe, but the tab closes before Stripe sends the admin back:
    // only the webhook can tell Parley.
    const finished = await fetch(page.url(), { method: "POST", body: new URLSearchParams({ action: "complete" }), redirect: "manual" });
    expect(finished.status).toBe(303);
    expect(finished.headers.get("location")).toBe(`${baseUrl}/admin/payments/return`);

    const badge = page.locator(".connect-card .badge");
    for (let tries = 0; ; tries++) {
      await page.goto(`${baseUrl}/admin/payments`);
      if ((await badge.innerText()) === "Connected" || tries === 20) break;
      await page.waitForTimeout(250);
    }
    expect(await badge.innerText()).toBe("Connected");
  });
});

describe("the Revenue page's reconciliation with Stripe", () => {
  it("books a demo chat with Stripe's fee and finds today's ledger matching Stripe, on a desktop and a phone", async () => {
    const agent = await onlineConsole(chromium.browser, baseUrl, "bob@demo.test");
    const customer = await submitContactForm(chromium.browser, `${baseUrl}/c/demo/PREAUTHORISED_CARD_AUTO_CHARGE_END`, { "Your name": "Rita Reconciled" }, { viewport: { width: 430, height: 900 } });
    await customer.getByLabel("I agree").check();
    await customer.getByRole("button", { name: "Agree and enter my card" }).click();
    await customer.getByLabel("Card number").fill("4242 4242 4242 4242");
    await customer.getByRole("button", { name: "Authorise EUR 50.00" }).click();
    await customer.getByRole("heading", { name: "Waiting for an Agent…" }).waitFor();
    await agent.locator(".ring-card", { hasText: "Rita Reconciled" }).getByRole("button", { name: "Answer" }).click();
    await agent.getByRole("button", { name: "Start / Resume charges" }).click();
    await agent.getByRole("button", { name: "Stop / Pause charges" }).waitFor();
    await agent.waitForTimeout(1500);
    await agent.getByRole("button", { name: "Hang up" }).click();
    await agent.getByRole("button", { name: "Charge bill" }).click();
    await customer.locator(".meter-note.ok").waitFor();

    const admin = await (await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(admin, baseUrl, "admin@demo.test");
    await admin.waitForURL(`${baseUrl}/admin`);
    await admin.goto(`${baseUrl}/revenue?period=today`);
    // Stripe took 1.5 % + 0.25 of EUR 10.00, not the 0.59 Parley estimates; the net follows.
    const row = admin.locator("#revenue-chats tbody tr", { hasText: "Rita Reconciled" });
    expect(await row.locator('td[data-label="Processing"]').innerText()).toBe("EUR 0.40");
    expect(await row.locator('td[data-label="Net"]').innerText()).toBe("EUR 8.60");

    await admin.getByRole("button", { name: "Check today now" }).click();
    const verdict = admin.locator("#reconciliation .reconciliation-verdict");
    await admin.locator("#reconciliation .badge-ok").waitFor();
    expect(await verdict.innerText()).toContain("Matches Stripe");
    expect(await admin.locator("#reconciliation-differences").count()).toBe(0);
    await screenshot(admin, "revenue-reconciled");

    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.reload();
    await admin.locator("#reconciliation .badge-ok").waitFor();
    expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(admin, "revenue-reconciled-phone");
  });
});
