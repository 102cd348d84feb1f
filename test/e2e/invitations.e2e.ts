import { describe, expect, inject, it } from "vitest";
import { delivered, mailUrl } from "./mail-catcher";
import { chromiumPerFile, onlineConsole, screenshot, signIn } from "./chromium";

// A consultation invitation as the agent and the client meet it: sent from the agent's Clients
// page, found in the client's mailbox (the local catcher), its link opening the room's contact form
// with the client's name and email filled in, and the chat it leads to shown on the Clients page.

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

describe("a consultation invitation", () => {
  it("is sent from the Clients page, reaches the client's mailbox, opens the prefilled form and shows the chat it led to", async () => {
    const email = `nina-${Date.now()}@example.test`;
    const agent = await onlineConsole(chromium.browser, baseUrl, "alice@demo.test");

    // Alice keeps her console open and invites from the Clients page in another tab.
    const clients = await agent.context().newPage();
    await clients.goto(`${baseUrl}/agent/clients`);
    expect(await clients.getByRole("link", { name: "Clients" }).getAttribute("class")).toContain("active");
    await clients.getByLabel("Client's name").fill("Nina Novak");
    await clients.getByLabel("Client's email").fill(email);
    await clients.getByLabel("Room").selectOption({ label: "GENERAL — free" });
    await clients.getByLabel("Note").fill("Good to meet you at the trade fair.\n\nLet's go through your order together.");
    await clients.getByRole("button", { name: "Send invitation" }).click();
    await clients.getByText(`Your invitation is on its way to ${email}.`).waitFor();
    const row = clients.locator("#invitations tbody tr").first();
    await row.getByText("Nina Novak").waitFor();
    await screenshot(clients, "clients-invitation-sent-desktop");

    const mail = await delivered(email, "Alice Martin of Parley Demo invites you to a consultation");
    expect(mail.from[0]!.name).toBe("Parley Demo");
    expect(mail.text).toContain("Let's go through your order together.");
    const link = mail.text.match(/https?:\/\/\S+\?invitation=[0-9a-f-]{36}/)?.[0];
    expect(link, "the contact form's link in the mail").toBeDefined();
    expect(new URL(link!).pathname).toBe("/c/demo/GENERAL");
    const mailPage = await chromium.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await mailPage.goto(`${mailUrl}/api/email/${mail.id}/html`);
    await mailPage.getByText("Let's go through your order together.").waitFor();
    await screenshot(mailPage, "invitation-mail");

    // The client opens the link on their phone: the form knows who they are.
    const client = await (await chromium.browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await client.goto(link!);
    expect(await client.getByLabel("Your name").inputValue()).toBe("Nina Novak");
    expect(await client.getByLabel("Email").inputValue()).toBe(email);
    expect(await client.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(client, "invitation-contact-form-phone");

    await client.getByLabel("How can we help?").fill("About my order, as you suggested.");
    await client.getByRole("button", { name: "Chat" }).click();
    await client.waitForURL(/\/chats\/[0-9a-f-]{36}$/);
    await agent.locator(".ring-card", { hasText: "Nina Novak" }).getByRole("button", { name: "Answer" }).click();
    await expect.poll(() => client.locator(".chat-head h1").innerText()).toBe("Alice Martin");
    const panel = agent.locator(".chat-panel");
    agent.once("dialog", (d) => d.accept());
    await panel.getByRole("button", { name: "Hang up" }).click();
    await panel.locator(".notice", { hasText: "You ended the chat." }).waitFor();
    // The next test files find Alice ONLINE.
    await agent.getByRole("button", { name: "Go online" }).click();
    await expect.poll(() => agent.locator("#agent-status").getAttribute("data-status")).toBe("WAITING_NEW_CALL");

    await clients.goto(`${baseUrl}/agent/clients`);
    await clients.locator("#invitations tbody tr").first().locator('[data-led="yes"]', { hasText: "Chatted" }).waitFor();
    await screenshot(clients, "clients-led-to-chat-desktop");

    // The same page on Alice's phone: nothing runs off the screen.
    const phone = await (await chromium.browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await signIn(phone, baseUrl, "alice@demo.test");
    await phone.waitForURL(`${baseUrl}/agent`);
    await phone.getByRole("link", { name: "Clients" }).click();
    await phone.waitForURL(`${baseUrl}/agent/clients`);
    await phone.locator("#invitations tbody tr").first().getByText("Chatted").waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, "clients-phone");
  });
});
