import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, customerChat, onlineConsole, screenshot } from "./chromium";

// A customer whose browser refuses the camera and microphone. Without Chromium's fake media UI,
// headless Chromium shows its permission prompt and answers it as a person pressing Block would.

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile([], { mediaPrompt: "block" });

describe("a video chat whose camera is refused", () => {
  it("explains the prompt first, says clearly that the camera was refused, and carries on by text", async () => {
    const agent = await onlineConsole(chromium.browser, baseUrl, "alice@demo.test");

    const customer = await customerChat(chromium.browser, `${baseUrl}/c/demo/~alice-martin`, { "Your name": "Kofi Mensah" }, { button: "Video", viewport: { width: 480, height: 900 } });
    await agent.locator(".ring-card", { hasText: "Kofi Mensah" }).getByRole("button", { name: "Answer" }).click();

    // The video call starts by itself: first the explanation of the prompt. (The agent's side
    // starts once the customer sends video, so the agent is not asked while the customer decides.)
    const explain = customer.getByRole("dialog", { name: "Before your browser asks" });
    await explain.waitFor();
    expect(await explain.innerText()).toContain("Your browser will now ask to use your camera and microphone.");
    await screenshot(customer, "call-permission-explained");

    // The browser refuses: a clear message, and the chat goes on by text.
    await explain.getByRole("button", { name: "Continue" }).click();
    const refusal = customer.locator(".call-message.error");
    await expect.poll(() => refusal.innerText()).toContain("Your browser did not allow the camera and microphone. You can keep chatting by text");
    expect(await explain.isVisible()).toBe(false);
    expect(await customer.locator(".call-stage").isVisible()).toBe(false);
    await customer.getByLabel("Message").fill("My camera is blocked, can we write instead?");
    await customer.getByLabel("Message").press("Enter");
    await agent.locator('.chat-panel .line[data-sender="customer"]', { hasText: "My camera is blocked, can we write instead?" }).waitFor();
    expect(await agent.locator(".chat-panel").getByRole("dialog", { name: "Before your browser asks" }).isVisible()).toBe(false);
    await screenshot(customer, "call-permission-refused");

    // A refresh does not start the call a second time; the text chat is still there.
    await customer.reload();
    await customer.locator('.line[data-sender="customer"]', { hasText: "My camera is blocked" }).waitFor();
    await customer.locator(".call .call-buttons").waitFor();
    expect(await explain.isVisible()).toBe(false);
    expect(await customer.locator(".call-message").innerText()).toBe("");

    // Pressing Video again, the browser's answer is already known: no explanation, the same message.
    await customer.locator(".call-buttons").getByRole("button", { name: "Video" }).click();
    await expect.poll(() => refusal.innerText()).toContain("Your browser did not allow the camera and microphone.");
    expect(await explain.isVisible()).toBe(false);

    customer.once("dialog", (d) => d.accept());
    await customer.getByRole("button", { name: "Hang up" }).click();
    await customer.getByRole("link", { name: "Start a new chat" }).waitFor();
    await agent.locator('#agent-status[data-status="REMOTE_CUSTOMER_HANGUP"]').waitFor();
    await agent.getByRole("button", { name: "Go online" }).click();
    await agent.locator('#agent-status[data-status="WAITING_NEW_CALL"]').waitFor();
  });
});
