import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, screenshot } from "./chromium";

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

describe("a new company's administrator", () => {
  it("is warned that a paid room cannot take payments, connects Stripe through its onboarding, and sees the account connected", async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel("Company").check();
    await page.getByLabel("Business name").fill("Acme Tutors");
    await page.getByLabel("Your address").fill("acme-connect");
    await page.getByLabel("Your name").fill("Ada Acme");
    await page.getByLabel("Email").fill("ada@acme-connect.test");
    await page.getByLabel("Password").fill("purple kettle 31");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${baseUrl}/admin`);

    // GENERAL takes automatic charges: the settings page says customers cannot pay yet.
    await page.getByRole("link", { name: "Settings of GENERAL" }).click();
    await page.getByLabel("Automatic charges").check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.locator("#payments-warning").waitFor();
    expect(await page.locator("#payments-warning").innerText()).toContain("Customers cannot pay in this room yet.");
    await screenshot(page, "room-settings-payments-warning");

    // A customer of that room is told why the chat cannot start, instead of a card form that cannot work.
    const customer = await (await chromium.browser.newContext({ viewport: { width: 430, height: 800 } })).newPage();
    await customer.goto(`${baseUrl}/c/acme-connect/GENERAL`);
    await customer.getByLabel("Your name").fill("Erin Early");
    await customer.getByRole("button", { name: "Chat" }).click();
    await customer.getByText("Acme Tutors takes card payments in this room and has not finished setting them up").waitFor();
    await screenshot(customer, "customer-paid-room-not-ready");

    await page.getByRole("link", { name: "Payments" }).first().click();
    await page.waitForURL(`${baseUrl}/admin/payments`);
    expect(await page.locator(".connect-card .badge").innerText()).toBe("Not connected");
    expect(await page.locator("#payments-blocked").innerText()).toContain("GENERAL takes payments");
    await screenshot(page, "admin-payments-not-connected");

    // Stripe's hosted onboarding (the fake's page), then back to Parley.
    await page.getByRole("button", { name: "Connect with Stripe" }).click();
    await page.getByRole("heading", { name: "Connect onboarding" }).waitFor();
    await page.getByRole("button", { name: "Complete onboarding" }).click();
    await page.waitForURL(`${baseUrl}/admin/payments?onboarding=ready`);
    expect(await page.locator(".connect-card .badge").innerText()).toBe("Connected");
    expect(await page.locator(".payments-flash").first().innerText()).toContain("Your Stripe account is connected.");
    expect(await page.locator("#payments-blocked").count()).toBe(0);
    await screenshot(page, "admin-payments-connected");
  });
});

describe("a solo professional", () => {
  it("chooses where Parley pays out their 80 %", async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel("Solo User").check();
    await page.getByLabel("Business name").fill("Dr Lee");
    await page.getByLabel("Your address").fill("dr-lee-pay");
    await page.getByLabel("Your name").fill("Lee Wong");
    await page.getByLabel("Email").fill("lee@dr-lee-pay.test");
    await page.getByLabel("Password").fill("quiet harbour 27");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${baseUrl}/admin`);
    await page.goto(`${baseUrl}/admin/payments`);
    await page.getByLabel("PayPal").check();
    await page.getByLabel("Account to pay into").fill("lee@paypal.test");
    await page.getByRole("button", { name: "Save payout method" }).click();
    await page.waitForURL(`${baseUrl}/admin/payments?saved=1`);
    expect(await page.locator(".payout-destination").innerText()).toContain("PayPal");
    await screenshot(page, "admin-payments-solo-payouts");
  });
});
