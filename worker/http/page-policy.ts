import { createMiddleware } from "hono/factory";
import { stripeJsUrl } from "../adapters/stripe";
import type { AppEnv } from "../app-env";

// What each page may load and use: the Content-Security-Policy and Permissions-Policy headers.
// Scripts come only from our own origin (no inline scripts or handlers), so injected markup
// cannot run. Camera, microphone and screen sharing only where calls are held; Stripe.js only
// where a card is taken. No page of ours is framed: the embed script opens the contact form in a
// window of its own (worker/embed/loader.ts).

export type PageKind = {
  /** Holds calls: the agent console and the customer's chat page. */
  calls: boolean;
  /** Takes a card with Stripe.js: a chat's hold, the card after a failed hold, an invoice's Pay Now. */
  payment: boolean;
};

const CHAT = "/chats/[^/]+";
const CALL_PAGES = [/^\/agent\/?$/, new RegExp(`^${CHAT}/?$`)];
// The customer's chat page shows the card form while the chat waits for its hold.
const PAYMENT_PAGES = [new RegExp(`^${CHAT}(/card|/hold|/authorise|/authenticated|/invoices/[^/]+/(pay|authenticated))?/?$`)];

export function pageKind(path: string): PageKind {
  return { calls: CALL_PAGES.some((p) => p.test(path)), payment: PAYMENT_PAGES.some((p) => p.test(path)) };
}

const STRIPE_JS = "https://js.stripe.com";

/** Where Stripe.js and what it talks to live; a stand-in of Stripe.js (tests) is all three at its own origin. */
function stripeSources(stripeJsUrl: string) {
  const origin = new URL(stripeJsUrl).origin;
  if (origin !== STRIPE_JS) return { script: [origin], frame: [origin], connect: [origin] };
  return {
    script: [STRIPE_JS, "https://*.js.stripe.com"],
    frame: [STRIPE_JS, "https://*.js.stripe.com", "https://hooks.stripe.com"],
    connect: ["https://api.stripe.com"],
  };
}

/**
 * `url`: the page's own, for its sockets (ws: or wss: to the same host, which 'self' does not
 * cover in every browser). `stripeJsUrl`: where Stripe.js is loaded from on payment pages.
 */
export function contentSecurityPolicy(kind: PageKind, url: string, stripeJsUrl: string): string {
  const { host, protocol } = new URL(url);
  const stripe = kind.payment ? stripeSources(stripeJsUrl) : { script: [], frame: [], connect: [] };
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", ...stripe.script],
    "style-src": ["'self'"],
    // A few elements carry their own width or theme colour; no <style> element is allowed.
    "style-src-attr": ["'unsafe-inline'"],
    // Agents' photos and rooms' logos are addresses on any web host.
    "img-src": ["'self'", "data:", "blob:", "https:"],
    // Recordings played back from the browser's own storage.
    "media-src": ["'self'", "blob:"],
    "connect-src": ["'self'", `${protocol === "https:" ? "wss:" : "ws:"}//${host}`, ...stripe.connect],
    "frame-src": stripe.frame.length ? stripe.frame : ["'none'"],
    // The console's service worker (/sw.js) and web app manifest (worker/routes/app-shell.ts).
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

export function permissionsPolicy(kind: PageKind, stripeJsUrl: string): string {
  const calls = kind.calls ? "(self)" : "()";
  // Stripe's frame asks for `payment` for wallets (Apple Pay, Google Pay); it is not ours to use elsewhere.
  const payment = kind.payment ? `(self "${new URL(stripeJsUrl).origin}")` : "()";
  return `camera=${calls}, microphone=${calls}, display-capture=${calls}, geolocation=(), payment=${payment}`;
}

/** Sets both headers on every response of the pages' app (a fragment or a redirect may become a page too). */
export const pagePolicy = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.status === 101) return; // a socket's handshake: no document
  const kind = pageKind(c.req.path);
  const stripeJs = stripeJsUrl(c.env);
  c.res.headers.set("Content-Security-Policy", contentSecurityPolicy(kind, c.req.url, stripeJs));
  c.res.headers.set("Permissions-Policy", permissionsPolicy(kind, stripeJs));
});
