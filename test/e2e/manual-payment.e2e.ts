import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, onlineConsole, screenshot, signIn, submitContactForm } from "./chromium";

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

describe("a manual payment request", () => {
  it("is sent by the agent, paid by the customer in Stripe's Payment Element, and its service time counts down on both screens", async () => {
    // The demo's administrator has enabled Alice's Manual Payment Request (off for a new agent).
    const admin = await (await chromium.browser.newContext()).newPage();
    await signIn(admin, baseUrl, "admin@demo.test");
    await admin.goto(`${baseUrl}/admin/agents`);
    await admin.locator('tr[data-agent="alice@demo.test"]').getByRole("link", { name: "Edit" }).click();
    expect(await admin.getByLabel("Manual payment request").isChecked()).toBe(true);

    const agent = await onlineConsole(chromium.browser, baseUrl, "alice@demo.test");

    const customer = await submitContactForm(chromium.browser, `${baseUrl}/c/demo/CHARGE_DURATION_ON_DEMAND`, { "Your name": "Erin Invoice", Email: "erin@example.com" }, { viewport: { width: 430, height: 900 } });
    await agent.locator(".ring-card", { hasText: "Erin Invoice" }).getByRole("button", { name: "Answer" }).click();

    // The credit-card button opens the invoice form.
    await agent.getByText("Payment request", { exact: true }).click();
    await agent.getByLabel("Online Service Performance").check();
    await agent.getByLabel("Description").fill("30-minute tax consultation");
    await agent.getByLabel("Amount").fill("40.00");
    await agent.getByLabel("Currency").selectOption("EUR");
    await agent.getByLabel("Duration (minutes)").fill("30");
    await screenshot(agent, "agent-invoice-form");
    await agent.getByRole("button", { name: "Send to customer" }).click();
    await agent.getByText("Payment request sent.").waitFor();

    const payNow = customer.getByRole("link", { name: "Pay Now · EUR 40.00" });
    await payNow.waitFor();
    expect(await customer.locator(".invoice-card .invoice-description").innerText()).toBe("30-minute tax consultation");
    expect(await customer.locator(".invoice-card .test-banner").innerText()).toContain("Test mode");
    await screenshot(customer, "customer-invoice");
    await payNow.click();

    // The invoice's page with Stripe's Payment Element (the fake's stand-in of Stripe.js).
    await customer.waitForURL(/\/chats\/[\w-]+\/invoices\/1\/pay$/);
    expect(await customer.locator(".invoice-description").innerText()).toBe("30-minute tax consultation");
    const pay = customer.getByRole("button", { name: "Pay Now · EUR 40.00" });
    // A declined card is refused in the page.
    await customer.getByLabel("Card number").fill("4000 0000 0000 9995");
    await pay.click();
    await customer.getByRole("alert").filter({ hasText: "insufficient funds" }).waitFor();
    // Another card, on the same PaymentIntent.
    await customer.getByLabel("Card number").fill("4242 4242 4242 4242");
    await screenshot(customer, "customer-invoice-payment-element");
    await pay.click();

    await customer.getByText("Paid: EUR 40.00. A receipt is on its way to erin@example.com.").waitFor();
    await agent.getByText("New revenue: EUR 40.00 paid by Erin Invoice.").waitFor();
    await screenshot(agent, "agent-invoice-receipt");

    await agent.getByRole("button", { name: "Service Starts" }).click();
    const agentClock = agent.locator(".service-clock.running .service-clock-time");
    const customerClock = customer.locator(".service-clock.running .service-clock-time");
    await agentClock.waitFor();
    await customerClock.waitFor();
    // Both screens count down from the 30 minutes bought.
    await expect.poll(() => customerClock.innerText(), { timeout: 5_000 }).toMatch(/^29:\d\d$/);
    await expect.poll(() => agentClock.innerText(), { timeout: 5_000 }).toMatch(/^29:\d\d$/);
    await screenshot(customer, "customer-service-countdown");
    await screenshot(agent, "agent-service-countdown");

    // A refreshed customer page shows the same countdown, still running.
    await customer.reload();
    await customerClock.waitFor();
    expect(await customerClock.innerText()).toMatch(/^29:\d\d$/);

    await agent.getByRole("button", { name: "Service Finished" }).click();
    await customer.getByText("Service finished.").waitFor();
    agent.once("dialog", (d) => d.accept());
    await agent.getByRole("button", { name: "Hang up" }).click();
    await customer.getByText("The agent ended the chat.").waitFor();
  });
});
