import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Browser } from "./client";
import { signedIn, tableCounts } from "./fixtures";
import { Customer, liveCompany, type CustomerChat } from "./live";

// Form bodies that cannot be read are the sender's mistake: every form route answers them with
// 400 and words a person understands, before and after sign-in, and never with a server error.

const UNREADABLE = "We could not read the form you sent. Please reload the page and try again.";

/** Bodies that no form parser can read, each with the Content-Type that promises a form. */
const unreadable: [string, string, BodyInit][] = [
  ["a multipart body that is not multipart", "multipart/form-data; boundary=x", "garbage"],
  ["a multipart body without its boundary", "multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc\r\n--x--\r\n"],
  ["a multipart body cut short", "multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nme@example.com'],
  ["a form in a charset that is not UTF-8", "application/x-www-form-urlencoded; charset=bogus", "email=me%40example.com"],
];

let admin: Browser;
let chat: CustomerChat;
let customer: Customer;

beforeAll(async () => {
  await liveCompany("bodies-co", { agents: [] });
  admin = await signedIn("boss@bodies-co.test");
  customer = new Customer();
  chat = await customer.startChat("/c/bodies-co/GENERAL");
});

afterEach(() => vi.restoreAllMocks());

/** Row counts of every table but the rate counters: a garbage post still counts against its sender's address. */
async function written() {
  const { rate_counters: _, ...rest } = await tableCounts();
  return rest;
}

/** The routes under test, as the browser that would use each one. */
const routes = () =>
  [
    ["POST /login", new Browser(), "/login"],
    ["POST /signup", new Browser(), "/signup"],
    ["POST /c/:company/:room (the customer's contact form)", customer.browser, "/c/bodies-co/GENERAL"],
    ["POST /chats/:chatId/requests (the waiting screen's email form)", customer.browser, `/chats/${chat.id}/requests`],
    ["POST /admin/agents, signed out", new Browser(), "/admin/agents"],
    ["POST /admin/agents, signed in as the admin", admin, "/admin/agents"],
    ["POST /admin/rooms (a new room), signed in as the admin", admin, "/admin/rooms"],
  ] as const;

async function send(browser: Browser, path: string, type: string, body: BodyInit, headers: Record<string, string> = {}) {
  if (!browser.cookie("parley_csrf")) await browser.get("/login");
  return browser.fetch(path, { method: "POST", body, headers: { "content-type": type, "cf-connecting-ip": "192.0.2.44", ...headers } });
}

describe("a form body that cannot be read", () => {
  it.each(unreadable)("%s: every form route answers 400 with a page that says so, and nothing is written or logged as our failure", async (_, type, body) => {
    const errors = vi.spyOn(console, "error");
    const before = await written();
    for (const [route, browser, path] of routes()) {
      // As a plain form post (the CSRF token would be in the body) and as htmx sends it (in a header).
      for (const headers of [{}, { "x-csrf-token": browser.cookie("parley_csrf") ?? "" }] as Record<string, string>[]) {
        const res = await send(browser, path, type, body, headers);
        const how = `${route}${"x-csrf-token" in headers ? " with the token in a header" : ""}`;
        expect(res.status, how).toBe(400);
        const html = await res.text();
        expect(html, how).toContain(UNREADABLE);
        expect(html, how).toContain("Please check that");
      }
    }
    expect(await written()).toEqual(before);
    expect(errors.mock.calls.filter((call) => String(call[0]).includes("unhandled error"))).toEqual([]);
  });

  it.each(unreadable)("%s, with the token in a header from a page already open: read first by the route's form validator, still 400", async (_, type, body) => {
    const errors = vi.spyOn(console, "error");
    for (const path of ["/login", "/signup"]) {
      const browser = new Browser();
      await browser.get(path);
      const res = await send(browser, path, type, body, { "x-csrf-token": browser.cookie("parley_csrf")! });
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toContain(UNREADABLE);
    }
    expect(errors.mock.calls.filter((call) => String(call[0]).includes("unhandled error"))).toEqual([]);
  });

  it("is told to htmx as plain text, shown in the page's error banner", async () => {
    const res = await send(customer.browser, `/chats/${chat.id}/requests`, "multipart/form-data; boundary=x", "garbage", {
      "hx-request": "true",
      "x-csrf-token": customer.browser.cookie("parley_csrf")!,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(UNREADABLE);
  });

  it("keeps the customer's look on the contact form, with a way back to it", async () => {
    const res = await send(new Browser(), "/c/bodies-co/GENERAL", "multipart/form-data", "garbage");
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('href="/c/bodies-co/GENERAL"');
    expect(html).toContain("Back to the contact form");
  });
});

describe("a urlencoded body with broken escapes or bytes", () => {
  const broken: [string, BodyInit][] = [
    ["stray percent signs", "%%%=%ZZ&&==&email=%E0%A4%A"],
    ["bytes that are not UTF-8", new Uint8Array([0x65, 0x3d, 0xff, 0xfe, 0x26, 0xc3, 0x28, 0x3d])],
  ];

  it.each(broken)("with %s is read as well as it can be: refused by the CSRF check, or as an invalid form, never a server error", async (_, body) => {
    for (const [route, browser, path] of routes()) {
      const plain = await send(browser, path, "application/x-www-form-urlencoded", body);
      expect(plain.status, route).toBe(403);
      expect(await plain.text(), route).toContain("This form has expired or came from another site.");

      const htmx = await send(browser, path, "application/x-www-form-urlencoded", body, { "x-csrf-token": browser.cookie("parley_csrf")! });
      expect(htmx.status, `${route} with the token in a header`).toBeGreaterThanOrEqual(400);
      expect(htmx.status, `${route} with the token in a header`).toBeLessThan(500);
    }
  });
});
