import { describe, expect, it } from "vitest";
import { Customer, liveCompany, setRoom } from "./live";

// The contact form is painted in its room's colour; the pages that follow it must not fall back
// to Parley's own blue halfway through the customer's visit.

describe("the customer's pages after the contact form", () => {
  it("keep the room's theme colour on the chat page", async () => {
    await liveCompany("theme-chat", { agents: [] });
    await setRoom("theme-chat", "GENERAL", "theme = '#e11d48'");
    const customer = new Customer();
    const chat = await customer.startChat("/c/theme-chat/GENERAL");
    const res = await customer.browser.fetch(`/chats/${chat.id}`, { headers: { cookie: `parley_chat=${chat.token}` } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<div class="chat-page" style="--theme:#e11d48"/);
  });

  it("keep it on the page that thanks for an email message", async () => {
    await liveCompany("theme-mail", { agents: [] });
    await setRoom("theme-mail", "GENERAL", "theme = '#16a34a'");
    const res = await new Customer().submit("/c/theme-mail/GENERAL", { name: "Carla", email: "carla@example.com", message: "Call me back", mode: "email" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Thank you");
    expect(html).toMatch(/<div class="contact" style="--theme:#16a34a"/);
  });
});
