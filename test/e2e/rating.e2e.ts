import { describe, expect, inject, it } from "vitest";
import { chromiumPerFile, customerChat, onlineConsole, screenshot, signIn } from "./chromium";

const baseUrl = inject("baseUrl");
const chromium = chromiumPerFile();

// Issue 19: after the chat the customer rates it, on their phone; the statistics details, the
// agent's Chat Records and the administrator's per-agent averages show it.

describe("the customer's rating of a chat", () => {
  it("is given on the phone's end screen and shows in Chat Records and the statistics details", async () => {
    const agent = await onlineConsole(chromium.browser, baseUrl, "alice@demo.test");
    const customer = await customerChat(chromium.browser, `${baseUrl}/c/demo/GENERAL`, { "Your name": "Rosa Rating", "How can we help?": "Is my parcel on its way?" }, { viewport: { width: 390, height: 844 } });
    const chatId = new URL(customer.url()).pathname.split("/").pop()!;

    await agent.locator(".ring-card", { hasText: "Rosa Rating" }).getByRole("button", { name: "Answer" }).click();
    await expect.poll(() => customer.locator(".chat-head h1").innerText()).toBe("Alice Martin");
    const box = customer.locator("textarea");
    await expect.poll(() => box.isEnabled()).toBe(true);
    await box.fill("Found it, thank you!");
    await box.press("Enter");
    const panel = agent.locator(".chat-panel");
    await panel.locator('.line[data-sender="customer"]', { hasText: "Found it, thank you!" }).waitFor();
    agent.once("dialog", (d) => d.accept());
    await panel.getByRole("button", { name: "Hang up" }).click();
    await panel.locator(".notice", { hasText: "You ended the chat." }).waitFor();
    // The next test files find Alice ONLINE.
    await agent.getByRole("button", { name: "Go online" }).click();
    await expect.poll(() => agent.locator("#agent-status").getAttribute("data-status")).toBe("WAITING_NEW_CALL");

    // The end screen asks for a rating: five stars, each a radio button named for a person.
    const form = customer.locator(`#rating-${chatId}`);
    await form.getByRole("heading", { name: "How was your chat with Alice Martin?" }).waitFor();
    const radios = form.getByRole("radio");
    expect(await radios.count()).toBe(5);
    expect(await form.getByRole("radio", { name: "4 stars, good" }).isChecked()).toBe(false);
    // Nothing runs off a phone's screen.
    expect(await customer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Below it, the transcript can be emailed (issue 19), the address to type.
    const transcript = customer.locator(`#transcript-mail-${chatId}`);
    await transcript.getByRole("textbox").waitFor();
    await form.scrollIntoViewIfNeeded();
    await screenshot(customer, "customer-rating-form-phone");

    // The fourth star, pressed as a person does; the stars up to it light up.
    await form.locator(`label[for="rating-${chatId}-4"]`).click();
    expect(await form.getByRole("radio", { name: "4 stars, good" }).isChecked()).toBe(true);
    const colours = () => form.locator(".star-choices label").evaluateAll((labels) => labels.map((l) => getComputedStyle(l).color));
    const grey = (await colours())[4];
    await expect.poll(async () => (await colours()).map((c) => c === grey)).toEqual([false, false, false, false, true]);
    await form.getByLabel("Anything you would like to add?").fill("Alice found my parcel in two minutes.");
    await customer.mouse.move(0, 0);
    await screenshot(customer, "customer-rating-chosen-phone");

    // Sent with htmx: the panel is swapped in place, the page stays the chat's.
    await form.getByRole("button", { name: "Send rating" }).click();
    await customer.getByRole("heading", { name: "Thank you for your rating" }).waitFor();
    expect(customer.url()).toBe(`${baseUrl}/chats/${chatId}`);
    expect(await customer.getByRole("img", { name: "4 out of 5 stars" }).count()).toBe(1);
    await customer.locator(".rating-comment", { hasText: "Alice found my parcel in two minutes." }).waitFor();
    await screenshot(customer, "customer-rating-thanks-phone");

    // The transcript by email: typed in, sent, said so in place.
    await transcript.getByLabel("Your email address").fill("rosa@example.test");
    await transcript.getByRole("button", { name: "Email me the transcript" }).click();
    await customer.locator(`#transcript-mail-${chatId} .notice`, { hasText: "Sent to rosa@example.test." }).waitFor();
    await customer.locator(`#transcript-mail-${chatId}`).scrollIntoViewIfNeeded();
    await screenshot(customer, "customer-transcript-sent-phone");

    // A refreshed page shows the rating as given, not the form again.
    await customer.reload();
    await customer.getByRole("heading", { name: "Thank you for your rating" }).waitFor();
    expect(await customer.locator(`#rating-${chatId} form`).count()).toBe(0);

    // The statistics details: Alice's average after the spec's fields.
    const details = (await (await fetch(`${baseUrl}/api/stats/demo/GENERAL/details`)).json()) as { agStatDetails: { agentID: string; averageRating: number | null; ratings: number }[] };
    const stat = details.agStatDetails.find((a) => a.agentID === "alice@demo.test")!;
    expect(stat.ratings).toBeGreaterThanOrEqual(1);
    expect(stat.averageRating).toBeGreaterThanOrEqual(1);
    expect(Object.keys(stat).slice(-2)).toEqual(["averageRating", "ratings"]);

    // The agent's Chat Records (another tab: the console stays open): the stars in the chat's
    // row, the comment in its record, her average.
    const records = await agent.context().newPage();
    await records.goto(`${baseUrl}/chat-records`);
    const row = records.locator(`#record-${chatId}`);
    expect(await row.locator(".record-rating-cell").getByRole("img").getAttribute("aria-label")).toBe("4 out of 5 stars");
    await row.locator("summary").click();
    await row.locator(".rating-comment", { hasText: "Alice found my parcel in two minutes." }).waitFor();
    const own = records.locator(".agent-ratings");
    expect(await own.getByRole("heading").innerText()).toBe("Your customers' rating");
    expect(await own.locator(".rating-average strong").innerText()).toMatch(/^\d\.\d$/);
    await screenshot(records, "chat-records-rating-agent");

    // The administrator: each agent's average and count.
    const admin = await (await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(admin, baseUrl, "admin@demo.test");
    await admin.waitForURL(`${baseUrl}/admin`);
    await admin.goto(`${baseUrl}/chat-records`);
    const alice = admin.locator(".agent-ratings tr", { hasText: "Alice Martin" });
    await alice.waitFor();
    expect(Number(await alice.locator("td").last().innerText())).toBeGreaterThanOrEqual(1);
    await screenshot(admin, "chat-records-ratings-admin");
  });
});
