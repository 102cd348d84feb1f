import type { Locator, Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, customerChat, onlineConsole, screenshot, signIn } from "./chromium";

// Remote control between two Chromium pages: the customer shares a screen (Chromium's fake one),
// lets the agent point and draw, and sees the agent's pointer and line over a preview of their
// own screen at the same place as the agent drew them.

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

type Box = { x: number; y: number; width: number; height: number };
const box = async (locator: Locator): Promise<Box> => (await locator.boundingBox())!;

/** Where the picture is inside a video element with object-fit: contain (its letterboxing left out). */
const pictureOf = (page: Page, selector: string) =>
  page.locator(selector).evaluate((video: HTMLVideoElement) => {
    const rect = video.getBoundingClientRect();
    const scale = Math.min(rect.width / video.videoWidth, rect.height / video.videoHeight);
    const width = video.videoWidth * scale;
    const height = video.videoHeight * scale;
    return { x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width, height };
  });

/** The admin turns one of GENERAL's phone buttons on or off (room settings, "Phone buttons"). */
async function generalButton(label: string, on: boolean) {
  const admin = await chromium.browser.newPage();
  await signIn(admin, baseUrl, "admin@demo.test");
  await admin.getByRole("link", { name: "Settings of GENERAL" }).click();
  await admin.locator("#phone-buttons").getByLabel(label).setChecked(on);
  await admin.getByRole("button", { name: "Save settings" }).click();
  await admin.getByText("Saved.").waitFor();
  await admin.close();
}

/** Full screen on `page` (the room's Full screen button) while `check` runs, then left with Exit full screen. */
async function inFullScreen(page: Page, check: () => Promise<void>) {
  await page.getByRole("button", { name: "Full screen", exact: true }).click();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement?.matches(".call") ?? false)).toBe(true);
  await check();
  await page.getByRole("button", { name: "Exit full screen" }).click();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);
  await page.getByRole("button", { name: "Full screen", exact: true }).waitFor();
}

const close = (a: Box, b: Box) => {
  for (const key of ["x", "y", "width", "height"] as const) expect(Math.abs(a[key] - b[key]), key).toBeLessThan(1.5);
};

describe("remote control", () => {
  it("lets the customer grant the agent a pointer and drawing over the shared screen, seen on both sides and in full screen", async () => {
    await generalButton("Full screen video", true);
    try {
      await grantAndDraw();
    } finally {
      await generalButton("Full screen video", false);
    }
  });
});

