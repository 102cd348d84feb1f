import { readFile } from "node:fs/promises";
import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, customerChat, onlineConsole, screenshot } from "./chromium";

// Recording a chat in the agent's browser: the agent asks, the customer allows, the agent records
// what Chromium's fake screen shows for 3 seconds, stops, and downloads the part. The demo's
// GENERAL room shows Video Recording; the part is kept in the agent's browser (IndexedDB) and
// uploaded to R2 (wrangler dev's local bucket), from where Chat View and Chat Records play it.

const baseUrl = inject("baseUrl");
// --use-fake-ui-for-media-stream (in every e2e Chromium) also answers getDisplayMedia's picker
// with a fake screen in Debian's Chromium 156: no --auto-select-desktop-capture-source needed.
const chromium = chromiumPerFile();

const agentConsole = (email: string) => onlineConsole(chromium.browser, baseUrl, email);

describe("recording a chat", () => {
  it("asks the customer's consent, records 3 seconds of the agent's screen, and offers the WebM at once", async () => {
    const agent = await agentConsole("bob@demo.test");
    const customer = await customerChat(chromium.browser, `${baseUrl}/c/demo/GENERAL`, { "Your name": "Rita Consent", "How can we help?": "Please show me how to set it up." }, { viewport: { width: 480, height: 900 } });
    const ring = agent.locator(".ring-card", { hasText: "Rita Consent" });
    await ring.getByRole("button", { name: "Answer" }).click();
    await expect.poll(() => customer.locator(".chat-head h1").innerText()).toBe("Bob Chen");

    const panel = agent.locator(".chat-panel", { hasText: "Rita Consent" });
    await panel.getByRole("button", { name: "● Record" }).click();
    await panel.getByText("Waiting for Rita Consent to allow recording…").waitFor();
    const prompt = customer.locator(".recording-consent");
    await prompt.getByText("Bob Chen asks to record this chat.").waitFor();
    await screenshot(customer, "recording-consent-prompt");
    await prompt.getByRole("button", { name: "Allow recording" }).click();
    await customer.getByText("You allowed recording.").waitFor();
    await panel.locator(".notice", { hasText: "Rita Consent allowed this chat to be recorded." }).waitFor();

    const slot = panel.locator(".recording-slot");
    await slot.getByRole("button", { name: "● Start recording" }).click();
    await expect.poll(() => slot.getAttribute("data-state")).toBe("recording");
    await customer.getByText("● This chat is being recorded.").waitFor();
    expect(await slot.getByRole("button", { name: "Pause" }).isVisible()).toBe(true);
    expect(await slot.getByRole("button", { name: "● Start recording" }).isVisible()).toBe(false);
    await agent.waitForTimeout(3_000);
    await screenshot(agent, "recording-controls");
    await slot.getByRole("button", { name: "■ Stop" }).click();

    const part = slot.locator(".recording-part", { hasText: "Part 1" });
    await part.getByText("In the chat's record").waitFor();
    await customer.getByText("You allowed recording.").waitFor();
    const [download] = await Promise.all([agent.waitForEvent("download"), part.getByRole("link", { name: "Download" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^chat-[0-9a-f]{8}-part-1\.webm$/);
    const file = await readFile((await download.path())!);
    expect(file.length).toBeGreaterThan(1000);
    // Every WebM (Matroska) file starts with the EBML header.
    expect([...file.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    await screenshot(agent, "recording-part-ready");

    // The chat ends; Chat View lists it with its transcript and the uploaded part.
    await customer.locator("textarea").fill("Thanks, that was clear.");
    await customer.locator("textarea").press("Enter");
    await panel.locator('.line[data-sender="customer"]', { hasText: "Thanks, that was clear." }).waitFor();
    agent.once("dialog", (d) => d.accept());
    await panel.getByRole("button", { name: "Hang up" }).click();
    await panel.locator(".notice", { hasText: "You ended the chat." }).waitFor();
    // The next test files find Bob ONLINE, as a finished agent leaves himself.
    await expect.poll(() => agent.locator("#agent-status").getAttribute("data-status")).toBe("HANG_UP");
    await agent.getByRole("button", { name: "Go online" }).click();
    await expect.poll(() => agent.locator("#agent-status").getAttribute("data-status")).toBe("WAITING_NEW_CALL");

    await agent.getByRole("link", { name: "Chat View" }).click();
    await agent.waitForURL(`${baseUrl}/chat-view`);
    const record = agent.locator(".record", { hasText: "Rita Consent" }).first();
    await record.locator(".line", { hasText: "Thanks, that was clear." }).waitFor();
    await record.locator(".record-part", { hasText: "Part 1" }).waitFor();
    // Uploaded, so not listed again as only in this browser.
    expect(await record.locator(".record-local").isHidden()).toBe(true);
    await screenshot(agent, "chat-view");

    await agent.goto(`${baseUrl}/chat-records`);
    await agent.locator(".record-row", { hasText: "Rita Consent" }).first().locator("summary").click();
    await agent.locator(".record-row[open] .record-part", { hasText: "Part 1" }).first().waitFor();
    await screenshot(agent, "chat-records");
    // A room's name stays inside its column, however long (room names go up to 48 characters).
    const overlaps = await agent.locator(".record-row summary .chip").evaluateAll((chips) =>
      chips.filter((chip) => {
        chip.textContent = "PREAUTHORISED_CARD_AUTO_CHARGE_END_WITH_48_CHARS";
        return chip.getBoundingClientRect().right > chip.nextElementSibling!.getBoundingClientRect().left;
      }).length,
    );
    expect(overlaps).toBe(0);
  });
});
