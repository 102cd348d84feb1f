import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { control } from "./fixtures";
import { Customer, liveCompany, setRoom, type CustomerChat } from "./live";
import { closeAllSockets } from "./sockets";

// The waiting screen's "Leave an email message" and "Email me when someone is free": each button
// fetches its form with htmx, and the form posts itself and is swapped for the answer.

afterEach(() => closeAllSockets());

/** A customer waiting in a room that offers both buttons, unless told otherwise (no agent is online to answer). */
async function waiting(slug: string, settings = "allow_leave_email = 1, allow_email_alert = 1") {
  await liveCompany(slug, { agents: [] });
  await setRoom(slug, "GENERAL", settings);
  const customer = new Customer();
  const chat = await customer.startChat(`/c/${slug}/GENERAL`, { name: "Carla Customer", email: "carla@example.com" });
  return { customer, chat };
}

/** The path a waiting-screen button asks for, as the chat's snapshot shows it. */
async function buttonPath(chat: CustomerChat, label: string): Promise<string> {
  const socket = await chat.socket();
  const snapshot = socket.log.find((f) => f.includes(label));
  expect(snapshot, `the waiting screen's "${label}" button`).toBeDefined();
  const button = snapshot!.match(new RegExp(`<button[^>]*hx-get="([^"]+)"[^>]*>\\s*${label}`));
  return button![1]!.replaceAll("&amp;", "&");
}

/** The requests a company received (tests in this file share one database). */
const requests = async (slug: string) =>
  (await env.DB.prepare("select kind, name, email, body from customer_requests where company_id = (select id from companies where slug = ?) order by created_at").bind(slug).all()).results;

describe("GET /chats/:chatId/requests/new", () => {
  it("gives the waiting customer the email message form, with their email filled in and the page's CSRF token", async () => {
    const { customer, chat } = await waiting("ask-form-co");
    const path = await buttonPath(chat, "Leave an email message");
    expect(path).toBe(`/chats/${chat.id}/requests/new?kind=message`);

    const res = await customer.browser.htmxGet(path);
    expect(res.status).toBe(200);
    const html = await res.text();
    // A fragment for htmx to swap in, not a page.
    expect(html).not.toContain("<!DOCTYPE html>");
    expect(html).toMatch(/^<form[^>]*hx-post="\/chats\/[^"]+\/requests"/);
    expect(control(html, "_csrf")).toContain(`value="${customer.browser.cookie("parley_csrf")}"`);
    expect(control(html, "email")).toContain('value="carla@example.com"');
    expect(control(html, "body")).toBeDefined();
    expect(html).toContain("Send message");
  });

  it("gives the email alert form, which asks only for the email address", async () => {
    const { customer, chat } = await waiting("alert-form-co");
    const path = await buttonPath(chat, "Email me when someone is free");
    const res = await customer.browser.htmxGet(path);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(control(html, "email")).toContain('value="carla@example.com"');
    expect(control(html, "body")).toBeUndefined();
    expect(html).toContain("Add alert");
  });

  it("answers 404 for a form the room does not offer", async () => {
    const { customer, chat } = await waiting("ask-off-co", "allow_leave_email = 1, allow_email_alert = 0");
    const socket = await chat.socket();
    expect(socket.log.join()).not.toContain("Email me when someone is free");
    expect((await customer.browser.htmxGet(`/chats/${chat.id}/requests/new?kind=alert`)).status).toBe(404);
    expect((await customer.browser.htmxGet(`/chats/${chat.id}/requests/new?kind=message`)).status).toBe(200);
  });

  it("answers 404 to a browser without the chat's cookie", async () => {
    const { chat } = await waiting("ask-other-co");
    expect((await new Customer().browser.htmxGet(`/chats/${chat.id}/requests/new?kind=message`)).status).toBe(404);
  });
});

describe("POST /chats/:chatId/requests", () => {
  it("saves an email message and thanks the customer in place of the form", async () => {
    const { customer, chat } = await waiting("ask-send-co");
    await customer.browser.htmxGet(`/chats/${chat.id}/requests/new?kind=message`);
    const res = await customer.browser.htmxPost(`/chats/${chat.id}/requests`, { kind: "message", email: "Carla@Example.com", body: "Please call me back tomorrow." });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Thank you — your message is on its way. We will answer by email.");
    expect(await requests("ask-send-co")).toEqual([{ kind: "message", name: "Carla Customer", email: "carla@example.com", body: "Please call me back tomorrow." }]);
  });

  it("saves an email alert without a message", async () => {
    const { customer, chat } = await waiting("alert-send-co");
    const res = await customer.browser.htmxPost(`/chats/${chat.id}/requests`, { kind: "alert", email: "carla@example.com" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Done — we will email you when someone is free.");
    expect(await requests("alert-send-co")).toEqual([{ kind: "alert", name: "Carla Customer", email: "carla@example.com", body: null }]);
  });

  it("shows the form again with 422, what was typed, and what to fix next to each field, and saves nothing", async () => {
    const { customer, chat } = await waiting("ask-fix-co");
    const res = await customer.browser.htmxPost(`/chats/${chat.id}/requests`, { kind: "message", email: "carla@", body: "   " });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).not.toContain("<!DOCTYPE html>");
    expect(control(html, "email")).toContain('value="carla@"');
    expect(control(html, "email")).toContain('aria-invalid="true"');
    expect(html).toContain("Enter a valid email address, like name@example.com.");
    expect(control(html, "body")).toContain('aria-invalid="true"');
    expect(html).toContain("Write your message.");
    // Still the message form, ready to send again.
    expect(html).toContain('name="kind" value="message"');
    expect(control(html, "_csrf")).toContain(`value="${customer.browser.cookie("parley_csrf")}"`);
    expect(await requests("ask-fix-co")).toEqual([]);
  });

  it("asks for the email address when an alert is sent without one", async () => {
    const { customer, chat } = await waiting("alert-fix-co");
    const res = await customer.browser.htmxPost(`/chats/${chat.id}/requests`, { kind: "alert", email: "" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Enter your email address, so we can write to you.");
    expect(html).toContain("Add alert");
    expect(html).not.toContain("Invalid input");
  });

  it("refuses a form of an unknown kind with 400, and one the room does not offer with 404, saving nothing", async () => {
    const { customer, chat } = await waiting("ask-kind-co", "allow_leave_email = 1, allow_email_alert = 0");
    const odd = await customer.browser.htmxPost(`/chats/${chat.id}/requests`, { kind: "fax", email: "carla@example.com" });
    expect(odd.status).toBe(400);
    expect(await odd.text()).toBe("That form could not be read. Reload the page and try again.");
    const off = await customer.browser.htmxPost(`/chats/${chat.id}/requests`, { kind: "alert", email: "carla@example.com" });
    expect(off.status).toBe(404);
    expect(await requests("ask-kind-co")).toEqual([]);
  });
});
