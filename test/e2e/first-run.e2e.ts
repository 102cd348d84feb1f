import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, screenshot, submitContactForm } from "./chromium";

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** Both sizes of the page as it is now, for a person to look at. */
async function bothSizes(page: Page, name: string) {
  await page.setViewportSize(DESKTOP);
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

describe("a new company's first run", () => {
  it("signs up, reads its checklist, and takes chats itself with \"I take chats too\"", async () => {
    const page = await chromium.browser.newPage({ viewport: DESKTOP });
    await page.goto(`${baseUrl}/signup`);
    await page.getByText("Company", { exact: true }).click();
    await page.getByLabel("Business name").fill("Harbour Dental");
    await page.getByLabel("Your address").fill("harbour-dental");
    await page.getByLabel("Your name").fill("Hana Reyes");
    await page.getByLabel("Email").fill("hana@harbour-dental.test");
    await page.getByLabel("Password").fill("correct horse 9 dental");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${baseUrl}/admin`);

    const checklist = page.locator(".checklist");
    expect(await checklist.locator("h2").innerText()).toBe("Get ready for your first customers");
    expect(await checklist.locator(".checklist-step.done").count()).toBe(0);
    await bothSizes(page, "first-run-checklist");

    await checklist.getByRole("link", { name: "Agent staff" }).click();
    await page.waitForURL(`${baseUrl}/admin/agents`);
    const takesChats = page.getByRole("switch", { name: "I take chats too" });
    expect(await takesChats.isChecked()).toBe(false);
    await bothSizes(page, "staff-takes-chats-off");

    await takesChats.check();
    await page.locator(".takes-chats").getByRole("button", { name: "Save" }).click();
    await page.waitForURL(`${baseUrl}/admin/agents`);
    expect(await page.getByRole("switch", { name: "I take chats too" }).isChecked()).toBe(true);
    expect(await page.locator('tr[data-agent="hana@harbour-dental.test"] .chip').allInnerTexts()).toEqual(["GENERAL"]);
    await bothSizes(page, "staff-takes-chats-on");

    // The agent console is hers now, and the checklist ticks its first step.
    await page.getByRole("link", { name: "Agent console" }).first().click();
    await page.waitForURL(`${baseUrl}/agent`);
    await page.goto(`${baseUrl}/admin`);
    expect(await page.locator('.checklist-step[data-step="agent"]').getAttribute("class")).toBe("checklist-step done");
    await bothSizes(page, "first-run-checklist-agent-done");
  });

  it("tells a customer the truth while nobody is online: the chat waits, in the room's colour, with no \"Ask all agents\"", async () => {
    const customer = await submitContactForm(chromium.browser, `${baseUrl}/c/harbour-dental/GENERAL`, { "Your name": "Carla" }, { viewport: PHONE });
    await customer.locator('p[id^="queue-"]').waitFor();
    await screenshot(customer, "waiting-no-one-online-phone");
    expect(await customer.locator('p[id^="queue-"]').innerText()).toContain("No one is online to answer right now.");
    expect(await customer.getByRole("button", { name: "Ask all agents" }).count()).toBe(0);
    expect(await customer.locator(".chat-page").getAttribute("style")).toBe("--theme:#2563eb");
  });
});
