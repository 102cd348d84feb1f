import { describe, expect, inject, it } from "vitest";
import { delivered, mailUrl } from "./mail-catcher";
import { chromiumPerFile, screenshot, signIn, submitContactForm } from "./chromium";

// A customer's "Email us" message as the agents meet it: an alert in their mailbox (the local
// catcher), the message in the Inbox, answered from the page, the answer in the customer's mailbox.

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

describe("the agents' Inbox", () => {
  it("shows a customer's Email us message to the room's agent, alerted by mail, whose reply reaches the customer's mailbox", async () => {
    const email = `nora-${Date.now()}@example.test`;
    const customer = await submitContactForm(
      chromium.browser,
      `${baseUrl}/c/demo/GENERAL`,
      { "Your name": "Nora Lind", Email: email, "How can we help?": "Can I change my delivery address?" },
      { button: "Email us" },
    );
    await customer.getByText("Thank you — your message is on its way.").waitFor();
    await screenshot(customer, "inbox-customer-sent-phone");

    const alert = await delivered("bob@demo.test", "New message from Nora Lind");
    expect(alert.from[0]!.name).toBe("Parley Demo");
    expect(alert.text).toContain("Can I change my delivery address?");
    const mailPage = await chromium.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await mailPage.goto(`${mailUrl}/api/email/${alert.id}/html`);
    await mailPage.getByText("Can I change my delivery address?").waitFor();
    await screenshot(mailPage, "inbox-alert-mail");

    const desktop = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(desktop, baseUrl, "bob@demo.test");
    await desktop.waitForURL(`${baseUrl}/agent`);
    await desktop.getByRole("link", { name: "Inbox" }).click();
    await desktop.waitForURL(`${baseUrl}/agent/inbox`);
    await desktop.getByRole("link", { name: "Nora Lind" }).first().waitFor();
    await screenshot(desktop, "inbox-list-desktop");

    const phone = await (await chromium.browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await signIn(phone, baseUrl, "bob@demo.test");
    await phone.waitForURL(`${baseUrl}/agent`);
    await phone.goto(`${baseUrl}/agent/inbox`);
    await phone.getByRole("link", { name: "Nora Lind" }).first().click();
    await phone.getByText("Can I change my delivery address?").waitFor();
    await phone.getByLabel("Reply by email").fill("Yes: reply with the new address and we will change it.\n\nBob");
    await phone.getByRole("button", { name: "Send reply" }).click();
    await phone.getByText(`Your reply is on its way to ${email}.`).waitFor();
    await screenshot(phone, "inbox-message-replied-phone");

    const reply = await delivered(email, "Re: Can I change my delivery address?");
    expect(reply.from[0]!.name).toBe("Parley Demo");
    expect(reply.text).toContain("Yes: reply with the new address and we will change it.");
    await mailPage.goto(`${mailUrl}/api/email/${reply.id}/html`);
    await mailPage.getByText("Yes: reply with the new address").waitFor();
    await screenshot(mailPage, "inbox-reply-mail");

    await phone.getByRole("button", { name: "Mark done" }).click();
    await phone.getByRole("button", { name: "Reopen" }).waitFor();
    await desktop.goto(`${baseUrl}/agent/inbox?status=done`);
    await desktop.getByRole("link", { name: "Nora Lind" }).first().waitFor();
  });
});
