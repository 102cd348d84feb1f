import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, onlineConsole, screenshot, submitContactForm } from "./chromium";

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

describe("a chat with automatic charges", () => {
  it("holds a test card, meters the chat, and shows both sides the same final amount", async () => {
    const agent = await onlineConsole(chromium.browser, baseUrl, "alice@demo.test");

    const customer = await submitContactForm(chromium.browser, `${baseUrl}/c/demo/PREAUTHORISED_CARD_AUTO_CHARGE_END`, { "Your name": "Erin Paid" }, { viewport: { width: 430, height: 900 } });
    await customer.getByText("The chat costs EUR 10.00 for the first 5 minutes").waitFor();
    expect(await customer.locator(".test-banner").innerText()).toContain("Test mode");
    await screenshot(customer, "customer-agrees-to-price");
    await customer.getByLabel("I agree").check();
    await customer.getByRole("button", { name: "Agree and enter my card" }).click();
    // Stripe's Payment Element (the fake's stand-in of Stripe.js, loaded from STRIPE_JS_URL).
    await customer.getByLabel("Card number").fill("4242 4242 4242 4242");
    await screenshot(customer, "customer-payment-element");
    await customer.getByRole("button", { name: "Authorise EUR 50.00" }).click();
    await customer.getByRole("heading", { name: "Waiting for an Agent…" }).waitFor();

    await agent.locator(".ring-card", { hasText: "Erin Paid" }).getByRole("button", { name: "Answer" }).click();
    await agent.locator(".meter-panel").waitFor();
    await customer.locator(".meter-panel").waitFor();
    // The demo room gives the agent Start/Pause: nothing is counted before Start.
    expect(await customer.locator(".meter-panel .meter-charges").innerText()).toBe("EUR 0.00");
    await agent.getByRole("button", { name: "Start / Resume charges" }).click();
    await agent.getByRole("button", { name: "Stop / Pause charges" }).waitFor();
    await agent.waitForTimeout(1500); // a moment of paid service: the first second costs the minimum

    // The agent's hang-up charges the card: it asks to confirm "Charge bill" first (spec).
    await agent.getByRole("button", { name: "Hang up" }).click();
    await agent.getByRole("dialog").getByText("Charge bill?").waitFor();
    await screenshot(agent, "agent-confirms-charge-bill");
    await agent.getByRole("button", { name: "Charge bill" }).click();
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

  it("asks for another card when the card cannot pay at the end, tells the agent, and charges the new card", async () => {
    // Bob: Alice is still wrapping up the chat of the test before.
    const agent = await onlineConsole(chromium.browser, baseUrl, "bob@demo.test");

    const customer = await submitContactForm(chromium.browser, `${baseUrl}/c/demo/PREAUTHORISED_CARD_AUTO_CHARGE_END`, { "Your name": "Frank Unpaid" }, { viewport: { width: 430, height: 900 } });
    await customer.getByLabel("I agree").check();
    await customer.getByRole("button", { name: "Agree and enter my card" }).click();
    // A card whose bank asks for 3-D Secure: Stripe.js shows the bank's step in the page.
    await customer.getByLabel("Card number").fill("4000 0025 0000 3155");
    // Where the fake Stripe runs (it serves Stripe.js), and the hold's PaymentIntent.
    const stripe = new URL((await customer.locator('script[src$="/v3/"]').getAttribute("src"))!).origin;
    const chatId = new URL(customer.url()).pathname.split("/").pop()!;
    await customer.getByRole("button", { name: "Authorise EUR 50.00" }).click();
    await customer.getByRole("dialog", { name: "3-D Secure authentication" }).waitFor();
    await screenshot(customer, "customer-3d-secure");
    await customer.getByRole("button", { name: "Complete authentication" }).click();
    await customer.getByRole("heading", { name: "Waiting for an Agent…" }).waitFor();
    const intents = (await (await fetch(`${stripe}/_fake/state`)).json()) as { paymentIntents: Record<string, { id: string; status: string; metadata: Record<string, string> }> };
    const hold = Object.values(intents.paymentIntents).find((pi) => pi.metadata.chat_id === chatId)!;
    expect(hold.status).toBe("requires_capture");
    const paymentIntent = hold.id;

    await agent.locator(".ring-card", { hasText: "Frank Unpaid" }).getByRole("button", { name: "Answer" }).click();
    await agent.getByRole("button", { name: "Start / Resume charges" }).click();
    await agent.getByRole("button", { name: "Stop / Pause charges" }).waitFor();
    await agent.waitForTimeout(1500);

    // Meanwhile the hold lapsed and the card ran out of funds: the bill needs a new hold, which fails.
    const state = (await (await fetch(`${stripe}/_fake/state`)).json()) as { paymentIntents: Record<string, { payment_method: string }> };
    const card = state.paymentIntents[paymentIntent]!.payment_method;
    expect((await fetch(`${stripe}/_fake/payment_methods/${card}/outcome`, { method: "POST", body: new URLSearchParams({ outcome: "insufficient_funds" }) })).ok).toBe(true);
    expect((await fetch(`${stripe}/_fake/payment_intents/${paymentIntent}/expire`, { method: "POST" })).ok).toBe(true);

    await agent.getByRole("button", { name: "Hang up" }).click();
    await agent.getByRole("button", { name: "Charge bill" }).click();
    await agent.locator(".payment-needed").waitFor();
    expect(await agent.locator(".payment-needed").innerText()).toContain("Frank Unpaid's card could not be charged: insufficient funds.");
    await agent.getByRole("button", { name: "Hang up anyway" }).waitFor();
    await screenshot(agent, "agent-payment-needed");
    await customer.locator(".payment-needed").waitFor();
    await screenshot(customer, "customer-payment-needed");

    await customer.getByRole("link", { name: "Use another card" }).click();
    await customer.getByRole("heading", { name: "Payment needed" }).waitFor();
    await customer.getByLabel("Card number").fill("4242 4242 4242 4242");
    await screenshot(customer, "customer-another-card");
    await customer.getByRole("button", { name: /Pay with this card/ }).click();

    const customerNote = customer.locator(".meter-note.ok");
    await customerNote.waitFor();
    expect(await customerNote.innerText()).toBe("Paid: EUR 10.00 charged to the card.");
    await agent.locator(".meter-note.ok", { hasText: "New revenue: EUR 10.00" }).waitFor();
    await screenshot(agent, "agent-paid-after-payment-needed");
  });
});
