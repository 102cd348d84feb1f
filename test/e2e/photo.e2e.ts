import { crc32, deflateSync } from "node:zlib";
import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, customerChat, screenshot, signIn } from "./chromium";

// An agent uploads a photo in her private profile and her customer sees it at the top of the
// chat; a photo over 2 MB is refused in the page before it is sent. Alice goes back to her
// initials at the end, as the other files expect.

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

/** A PNG of `size`² pixels: a diagonal gradient, so a person sees at a glance that it is the photo. */
function gradientPng(size: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3);
    for (let x = 0; x < size; x++) rows.set([40 + ((x * 180) / size) | 0, 90, 200 - ((y * 150) / size) | 0], row + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

describe("an agent's photo", () => {
  it("is uploaded in the private profile, served from R2, and shown to the customer", async () => {
    const agent = await (await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signIn(agent, baseUrl, "alice@demo.test");
    await agent.waitForURL(`${baseUrl}/agent`);
    await agent.goto(`${baseUrl}/agent/profile`);
    await agent.getByText("Uploaded photos are public").waitFor();
    await screenshot(agent, "profile-photo-desktop");

    // Over 2 MB: refused next to the field at once, nothing sent.
    const file = agent.getByLabel("Photo to upload");
    await file.setInputFiles({ name: "big.png", mimeType: "image/png", buffer: Buffer.concat([gradientPng(8), Buffer.alloc(3 * 1024 * 1024)]) });
    await agent.getByText("This photo is over 2 MB: use a smaller one.").waitFor();
    expect(await agent.getByRole("radio", { name: /Upload a photo/ }).isChecked()).toBe(true);
    await screenshot(agent, "profile-photo-too-large");

    await file.setInputFiles({ name: "alice.png", mimeType: "image/png", buffer: gradientPng(160) });
    expect(await agent.getByText("This photo is over 2 MB").isVisible()).toBe(false);
    await agent.getByRole("button", { name: "Save profile" }).click();
    await agent.getByText("Saved. Your next chats use these settings.").waitFor();
    const preview = agent.locator(".profile-preview img.avatar");
    expect(await preview.getAttribute("src")).toMatch(/^\/photos\/[A-Za-z0-9_-]{32}\.png$/);
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);
    expect(await agent.getByText("Leave it empty to keep the photo you uploaded before.").isVisible()).toBe(true);
    await screenshot(agent, "profile-photo-uploaded-desktop");
    await agent.setViewportSize({ width: 390, height: 844 });
    await screenshot(agent, "profile-photo-uploaded-phone");
    // The photo's part of the page as a phone shows it, without the full page's length.
    await agent.getByLabel("Photo to upload").evaluate((input) => input.scrollIntoView({ block: "center" }));
    await agent.screenshot({ path: "screenshots/profile-photo-fields-phone.png" });
    await agent.setViewportSize({ width: 1280, height: 800 });

    // Her customer sees it once she answers.
    await agent.goto(`${baseUrl}/agent`);
    const status = agent.locator("#agent-status[data-status]");
    await status.waitFor();
    if ((await status.getAttribute("data-status")) !== "WAITING_NEW_CALL") await agent.getByRole("button", { name: "Go online" }).click();
    await agent.locator('#agent-status[data-status="WAITING_NEW_CALL"]').waitFor();
    const customer = await customerChat(chromium.browser, `${baseUrl}/c/demo/~alice-martin`, { "Your name": "Paula Photo", "How can we help?": "Is that you in the picture?" }, { viewport: { width: 390, height: 844 } });
    await agent.locator(".ring-card", { hasText: "Paula Photo" }).getByRole("button", { name: "Answer" }).click();
    await expect.poll(() => customer.locator(".chat-head h1").innerText()).toBe("Alice Martin");
    const face = customer.locator(".chat-head img.avatar");
    await expect.poll(() => face.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);
    await screenshot(customer, "customer-sees-photo-phone");
    const panel = agent.locator(".chat-panel", { hasText: "Paula Photo" });
    await panel.getByRole("button", { name: "Hang up" }).waitFor();
    await screenshot(agent, "console-with-photo-chat");

    agent.once("dialog", (d) => d.accept());
    await panel.getByRole("button", { name: "Hang up" }).click();
    await panel.locator(".notice", { hasText: "You ended the chat." }).waitFor();
    await expect.poll(() => agent.locator("#agent-status").getAttribute("data-status")).toBe("HANG_UP");
    await agent.getByRole("button", { name: "Go online" }).click();
    await expect.poll(() => agent.locator("#agent-status").getAttribute("data-status")).toBe("WAITING_NEW_CALL");

    // Back to her initials, as the other files find her.
    await agent.goto(`${baseUrl}/agent/profile`);
    await agent.getByRole("radio", { name: /My initials/ }).check();
    await agent.getByRole("button", { name: "Save profile" }).click();
    await agent.getByText("Saved. Your next chats use these settings.").waitFor();
    expect(await agent.locator(".profile-preview .avatar-initials").innerText()).toBe("AM");
  });
});
