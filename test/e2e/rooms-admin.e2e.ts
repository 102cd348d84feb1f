import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, signIn } from "./chromium";

const baseUrl = inject("baseUrl");
// The shop and Parley are both on loopback here; Chromium's local-network guard, which never
// applies between a public website and a public Parley, would stop the script.
const chromium = chromiumPerFile(["--disable-features=LocalNetworkAccessChecks"]);

const SHOTS = "/tmp/shots/rooms-crud";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const PASSWORD = "violet staircase 42 harbour";

/** The page at desktop and phone width, for a person to look at. */
async function shots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const [size, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/${name}-${size}.png`, fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

/** A website of the business's own, on another origin, with `snippet` pasted into its page. */
async function shopServing(snippet: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><head><title>Fern &amp; Co shop</title></head><body style="font-family:sans-serif;padding:2rem"><h1>Fern &amp; Co</h1><p>Plants for every room.</p>\n${snippet}\n</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}/` };
}

describe("a new company opens a room and takes a chat through it on its own website", () => {
  it("signs up, creates, renames and retires rooms, adds an agent, and a customer chats through the embedded button", { timeout: 120_000 }, async () => {
    const slug = `fern-${Date.now().toString(36)}`;
    const admin = await (await chromium.browser.newContext({ viewport: DESKTOP })).newPage();

    // Sign up: a Company account.
    await admin.goto(`${baseUrl}/signup`);
    await admin.locator('input[name="accountType"][value="company"]').check();
    await admin.getByLabel("Business name").fill("Fern & Co");
    await admin.getByLabel("Your address").fill(slug);
    await admin.getByLabel("Your name").fill("Flora Fern");
    await admin.getByLabel(/^Email/).fill(`flora@${slug}.test`);
    await admin.getByLabel(/^Password/).fill(PASSWORD);
    await admin.getByRole("button", { name: /create/i }).click();
    await admin.waitForURL(`${baseUrl}/admin`);

    // Forever Free: GENERAL alone, and the page says so.
    expect(await admin.locator(".rooms-limit").innerText()).toContain("The Forever Free plan includes the GENERAL room only.");
    await shots(admin, "admin-free-plan");
    // No plan page in this branch: the local server puts the company on Pro (worker/routes/dev.ts).
    expect((await fetch(`${baseUrl}/dev/plan?company=${slug}&plan=pro`, { method: "POST" })).status).toBe(200);

    // Create a room: a name that breaks the rules first, then a good one.
    await admin.reload();
    await admin.getByRole("link", { name: "+ New room" }).click();
    await admin.waitForURL(`${baseUrl}/admin/rooms/new`);
    await shots(admin, "room-new");
    await admin.getByLabel("Room name").fill("2 plants!");
    await admin.getByRole("button", { name: "Create room" }).click();
    await admin.locator("#f-name-error").waitFor();
    expect(await admin.locator("#f-name-error").innerText()).toBe("Start the name with a letter, for example SALES_2.");
    await shots(admin, "room-new-refused");
    await admin.getByLabel("Room name").fill("Plant doctor");
    await admin.getByRole("button", { name: "Create room" }).click();
    await admin.waitForURL(/\/admin\/rooms\/[^/]+\?created=1$/);
    expect(await admin.locator(".room-title").first().innerText()).toContain("PLANT_DOCTOR");
    await admin.getByText("PLANT_DOCTOR is open.").waitFor();
    await shots(admin, "room-created");
    const settingsUrl = admin.url().replace(/\?.*$/, "");

    // Rename it; its settings page says where old links go.
    await admin.getByRole("link", { name: "Rename" }).click();
    await shots(admin, "room-rename");
    await admin.getByLabel("New name").fill("PLANT_CLINIC");
    await admin.getByRole("button", { name: "Rename room" }).click();
    await admin.waitForURL(`${settingsUrl}?renamed=1`);
    await admin.getByText("Renamed to PLANT_CLINIC.").waitFor();

    // A second room, retired: customers meet a page that says it closed.
    await admin.goto(`${baseUrl}/admin/rooms/new`);
    await admin.getByLabel("Room name").fill("SPRING_SALE");
    await admin.getByRole("button", { name: "Create room" }).click();
    await admin.waitForURL(/\?created=1$/);
    await admin.getByRole("link", { name: "Retire this room" }).click();
    await shots(admin, "room-retire");
    await admin.getByRole("button", { name: "Retire SPRING_SALE" }).click();
    await admin.waitForURL(`${baseUrl}/admin?retired=SPRING_SALE`);
    expect(await admin.locator(".room-list [data-room]").evaluateAll((rooms) => rooms.map((r) => r.getAttribute("data-room")))).toEqual(["GENERAL", "PLANT_CLINIC"]);
    await shots(admin, "admin-room-retired");
    const late = await (await chromium.browser.newContext({ viewport: PHONE })).newPage();
    const gone = await late.goto(`${baseUrl}/c/${slug}/SPRING_SALE`);
    expect(gone!.status()).toBe(410);
    expect(await late.locator("h1").innerText()).toBe("This chat room has closed");
    expect(await late.locator(".contact-card").innerText()).toContain("Fern & Co no longer takes chats at SPRING_SALE.");
    await shots(late, "customer-room-retired");

    // An agent for the room, added on the staff page.
    await admin.goto(`${baseUrl}/admin/agents/new`);
    await admin.getByLabel(/^Name/).fill("Ivy Green");
    await admin.getByLabel("Email (sign-in)").fill(`ivy@${slug}.test`);
    await admin.getByLabel("First password").fill(PASSWORD);
    await admin.getByLabel("PLANT_CLINIC").check();
    await admin.getByRole("button", { name: "Add agent" }).click();
    await admin.waitForURL(`${baseUrl}/admin/agents`);
    const agent = await (await chromium.browser.newContext({ viewport: DESKTOP })).newPage();
    await signIn(agent, baseUrl, `ivy@${slug}.test`, PASSWORD);
    await agent.waitForURL(`${baseUrl}/agent`);
    const status = agent.locator("#agent-status[data-status]");
    await status.waitFor();
    if ((await status.getAttribute("data-status")) !== "WAITING_NEW_CALL") await agent.getByRole("button", { name: "Go online" }).click();
    await agent.locator('#agent-status[data-status="WAITING_NEW_CALL"]').waitFor();
    // The console announces itself to its rooms just after the page loads.
    await expect.poll(async () => ((await (await fetch(`${baseUrl}/api/stats/${slug}/PLANT_CLINIC`)).json()) as { totalAgentLogon: number }).totalAgentLogon).toBe(1);

    // The snippet of the README, with the room's old name: the shop pasted it before the rename.
    const snippet = `<script src="${baseUrl}/embed/${slug}/PLANT_DOCTOR.js" async></script>`;
    const shop = await shopServing(snippet);
    try {
      const visitor = await (await chromium.browser.newContext({ viewport: DESKTOP })).newPage();
      await visitor.goto(shop.url);
      const button = visitor.getByRole("button", { name: "Chat with Fern & Co" });
      await button.waitFor();
      await shots(visitor, "shop-with-button");
      const [popup] = await Promise.all([visitor.waitForEvent("popup"), button.click()]);
      await popup.waitForLoadState();
      expect(popup.url()).toBe(`${baseUrl}/c/${slug}/PLANT_CLINIC`);
      await popup.getByLabel("Your name").fill("Rosa Customer");
      await popup.getByRole("button", { name: "Chat" }).click();
      await popup.waitForURL(/\/chats\/[0-9a-f-]{36}$/);

      const ring = agent.locator(".ring-card", { hasText: "Rosa Customer" });
      await ring.waitFor();
      expect(await ring.innerText()).toContain("PLANT_CLINIC");
      await ring.getByRole("button", { name: "Answer" }).click();
      await expect.poll(() => popup.locator(".chat-head h1").innerText()).toBe("Ivy Green");

      const box = popup.locator("textarea");
      await expect.poll(() => box.isEnabled()).toBe(true);
      await box.fill("Is my fern overwatered?");
      await box.press("Enter");
      await agent.locator('.chat-panel .line[data-sender="customer"]', { hasText: "Is my fern overwatered?" }).waitFor();
      const reply = agent.locator(".chat-panel textarea");
      await reply.fill("Send me a photo of its leaves.");
      await reply.press("Enter");
      await popup.locator('.line[data-sender="agent"]', { hasText: "Send me a photo of its leaves." }).waitFor();
    } finally {
      await new Promise((resolve) => shop.server.close(resolve));
    }
  });
});
