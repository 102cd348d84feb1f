import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, onlineConsole, screenshot, signIn, submitContactForm } from "./chromium";

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

// Issue 17: what the customer's end-of-chat receipt says is what Stripe took, and what the
// business's Revenue page says for that chat.

type FakeCharge = {
  payment_intent: string;
  amount_captured: number;
  currency: string;
  captured: boolean;
  payment_method_details: { card: { brand: string; last4: string } };
};
type FakeState = { paymentIntents: Record<string, { id: string; metadata: Record<string, string> }>; charges: Record<string, FakeCharge> };

/** The receipt's lines, label → value, as the customer reads them. */
async function receiptLines(page: Page): Promise<Record<string, string>> {
  const pairs = await page.locator(".receipt .bill-line").evaluateAll((rows) => rows.map((r) => [r.querySelector("dt")!.textContent!.trim(), r.querySelector("dd")!.textContent!.trim()]));
  return Object.fromEntries(pairs);
}

const eur = (minor: number) => `EUR ${(minor / 100).toFixed(2)}`;

describe("the customer's receipt at the end of a chat paid by the meter", () => {
  it("equals what the fake Stripe captured and what the Revenue page shows for the chat", async () => {
    const agent = await onlineConsole(chromium.browser, baseUrl, "alice@demo.test");
    const customer = await submitContactForm(chromium.browser, `${baseUrl}/c/demo/PREAUTHORISED_CARD_AUTO_CHARGE_END`, { "Your name": "Rita Receipt" }, { viewport: { width: 390, height: 844 } });
    await customer.getByLabel("I agree").check();
    await customer.getByRole("button", { name: "Agree and enter my card" }).click();
    await customer.getByLabel("Card number").fill("4242 4242 4242 4242");
    const stripe = new URL((await customer.locator('script[src$="/v3/"]').getAttribute("src"))!).origin;
    const chatId = new URL(customer.url()).pathname.split("/").pop()!;
    await customer.getByRole("button", { name: "Authorise EUR 50.00" }).click();
    await customer.getByRole("heading", { name: "Waiting for an Agent…" }).waitFor();

    await agent.locator(".ring-card", { hasText: "Rita Receipt" }).getByRole("button", { name: "Answer" }).click();
    await agent.getByRole("button", { name: "Start / Resume charges" }).click();
    await agent.getByRole("button", { name: "Stop / Pause charges" }).waitFor();
    await agent.waitForTimeout(2500); // a moment of paid service
    await agent.getByRole("button", { name: "Hang up" }).click();
    await agent.getByRole("button", { name: "Charge bill" }).click();

    // The customer's end screen is a receipt.
    const receipt = customer.locator(".receipt");
    await receipt.getByText("Paid: EUR 10.00 charged to the card.").waitFor();
    expect(await receipt.getByRole("heading").innerText()).toBe("Parley Demo");
    await screenshot(customer, "customer-receipt-phone");
    const lines = await receiptLines(customer);
    expect(lines).toMatchObject({ Charges: "EUR 10.00", "Total paid": "EUR 10.00", Outstanding: "EUR 0.00", Reference: chatId });
    expect(lines["Chargeable time"]).toMatch(/^0:0[1-9]$/);
    const charges = Object.entries(lines).filter(([label]) => label.startsWith("Charge "));
    expect(charges.map(([label, value]) => [label.replace(/ · \d\d:\d\d UTC$/, ""), value])).toEqual([["Charge 1", "EUR 10.00"]]);
    expect(await receipt.locator(".receipt-date time").innerText()).toMatch(/^\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC$/);

    // What the fake Stripe captured for this chat: each charge, and the card it was on.
    const state = (await (await fetch(`${stripe}/_fake/state`)).json()) as FakeState;
    const intents = new Set(Object.values(state.paymentIntents).filter((pi) => pi.metadata.chat_id === chatId).map((pi) => pi.id));
    const captured = Object.values(state.charges).filter((ch) => intents.has(ch.payment_intent) && ch.captured && ch.amount_captured > 0);
    expect(captured.map((ch) => eur(ch.amount_captured))).toEqual(charges.map(([, value]) => value));
    expect(eur(captured.reduce((t, ch) => t + ch.amount_captured, 0))).toBe(lines["Total paid"]);
    const card = captured[0]!.payment_method_details.card;
    expect(lines.Card).toBe(`${card.brand === "visa" ? "Visa" : card.brand} •••• ${card.last4}`);

    // The agent's summary says the same.
    const summary = agent.locator(`#meter-${chatId}`);
    await summary.getByText("New revenue: EUR 10.00 charged to the card.").waitFor();
    expect(await summary.locator(".meter-paid").innerText()).toBe(lines["Total paid"]);
    expect(await summary.locator(".meter-outstanding").innerText()).toBe(lines.Outstanding);
    await screenshot(agent, "agent-summary-of-charges");

    // The same receipt on a desktop screen.
    await customer.setViewportSize({ width: 1280, height: 900 });
    await screenshot(customer, "customer-receipt-desktop");

    // The business's Revenue page lists the chat as paid, with the same time and amount.
    const admin = await (await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(admin, baseUrl, "admin@demo.test");
    await admin.waitForURL(`${baseUrl}/admin`);
    await admin.goto(`${baseUrl}/revenue?period=all`);
    const row = admin.locator(`tr[data-chat="${chatId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-label="Paid"]').innerText()).toBe(lines["Total paid"]);
    expect(await row.locator('[data-label="Time"]').innerText()).toBe(lines["Chargeable time"]);
    expect(await row.locator('[data-label="Status"]').getAttribute("data-state")).toBe("paid");
    expect((await row.locator('[data-label="Status"]').innerText()).trim()).toBe("Paid");
    await row.scrollIntoViewIfNeeded();
    await screenshot(admin, "revenue-page-paid-chat");
  });
});