/** The customer shares a screen and grants the agent the pointer and drawing; both draw and see. */
async function grantAndDraw() {
  const agent = await onlineConsole(chromium.browser, baseUrl, "alice@demo.test");
  const customer = await customerChat(chromium.browser, `${baseUrl}/c/demo/GENERAL?mode=chat`, { "Your name": "Carla Rossi" }, { viewport: { width: 520, height: 1000 } });
  await agent.locator(".ring-card", { hasText: "Carla Rossi" }).getByRole("button", { name: "Answer" }).click();

  await customer.getByRole("button", { name: "Share screen" }).click();
  await agent.locator(".chat-panel .call-screen:not([hidden])").waitFor();
  await agent.getByText("Carla Rossi can let you point and draw on their shared screen.").waitFor();
  await customer.getByRole("button", { name: "Let Alice Martin point & draw" }).click();

  // The agent's layer lies exactly over the picture of the customer's screen.
  const agentLayer = agent.locator(".remote-board-agent .remote-layer:not([hidden])");
  await agentLayer.waitFor();
  await agent.getByText("lets you point and draw on their screen").waitFor();
  await expect.poll(() => agent.locator(".chat-panel .call-screen").evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  close(await box(agentLayer), await pictureOf(agent, ".chat-panel .call-screen"));

  // A line from 20 % / 30 % to 60 % / 70 % of the screen, then the pointer rests at 75 % / 25 %.
  await agent.getByRole("button", { name: "Blue" }).click();
  const a = await box(agentLayer);
  const at = (fx: number, fy: number) => [a.x + fx * a.width, a.y + fy * a.height] as const;
  await agent.mouse.move(...at(0.2, 0.3));
  await agent.mouse.down();
  for (let i = 1; i <= 10; i++) await agent.mouse.move(...at(0.2 + 0.04 * i, 0.3 + 0.04 * i));
  await agent.mouse.up();
  await agent.mouse.move(...at(0.75, 0.25), { steps: 5 });

  // The customer sees the same line and the pointer at the same places over their own screen.
  const customerLayer = customer.locator(".remote-board-customer .remote-layer:not([hidden])");
  await customerLayer.waitFor();
  await customer.locator(".remote-preview").evaluate((v: HTMLVideoElement) => new Promise((r) => (v.videoWidth ? r(null) : v.addEventListener("resize", r, { once: true }))));
  close(await box(customerLayer), await pictureOf(customer, ".remote-preview"));
  const line = customer.locator(".remote-board-customer polyline.ink-blue");
  await expect.poll(async () => (await line.getAttribute("points"))?.split(" ").length ?? 0).toBeGreaterThanOrEqual(11);
  const points = (await line.getAttribute("points"))!.split(" ").map((p) => p.split(",").map(Number));
  expect(points[0]![0]).toBeCloseTo(0.2, 2);
  expect(points[0]![1]).toBeCloseTo(0.3, 2);
  expect(points.at(-1)![0]).toBeCloseTo(0.6, 2);
  expect(points.at(-1)![1]).toBeCloseTo(0.7, 2);
  const c = await box(customerLayer);
  const pointer = customer.locator(".remote-pointer:not([hidden])");
  await expect
    .poll(async () => {
      const p = await box(pointer);
      return [Math.round(((p.x - c.x) / c.width) * 100), Math.round(((p.y - c.y) / c.height) * 100)];
    })
    .toEqual([75, 25]);
  await expect(pointer.textContent()).resolves.toContain("Alice Martin");

  // Full screen takes the drawing along: the agent's layer lies over the larger picture, the line stays.
  await inFullScreen(agent, async () => {
    await expect.poll(async () => (await box(agentLayer)).width).toBeGreaterThan(a.width * 1.2);
    await expect.poll(async () => Math.abs((await box(agentLayer)).width - (await pictureOf(agent, ".chat-panel .call-screen")).width)).toBeLessThan(1.5);
    close(await box(agentLayer), await pictureOf(agent, ".chat-panel .call-screen"));
    expect(await agent.locator(".remote-board-agent polyline.ink-blue").count()).toBe(1);
    await screenshot(agent, "remote-control-agent-full-screen");
  });
  // The customer's own screen with the marks takes the stage's place (the agent shows no camera),
  // and Take back control stays at hand.
  await inFullScreen(customer, async () => {
    await expect.poll(async () => (await box(customer.locator(".remote-board-customer"))).width).toBeGreaterThan(520 * 0.9);
    await expect.poll(async () => Math.abs((await box(customerLayer)).width - (await pictureOf(customer, ".remote-preview")).width)).toBeLessThan(1.5);
    close(await box(customerLayer), await pictureOf(customer, ".remote-preview"));
    expect(await line.count()).toBe(1);
    expect(await customer.getByRole("button", { name: "Take back control" }).isVisible()).toBe(true);
    await screenshot(customer, "remote-control-customer-full-screen");
  });

  // The agent turns their camera on while the customer shares: the customer sees it, and in full
  // screen their own screen with the marks moves to a corner of the agent's picture.
  await agent.locator(".chat-panel .call-buttons").getByRole("button", { name: "Video" }).click();
  await customer.locator(".call-stage:not(.voice-only)").waitFor();
  await expect.poll(() => customer.locator(".call-remote").evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  await inFullScreen(customer, async () => {
    const panel = await box(customer.locator(".call"));
    await expect.poll(async () => (await box(customer.locator(".remote-board-customer"))).width).toBeLessThan(panel.width * 0.35);
    const corner = await box(customer.locator(".remote-board-customer"));
    expect(corner.x + corner.width).toBeGreaterThan(panel.x + panel.width * 0.9);
    expect(corner.y).toBeLessThan(panel.y + panel.height * 0.1);
    expect((await box(customer.locator(".call-remote"))).width).toBeGreaterThan(panel.width * 0.8);
    // Their screen is on the board already, so not shown again as their own picture.
    expect(await customer.locator(".call-local").isVisible()).toBe(false);
    close(await box(customerLayer), await pictureOf(customer, ".remote-preview"));
    expect(await line.count()).toBe(1);
    await screenshot(customer, "remote-control-customer-full-screen-camera");
  });

  await agent.locator(".chat-panel").screenshot({ path: "screenshots/remote-control-agent.png" });
  await agent.evaluate(() => window.scrollTo(0, 0));
  await screenshot(agent, "remote-control-agent-console");
  await screenshot(customer, "remote-control-customer");

  // Taking back control removes the agent's layer and the marks on both sides.
  await customer.getByRole("button", { name: "Take back control" }).click();
  await agent.locator(".remote-board-agent[hidden]").waitFor({ state: "attached" });
  await customer.locator(".remote-board-customer[hidden]").waitFor({ state: "attached" });
  await customer.getByRole("button", { name: "Let Alice Martin point & draw" }).waitFor();

  customer.once("dialog", (d) => d.accept());
  await customer.getByRole("button", { name: "Hang up" }).click();
  await customer.getByRole("link", { name: "Start a new chat" }).waitFor();
  await agent.locator('#agent-status[data-status="REMOTE_CUSTOMER_HANGUP"]').waitFor();
}
