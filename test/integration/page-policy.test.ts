import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import app from "../../worker/index";
import { Browser } from "./client";
import { Customer, team } from "./live";
import { paidPath, paidRoom } from "./paid-chats";

// What each kind of page may load and use (Content-Security-Policy, Permissions-Policy): only our
// own scripts everywhere, calls' devices only where calls are held, Stripe.js only where a card is
// taken, and no page inside another site's frame.

const csp = (res: Response) => res.headers.get("content-security-policy") ?? "";
const directive = (res: Response, name: string) =>
  csp(res)
    .split(";")
    .map((d) => d.trim().split(" "))
    .find(([n]) => n === name)
    ?.slice(1) ?? null;
const permissions = (res: Response) => res.headers.get("permissions-policy");

const NO_DEVICES = "camera=(), microphone=(), display-capture=(), geolocation=(), payment=()";
const CALLS = "camera=(self), microphone=(self), display-capture=(self), geolocation=()";

/** Checks that a page runs nothing the CSP would refuse: no inline scripts or handlers, no eval. */
async function expectOnlyOwnScripts(res: Response) {
  const html = await res.text();
  expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
  expect(directive(res, "script-src")?.[0]).toBe("'self'");
  expect(directive(res, "script-src")?.join(" ")).not.toContain("'sha256-");
  expect(html).not.toMatch(/<[^>]+\s(on[a-z]+|hx-on(:[a-z:-]+)?)=/i);
  expect(directive(res, "script-src")).not.toContain("'unsafe-inline'");
  expect(directive(res, "script-src")).not.toContain("'unsafe-eval'");
}

describe("every page's Content-Security-Policy", () => {
  it("lets a page run only our own scripts", async () => {
    const res = await new Browser().get("/login");
    expect(res.status).toBe(200);
    expect(directive(res, "default-src")).toEqual(["'self'"]);
    await expectOnlyOwnScripts(res);
  });

  it("lets pages connect to our own origin and its sockets, show images from the web, and play recordings from the browser", async () => {
    const res = await new Browser().get("/login");
    expect(directive(res, "connect-src")).toEqual(["'self'", "wss://parley.test"]);
    expect(directive(res, "img-src")).toEqual(["'self'", "data:", "blob:", "https:"]);
    expect(directive(res, "media-src")).toEqual(["'self'", "blob:"]);
    expect(directive(res, "object-src")).toEqual(["'none'"]);
  });

  it("keeps every page out of other sites' frames, the customer's contact form and error pages too", async () => {
    const { company } = await team("framed", ["Fay Frame"]);
    for (const path of ["/login", `/c/${company.slug}/GENERAL`, "/no-such-page"]) {
      const res = await new Browser().get(path);
      expect(directive(res, "frame-ancestors"), path).toEqual(["'none'"]);
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });
});

describe("pages without calls or cards", () => {
  it("may use no camera, microphone, screen sharing, location or payment, and load no Stripe.js", async () => {
    const { company, agents } = await team("plain-co", ["Pia Plain"]);
    const admin = await (async () => {
      const browser = new Browser();
      await browser.post("/login", { email: `boss@${company.slug}.test`, password: "correct horse 9" }, { from: "/login" });
      return browser;
    })();
    const pages: [Browser, string][] = [
      [new Browser(), "/login"],
      [new Browser(), `/c/${company.slug}/GENERAL`],
      [admin, "/admin"],
      [admin, "/admin/agents"],
      [agents[0].browser, "/agent/profile"],
      [agents[0].browser, "/chat-records"],
    ];
    for (const [browser, path] of pages) {
      const res = await browser.get(path);
      expect(res.status, path).toBe(200);
      expect(permissions(res), path).toBe(NO_DEVICES);
      expect(csp(res), path).not.toContain("stripe.com");
      expect(directive(res, "frame-src"), path).toEqual(["'none'"]);
      await expectOnlyOwnScripts(res);
    }
  });
});

describe("pages that hold calls", () => {
  it("lets the agent console use the camera, microphone and screen sharing, but not Stripe", async () => {
    const { agents } = await team("console-co", ["Cal Console"]);
    const res = await agents[0].browser.get("/agent");
    expect(res.status).toBe(200);
    expect(permissions(res)).toBe(`${CALLS}, payment=()`);
    expect(csp(res)).not.toContain("stripe.com");
    await expectOnlyOwnScripts(res);
  });

  it("lets the customer's chat page use them too, and Stripe.js for the card the chat may wait for", async () => {
    const { company } = await team("chat-co", ["Cleo Chat"]);
    const customer = new Customer();
    const chat = await customer.startChat(`/c/${company.slug}/GENERAL`);
    const res = await customer.browser.get(`/chats/${chat.id}`);
    expect(res.status).toBe(200);
    expect(permissions(res)).toBe(`${CALLS}, payment=(self "https://js.stripe.com")`);
    expect(directive(res, "script-src")).toEqual(expect.arrayContaining(["'self'", "https://js.stripe.com"]));
    expect(directive(res, "connect-src")).toEqual(["'self'", "wss://parley.test", "https://api.stripe.com"]);
    await expectOnlyOwnScripts(res);
  });
});

describe("pages that take a card", () => {
  const PK = "pk_test_parley_element";
  const elementWorker = (extra: Record<string, string> = {}) => ({
    fetch: async (request: Request) => app.fetch(request, { ...env, STRIPE_PUBLISHABLE_KEY: PK, ...extra }, createExecutionContext()),
  });

  it("load Stripe.js and Stripe's frames, and give its frame the Payment Request API, but no camera", async () => {
    const { company } = await paidRoom("card-co");
    const customer = new Customer();
    const chat = await customer.startChat(paidPath(company.slug));
    const browser = customer.browser.through(elementWorker());
    expect((await browser.post(`/chats/${chat.id}/hold`, { agree: "on" }, { from: `/chats/${chat.id}` })).status).toBe(303);
    // Back from the bank without a hold in place: the card form again.
    const res = await browser.get(`/chats/${chat.id}/authenticated`);
    expect(res.status).toBe(422);
    const html = await res.clone().text();
    expect(html).toContain('<script src="https://js.stripe.com/v3/"></script>');
    expect(directive(res, "script-src")).toEqual(expect.arrayContaining(["https://js.stripe.com", "https://*.js.stripe.com"]));
    expect(directive(res, "frame-src")).toEqual(["https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"]);
    expect(directive(res, "connect-src")).toContain("https://api.stripe.com");
    expect(permissions(res)).toBe(`camera=(), microphone=(), display-capture=(), geolocation=(), payment=(self "https://js.stripe.com")`);
    // The card page's one script of another origin is Stripe.js, which the CSP names.
    expect(html.match(/<script src="https:[^"]*"/g)).toEqual(['<script src="https://js.stripe.com/v3/"']);
  });

  it("allow a stand-in of Stripe.js (tests, the local demo) at its own origin instead", async () => {
    const customer = new Customer();
    const res = await customer.browser.through(elementWorker({ STRIPE_JS_URL: "http://stripe.fake/v3/" })).get("/chats/00000000-0000-4000-8000-000000000000/card");
    expect(directive(res, "script-src")).toContain("http://stripe.fake");
    expect(directive(res, "connect-src")).toContain("http://stripe.fake");
    expect(csp(res)).not.toContain("js.stripe.com");
    expect(permissions(res)).toContain('payment=(self "http://stripe.fake")');
  });
});
