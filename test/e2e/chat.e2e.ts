import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, customerChat, onlineConsole, screenshot } from "./chromium";

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

const agentConsole = (email: string, viewport = { width: 1280, height: 860 }): Promise<Page> => onlineConsole(chromium.browser, baseUrl, email, viewport);

describe("a live text chat", () => {
  it("rings the agent, connects, and carries text and the typing preview both ways", async () => {
    const agent = await agentConsole("bob@demo.test");
    expect(await agent.locator("#agent-status").getAttribute("data-status")).toBe("WAITING_NEW_CALL");
    // ONLINE offers only the way out of it.
    expect(await agent.locator("#agent-status button").allInnerTexts()).toEqual(["Go offline"]);

    const customer = await customerChat(chromium.browser, `${baseUrl}/c/demo/GENERAL`, { "Your name": "Dana Reyes", "How can we help?": "Where is my parcel?" });
    await expect.poll(() => customer.locator("h1").innerText()).toBe("Waiting for an Agent…");
    // Nothing has been said yet: the waiting screen shows no empty transcript box.
    expect(await customer.locator(".transcript").isVisible()).toBe(false);
    await screenshot(customer, "customer-waiting");

    const ring = agent.locator(".ring-card", { hasText: "Dana Reyes" });
    await ring.waitFor();
    expect(await ring.innerText()).toContain("Where is my parcel?");
    await screenshot(agent, "agent-ringing");
    await ring.getByRole("button", { name: "Answer" }).click();

    // The customer sees the agent's name, initials avatar and greeting.
    await expect.poll(() => customer.locator(".chat-head h1").innerText()).toBe("Bob Chen");
    expect(await customer.locator(".avatar-initials").innerText()).toBe("BC");
    await customer.locator(".greeting", { hasText: "How can I help you today?" }).waitFor();

    // A transcript with no lines yet is shown in the chat panel, and says so (checked on an empty
    // one put in the panel: this chat's may already hold an offline notice).
    await agent.locator(".chat-panel .transcript").waitFor();
    const empty = await agent.evaluate(() => {
      const el = Object.assign(document.createElement("div"), { className: "transcript" });
      document.querySelector(".chat-panel")!.appendChild(el);
      const seen = { display: getComputedStyle(el).display, hint: getComputedStyle(el, "::before").content };
      el.remove();
      return seen;
    });
    expect(empty.display).not.toBe("none");
    expect(empty.hint).toContain("No messages yet");
    const agentBox = agent.locator(".chat-panel textarea");
    const customerBox = customer.locator("textarea");
    await customerBox.waitFor({ state: "visible" });
    await expect.poll(() => customerBox.isEnabled()).toBe(true);

    // What the customer types shows on the agent's screen before it is sent.
    await customerBox.pressSequentially("It was due", { delay: 20 });
    await expect.poll(() => agent.locator(".chat-panel .typing").innerText()).toContain("Dana Reyes is typing: It was due");
    await customerBox.pressSequentially(" on Monday", { delay: 20 });
    await customerBox.press("Enter");
    await agent.locator('.chat-panel .line[data-sender="customer"]', { hasText: "It was due on Monday" }).waitFor();
    expect(await customerBox.inputValue()).toBe("");

    await agentBox.pressSequentially("Let me check", { delay: 20 });
    await expect.poll(() => customer.locator(".typing").innerText()).toContain("Bob Chen is typing: Let me check");
    await agentBox.fill("Let me check that for you <b>now</b>.");
    await agentBox.press("Enter");
    const reply = customer.locator('.line[data-sender="agent"]', { hasText: "Let me check that for you" });
    await reply.waitFor();
    expect(await reply.locator("p").innerText()).toBe("Let me check that for you <b>now</b>.");
    // Each side sees its own lines on the right without its name, the other's on the left, named.
    const own = agent.locator('.chat-panel .line[data-sender="agent"]', { hasText: "Let me check that for you" });
    expect(await own.evaluate((e) => getComputedStyle(e).justifyContent)).toBe("flex-end");
    expect(await own.locator(".who").isVisible()).toBe(false);
    expect(await reply.evaluate((e) => getComputedStyle(e).justifyContent)).not.toBe("flex-end");
    expect(await reply.locator(".who").innerText()).toBe("Bob Chen");
    await screenshot(customer, "customer-chatting");
    await screenshot(agent, "agent-chatting");

    // A refresh reconnects to the same chat, and the agent is told.
    await customer.reload();
    await customer.locator('.line[data-sender="agent"]', { hasText: "Let me check that for you" }).waitFor();
    await agent.locator(".chat-panel .notice", { hasText: "is back online" }).waitFor();

    // The customer hangs up: both see the end, and the agent is in CUSTOMER HUNG UP.
    customer.once("dialog", (d) => d.accept());
    await customer.getByRole("button", { name: "Hang up" }).click();
    await customer.getByRole("link", { name: "Start a new chat" }).waitFor();
    await agent.locator(".chat-panel .notice", { hasText: "The customer hung up." }).waitFor();
    await expect.poll(() => agent.locator("#agent-status").getAttribute("data-status")).toBe("REMOTE_CUSTOMER_HANGUP");
    expect(await agent.locator("#agent-status button").allInnerTexts()).toEqual(["Go online", "Go offline"]);
    await agent.getByRole("button", { name: "Go online" }).click();
    await expect.poll(() => agent.locator("#agent-status").getAttribute("data-status")).toBe("WAITING_NEW_CALL");
    expect(await agent.locator("#agent-status button").allInnerTexts()).toEqual(["Go offline"]);
    await screenshot(agent, "agent-back-online");
  });
});
