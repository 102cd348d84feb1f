import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, customerChat, onlineConsole, screenshot } from "./chromium";

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

const agentConsole = (email: string): Promise<Page> => onlineConsole(chromium.browser, baseUrl, email, { width: 1280, height: 900 });

describe("a conference chat", () => {
  it("lets the agent add a colleague who talks with the customer, then leaves", async () => {
    const alice = await agentConsole("alice@demo.test");
    const bob = await agentConsole("bob@demo.test");

    // Alice's private room takes GENERAL's settings, where the demo turns Conference Chat on.
    const customer = await customerChat(chromium.browser, `${baseUrl}/c/demo/~alice-martin`, { "Your name": "Erin Walsh" });
    await alice.locator(".ring-card", { hasText: "Erin Walsh" }).getByRole("button", { name: "Answer" }).click();
    await expect.poll(() => customer.locator(".chat-head h1").innerText()).toBe("Alice Martin");

    await alice.getByRole("button", { name: "Add agent" }).click();
    const colleague = alice.locator(".colleague-list li", { hasText: "Bob Chen" });
    await colleague.waitFor();
    expect(await colleague.innerText()).toContain("ONLINE");
    await screenshot(alice, "conference-colleagues");
    await colleague.getByRole("button", { name: "Invite" }).click();
    await alice.locator(".chip-invited", { hasText: "Bob Chen" }).waitFor();

    const invitation = bob.locator(".invite-card");
    await invitation.waitFor();
    expect(await invitation.innerText()).toContain("Alice Martin invites you to their chat with Erin Walsh.");
    await screenshot(bob, "conference-invitation");
    await invitation.getByRole("button", { name: "Join" }).click();

    // Bob's console opens the chat; everyone is told and sees who is in it.
    await bob.locator(".chat-panel .chat-head", { hasText: "Erin Walsh" }).waitFor();
    await expect.poll(() => bob.locator("#agent-status").getAttribute("data-status")).toBe("SERVING_CUSTOMER");
    await customer.locator(".notice", { hasText: "Bob Chen joined the chat." }).waitFor();
    await alice.locator(".chat-panel .notice", { hasText: "Bob Chen joined the chat." }).waitFor();
    expect(await customer.locator(".conference-people").innerText()).toContain("Bob Chen");

    const bobBox = bob.locator(".chat-panel textarea");
    await bobBox.fill("Hello Erin, I look after refunds.");
    await bobBox.press("Enter");
    const atCustomer = customer.locator(".line", { hasText: "I look after refunds." });
    await atCustomer.waitFor();
    expect(await atCustomer.locator(".who").innerText()).toBe("Bob Chen");
    await alice.locator(".chat-panel .line", { hasText: "I look after refunds." }).waitFor();
    // Bob's own line is on his right, unnamed.
    const own = bob.locator(".chat-panel .line", { hasText: "I look after refunds." });
    expect(await own.evaluate((e) => getComputedStyle(e).justifyContent)).toBe("flex-end");

    await customer.locator("textarea").fill("Thank you both!");
    await customer.locator("textarea").press("Enter");
    await bob.locator(".chat-panel .line", { hasText: "Thank you both!" }).waitFor();
    await screenshot(customer, "conference-customer");
    await screenshot(alice, "conference-host");
    await screenshot(bob, "conference-guest");

    // Bob leaves; the chat goes on between Erin and Alice.
    bob.once("dialog", (d) => d.accept());
    await bob.getByRole("button", { name: "Leave chat" }).click();
    await customer.locator(".notice", { hasText: "Bob Chen left the chat." }).waitFor();
    await expect.poll(() => bob.locator("#agent-status").getAttribute("data-status")).toBe("HANG_UP");
    await bob.getByRole("button", { name: "Go online" }).click();
    await expect.poll(() => bob.locator("#agent-status").getAttribute("data-status")).toBe("WAITING_NEW_CALL");

    customer.once("dialog", (d) => d.accept());
    await customer.getByRole("button", { name: "Hang up" }).click();
    await customer.getByRole("link", { name: "Start a new chat" }).waitFor();
    await expect.poll(() => alice.locator("#agent-status").getAttribute("data-status")).toBe("REMOTE_CUSTOMER_HANGUP");
    await alice.getByRole("button", { name: "Go online" }).click();
    await expect.poll(() => alice.locator("#agent-status").getAttribute("data-status")).toBe("WAITING_NEW_CALL");

    // In Alice's Chat View, Bob's line is his, not hers: on the left, under his name.
    await alice.goto(`${baseUrl}/chat-view`);
    const record = alice.locator(".record", { hasText: "Erin Walsh" }).first();
    const bobsLine = record.locator(".line", { hasText: "I look after refunds." });
    expect(await bobsLine.locator(".who").isVisible()).toBe(true);
    expect(await bobsLine.locator(".who").innerText()).toBe("Bob Chen");
    expect(await bobsLine.evaluate((e) => getComputedStyle(e).justifyContent)).not.toBe("flex-end");
    await screenshot(alice, "conference-chat-view-host");
  });
});
