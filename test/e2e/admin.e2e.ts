import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, screenshot, signIn } from "./chromium";

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

describe("the demo admin", () => {
  it("signs in and sees the three rooms with their public links and the entitlement status", async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, baseUrl, "admin@demo.test");
    await page.waitForURL(`${baseUrl}/admin`);
    const rooms = page.locator(".room h3");
    await expect.poll(() => rooms.allInnerTexts()).toEqual(["GENERAL", "PREAUTHORISED_CARD_AUTO_CHARGE_END", "CHARGE_DURATION_ON_DEMAND"]);
    expect(await page.locator(".room .url").first().innerText()).toBe(`${baseUrl}/c/demo/GENERAL`);
    // Chats and emails share the quota: Pro's 5000 (spec: every email sent consumes the quota).
    expect(await page.locator(".entitlement-figure").innerText()).toMatch(/^\d+ of 5,000 used this month$/);
    expect(await page.locator(".entitlement-split").innerText()).toMatch(/^\d+ chats? · \d+ emails? · Mail log$/);
    await screenshot(page, "admin-rooms");
  });

  it("chooses the buttons of a room's customer phone and agent phone", async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, baseUrl, "admin@demo.test");
    await page.waitForURL(`${baseUrl}/admin`);
    await page.getByRole("link", { name: "Settings of CHARGE_DURATION_ON_DEMAND" }).click();
    const section = page.locator("#phone-buttons");
    expect(await section.getByLabel("Video chat").isChecked()).toBe(true);
    expect(await section.getByLabel("Conference chat").isChecked()).toBe(false);
    await section.getByLabel("Conference chat").check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Saved.").waitFor();
    await page.reload();
    expect(await page.locator("#phone-buttons").getByLabel("Conference chat").isChecked()).toBe(true);
    await page.locator("#phone-buttons").screenshot({ path: "screenshots/room-phone-buttons.png" });
  });

  it("adds an agent on the Agent Staff Admin page, who can then sign in", async () => {
    const admin = await chromium.browser.newPage();
    await signIn(admin, baseUrl, "admin@demo.test");
    await admin.goto(`${baseUrl}/admin/agents/new`);
    await admin.getByLabel("Name").fill("Carol Diaz");
    await admin.getByLabel("Email (sign-in)").fill("carol@demo.test");
    await admin.getByLabel("First password").fill("violet tram 42");
    await admin.getByLabel("GENERAL").check();
    await admin.getByRole("button", { name: "Add agent" }).click();
    await admin.waitForURL(`${baseUrl}/admin/agents`);
    const row = admin.locator('tr[data-agent="carol@demo.test"]');
    expect(await row.innerText()).toContain("GENERAL");
    await screenshot(admin, "admin-agent-staff");

    const carol = await chromium.browser.newContext().then((ctx) => ctx.newPage());
    await signIn(carol, baseUrl, "carol@demo.test", "violet tram 42");
    await carol.waitForURL(`${baseUrl}/agent`);
    expect(await carol.locator("h1").innerText()).toBe("Hello, Carol Diaz");
  });
});

describe("a customer", () => {
  it("opens a room's contact form on a phone-sized screen", async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${baseUrl}/c/demo/GENERAL`);
    expect(await page.locator("h1").innerText()).toBe("Talk to us");
    await expect.poll(() => page.getByRole("button").allInnerTexts()).toEqual(expect.arrayContaining(["Chat", "Voice", "Video"]));
    await screenshot(page, "customer-contact-form-phone");
  });
});
