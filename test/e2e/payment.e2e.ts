import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, screenshot, signIn } from "./chromium";

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

describe("a chat with automatic charges", () => {
  it("holds a test card, meters the chat, and shows both sides the same final amount", async () => {
    const agent = await (await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(agent, baseUrl, "alice@demo.test");
    await agent.waitForURL(`${baseUrl}/agent`);
    await agent.locator('#agent-status[data-status="WAITING_NEW_CALL"]').waitFor();

    const customer = await (await chromium.browser.newContext({ viewport: { width: 430, height: 900 } })).newPage();
    await customer.goto(`${baseUrl}/c/demo/PREAUTHORISED_CARD_AUTO_CHARGE_END`);
    await customer.getByLabel("Your name").fill("Erin Paid");
    await customer.getByRole("button", { name: "Chat" }).click();
    await customer.getByText("The chat costs EUR 10.00 for the first 5 minutes").waitFor();
    expect(await customer.locator(".test-banner").innerText()).toContain("Test mode");
    await screenshot(customer, "customer-agrees-to-price");
    await customer.getByLabel("I agree").check();
    await customer.getByRole("button", { name: "Agree and authorise EUR 50.00" }).click();
    await customer.getByRole("heading", { name: "Waiting for an Agent…" }).waitFor();

    await agent.locator(".ring-card", { hasText: "Erin Paid" }).getByRole("button", { name: "Answer" }).click();
    await agent.locator(".meter-panel").waitFor();
    await customer.locator(".meter-panel").waitFor();
    // The demo room gives the agent Start/Pause: nothing is counted before Start.
    expect(await customer.locator(".meter-panel .meter-charges").innerText()).toBe("EUR 0.00");
    await agent.getByRole("button", { name: "Start / Resume charges" }).click();
    await agent.getByRole("button", { name: "Stop / Pause charges" }).waitFor();
    await agent.waitForTimeout(1500); // a moment of paid service: the first second costs the minimum

    agent.once("dialog", (d) => d.accept());
    await agent.getByRole("button", { name: "Hang up" }).click();
    const customerNote = customer.locator(".meter-note.ok");
    const agentNote = agent.locator(".meter-note.ok");
    await customerNote.waitFor();
    await agentNote.waitFor();
    expect(await customerNote.innerText()).toBe("Paid: EUR 10.00 charged to the card.");
    expect(await agentNote.innerText()).toBe("New revenue: EUR 10.00 charged to the card.");
    expect(await customer.locator(".meter-paid").innerText()).toBe(await agent.locator(".meter-paid").innerText());
    await screenshot(customer, "customer-paid");
    await screenshot(agent, "agent-new-revenue");
  });
});
