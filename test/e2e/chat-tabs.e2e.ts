import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, customerChat, onlineConsole, screenshot } from "./chromium";

// Simultaneous customer chats: the demo's GENERAL room allows them, and so does Alice's private
// room (it takes GENERAL's settings), whose chats ring Alice only.

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

/** A customer of Alice's private room, waiting on their chat's page. */
const aliceCustomer = (name: string) => customerChat(chromium.browser, `${baseUrl}/c/demo/~alice-martin`, { "Your name": name }, { viewport: { width: 420, height: 800 } });

async function send(page: Page, box: string, text: string) {
  await page.locator(box).fill(text);
  await page.locator(box).press("Enter");
}

describe("simultaneous chats in the agent console", () => {
  it("shows each chat as a tab, counts unread texts in the hidden one, and sends each reply to its own customer", async () => {
    const agent = await onlineConsole(chromium.browser, baseUrl, "alice@demo.test");
    const strip = agent.getByRole("tablist", { name: "Your open chats" });
    const tab = (name: string) => strip.getByRole("tab", { name: new RegExp(name) });
    const shown = ".chat-slot:not([hidden])";

    const ana = await aliceCustomer("Ana Lima");
    await agent.locator(".ring-card", { hasText: "Ana Lima" }).getByRole("button", { name: "Answer" }).click();
    await agent.locator(`${shown} .chat-head h2`, { hasText: "Ana Lima" }).waitFor();
    // One chat: nothing to switch between, so no tabs.
    expect(await strip.isVisible()).toBe(false);

    // A second customer rings Alice while she serves the first; answering shows the new chat.
    const ben = await aliceCustomer("Ben Okafor");
    await agent.locator(".ring-card", { hasText: "Ben Okafor" }).getByRole("button", { name: "Answer" }).click();
    await tab("Ben Okafor").waitFor();
    expect(await strip.getByRole("tab").allInnerTexts()).toEqual([expect.stringMatching(/Ana Lima\s+~alice-martin/), expect.stringMatching(/Ben Okafor\s+~alice-martin/)]);
    expect(await tab("Ben Okafor").getAttribute("aria-selected")).toBe("true");
    await agent.locator(`${shown} .chat-head h2`, { hasText: "Ben Okafor" }).waitFor();
    expect(await agent.locator(".chat-slot", { hasText: "Ana Lima" }).isVisible()).toBe(false);

    // Ana writes while her chat is hidden: her tab counts it.
    await ana.locator("textarea").waitFor({ state: "visible" });
    await send(ana, "textarea", "Are you still there?");
    await send(ana, "textarea", "I have one more question.");
    await expect.poll(() => tab("Ana Lima").locator(".chat-tab-unread").innerText()).toBe("2");
    expect(await tab("Ben Okafor").locator(".chat-tab-unread").innerText()).toBe("");

    // The reply in the shown chat goes to Ben only.
    await send(agent, `${shown} textarea`, "Hello Ben, one moment please.");
    await ben.locator('.line[data-sender="agent"]', { hasText: "Hello Ben, one moment please." }).waitFor();
    await screenshot(agent, "agent-chat-tabs-unread");

    // Switching to Ana's tab shows her texts and clears the count; the reply goes to Ana only.
    await tab("Ana Lima").click();
    expect(await tab("Ana Lima").getAttribute("aria-selected")).toBe("true");
    await agent.locator(`${shown} .line[data-sender="customer"]`, { hasText: "I have one more question." }).waitFor();
    expect(await tab("Ana Lima").locator(".chat-tab-unread").isVisible()).toBe(false);
    await send(agent, `${shown} textarea`, "Yes Ana, go ahead.");
    await ana.locator('.line[data-sender="agent"]', { hasText: "Yes Ana, go ahead." }).waitFor();
    await screenshot(agent, "agent-chat-tabs-switched");
    expect(await ana.locator('.line[data-sender="agent"]', { hasText: "Hello Ben" }).count()).toBe(0);
    expect(await ben.locator('.line[data-sender="agent"]', { hasText: "Yes Ana" }).count()).toBe(0);

    // From the keyboard: only the chosen tab is in the tab order, and the arrow keys choose.
    expect(await strip.getByRole("tab").evaluateAll((tabs) => tabs.map((t) => (t as HTMLElement).tabIndex))).toEqual([0, -1]);
    await tab("Ana Lima").focus();
    await agent.keyboard.press("ArrowRight");
    await expect.poll(() => tab("Ben Okafor").getAttribute("aria-selected")).toBe("true");
    expect(await tab("Ben Okafor").evaluate((t) => t === document.activeElement)).toBe(true);
    await agent.getByRole("tabpanel").locator(".chat-head h2", { hasText: "Ben Okafor" }).waitFor();
    await screenshot(agent, "agent-chat-tabs-keyboard");
    await agent.keyboard.press("ArrowRight"); // wraps to the first
    await expect.poll(() => tab("Ana Lima").getAttribute("aria-selected")).toBe("true");
    await agent.keyboard.press("End");
    await expect.poll(() => tab("Ben Okafor").getAttribute("aria-selected")).toBe("true");
    await agent.keyboard.press("Home");
    await expect.poll(() => tab("Ana Lima").getAttribute("aria-selected")).toBe("true");
    await agent.locator(`${shown} .chat-head h2`, { hasText: "Ana Lima" }).waitFor();

    // Ben hangs up: his tab says so; closing his chat takes the tab away, and one chat needs no tabs.
    ben.once("dialog", (d) => d.accept());
    await ben.getByRole("button", { name: "Hang up" }).click();
    await expect.poll(() => tab("Ben Okafor").locator(".chat-tab-unread").innerText()).toBe("ended");
    await tab("Ben Okafor").click();
    await agent.locator(`${shown} .notice`, { hasText: "The customer hung up." }).waitFor();
    await agent.locator(shown).getByRole("button", { name: "Close" }).click();
    await expect.poll(() => strip.isVisible()).toBe(false);
    await agent.locator(`${shown} .chat-head h2`, { hasText: "Ana Lima" }).waitFor();
    expect(await agent.locator("#agent-status").getAttribute("data-status")).toBe("SERVING_CUSTOMER");

    ana.once("dialog", (d) => d.accept());
    await ana.getByRole("button", { name: "Hang up" }).click();
    await agent.locator('#agent-status[data-status="REMOTE_CUSTOMER_HANGUP"]').waitFor();
    await agent.getByRole("button", { name: "Go online" }).click();
    await agent.locator('#agent-status[data-status="WAITING_NEW_CALL"]').waitFor();
  });
});
