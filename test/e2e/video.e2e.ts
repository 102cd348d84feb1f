import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, customerChat, onlineConsole, screenshot } from "./chromium";

// A video chat between a customer and an agent, peer to peer (no Calls app locally), with
// Chromium's fake camera, microphone and screen.

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

/** The page's Stimulus application (static/controllers/application.js) and the call controller's link, as far as these tests read them. */
type Stimulus = { getControllerForElementAndIdentifier(element: Element, identifier: string): { link?: { pc: RTCPeerConnection } } | null };

/**
 * The call's peer connection on a page, read where the call controller keeps it: its current
 * link, found through the Stimulus application. (The controller's data-call-connection attribute
 * is not enough: a link closed for a new one keeps the last state it reported.)
 */
const call = (page: Page) => ({
  state: () =>
    page.evaluate(() => {
      const element = document.querySelector('[data-controller~="call"]');
      const controller = element && (window as unknown as { Stimulus: Stimulus }).Stimulus.getControllerForElementAndIdentifier(element, "call");
      return controller?.link?.pc.connectionState ?? "none";
    }),
  videoBytes: () =>
    page.evaluate(async () => {
      const element = document.querySelector('[data-controller~="call"]');
      const pc = element ? (window as unknown as { Stimulus: Stimulus }).Stimulus.getControllerForElementAndIdentifier(element, "call")?.link?.pc : undefined;
      if (!pc) return 0;
      let bytes = 0;
      (await pc.getStats()).forEach((s) => {
        if (s.type === "inbound-rtp" && s.kind === "video") bytes += s.bytesReceived ?? 0;
      });
      return bytes;
    }),
});

async function growing(read: () => Promise<number>) {
  const first = await read();
  await expect.poll(read, { timeout: 10_000 }).toBeGreaterThan(first);
}

describe("a video chat", () => {
  it("starts by itself when the agent answers, connects both videos, and shares the customer's screen", async () => {
    const agent = await onlineConsole(chromium.browser, baseUrl, "alice@demo.test");

    const customer = await customerChat(chromium.browser, `${baseUrl}/c/demo/GENERAL?mode=video`, { "Your name": "Eva Novak" }, { button: "Video", viewport: { width: 480, height: 900 } });
    const ring = agent.locator(".ring-card", { hasText: "Eva Novak" });
    await ring.getByRole("button", { name: "Answer" }).click();

    // The customer chose Video: both sides start it without a press. Chromium's fake media UI
    // grants the camera up front, so no prompt (and no explanation) comes.
    await customer.locator(".call .call-buttons").waitFor();
    await agent.locator(".chat-panel .call-peer-state", { hasText: "camera on" }).waitFor();
    await customer.locator(".call-peer-state", { hasText: "camera on" }).waitFor();
    for (const page of [customer, agent]) expect(await page.locator(".call-buttons").getByRole("button", { name: "Video" }).isVisible()).toBe(false);

    for (const page of [customer, agent]) {
      await expect.poll(() => call(page).state(), { timeout: 15_000 }).toBe("connected");
      await growing(() => call(page).videoBytes());
      await page.locator(".call-remote:not([hidden])").waitFor();
    }
    await customer.locator(".call-peer-state", { hasText: "Alice Martin: camera on · microphone on" }).waitFor();
    await screenshot(customer, "call-customer-video");
    await screenshot(agent, "call-agent-video");

    // Mute: the other side is told.
    await customer.getByRole("button", { name: "Mute" }).click();
    await agent.locator(".call-peer-state", { hasText: "microphone muted" }).waitFor();

    await customer.getByRole("button", { name: "Share screen" }).click();
    await agent.locator(".call-peer-state", { hasText: "sharing their screen" }).waitFor();
    await agent.locator(".call-screen:not([hidden])").waitFor();
    await growing(() => call(agent).videoBytes());
    await screenshot(agent, "call-agent-screen-share");
    await screenshot(customer, "call-customer-sharing");

    // Hanging up ends the call and the chat for both.
    customer.once("dialog", (d) => d.accept());
    await customer.getByRole("button", { name: "Hang up" }).click();
    await customer.getByRole("link", { name: "Start a new chat" }).waitFor();
    await agent.locator('#agent-status[data-status="REMOTE_CUSTOMER_HANGUP"]').waitFor();
  });
});
