import { describe, expect, inject, it } from "vitest";
import { delivered, mailUrl } from "./mail-catcher";
import { chromiumPerFile, screenshot, signIn } from "./chromium";

// Mail as a person meets it locally: the server started by the global setup sends through its
// mail queue to maildev, the catcher `npm start` runs, whose web inbox shows it.

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

describe("mail on the local server", () => {
  it("tells the admin that an agent saved her profile, in the catcher's inbox, and lists it as sent in the mail log", async () => {
    const agent = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(agent, baseUrl, "bob@demo.test");
    await agent.waitForURL(`${baseUrl}/agent`);
    await agent.goto(`${baseUrl}/agent/profile`);
    // A new greeting, which the notice names (short, so that no line of the text part wraps it).
    const greeting = "Hi, Bob here.";
    const field = agent.getByLabel("Greeting to customers");
    const before = await field.inputValue();
    await field.fill(greeting);
    await agent.getByRole("button", { name: "Save profile" }).click();
    await agent.getByText("Saved.").waitFor();

    const subject = "Bob Chen updated their private profile";
    const mail = await delivered("admin@demo.test", subject);
    expect(mail.from).toEqual([{ address: "mail@parley.localhost", name: "Parley Demo" }]);
    expect(mail.text).toContain("Bob Chen changed their agent profile in Parley");
    expect(mail.text).toContain(greeting);

    // The catcher's web inbox, and the mail's HTML part as a mail client shows it.
    const inbox = await chromium.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await inbox.goto(mailUrl);
    await inbox.getByText(subject).first().waitFor();
    await screenshot(inbox, "mail-catcher-inbox");
    await inbox.goto(`${mailUrl}/api/email/${mail.id}/html`);
    await inbox.getByText("Bob Chen changed their agent profile").waitFor();
    await screenshot(inbox, "mail-profile-notice");

    const admin = await chromium.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(admin, baseUrl, "admin@demo.test");
    await admin.waitForURL(`${baseUrl}/admin`);
    expect(await admin.locator(".entitlement-split").innerText()).toMatch(/ · [1-9]\d* emails? · Mail log$/);
    await admin.getByRole("link", { name: "Mail log" }).first().click();
    await admin.waitForURL(`${baseUrl}/admin/mail`);
    const row = admin.locator("#mail-log tbody tr", { hasText: subject }).first();
    await expect.poll(() => row.getAttribute("data-status")).toBe("sent");
    expect(await row.innerText()).toContain("admin@demo.test");
    await screenshot(admin, "admin-mail-log");

    // The demo's state is shared with the other end-to-end files, which greet with Bob's own words.
    await agent.goto(`${baseUrl}/agent/profile`);
    await agent.getByLabel("Greeting to customers").fill(before);
    await agent.getByRole("button", { name: "Save profile" }).click();
    await agent.getByText("Saved.").waitFor();
  });
});
