import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { randomToken } from "../accounts/tokens";
import { timingSafeEqual } from "../accounts/password";
import type { AppEnv } from "../app-env";
import { AppError } from "./errors";
import { secure } from "./session";

export const CSRF_COOKIE = "parley_csrf";
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
const encoder = new TextEncoder();

/**
 * Double-submit token: every browser gets a random cookie, every form and htmx request echoes it
 * (hidden field or header), and a cross-site page can read neither. Browsers also say where a
 * request came from in Sec-Fetch-Site, which (unlike Origin) survives proxies that rewrite the host.
 */
export const csrf = createMiddleware<AppEnv>(async (c, next) => {
  let token = getCookie(c, CSRF_COOKIE);
  if (!token) {
    token = randomToken(24);
    setCookie(c, CSRF_COOKIE, token, { httpOnly: true, secure: secure(c), sameSite: "Lax", path: "/" });
  }
  c.set("csrfToken", token);

  if (!SAFE.has(c.req.method)) {
    const site = c.req.header("sec-fetch-site");
    if (site && site !== "same-origin" && site !== "none") throw csrfError();
    let sent = c.req.header(CSRF_HEADER);
    if (!sent) {
      const type = c.req.header("content-type") ?? "";
      if (type.includes("form")) {
        const body = await c.req.parseBody();
        const field = body[CSRF_FIELD];
        sent = typeof field === "string" ? field : undefined;
      }
    }
    if (!sent || !getCookie(c, CSRF_COOKIE) || !timingSafeEqual(encoder.encode(sent), encoder.encode(token))) {
      throw csrfError();
    }
  }
  await next();
});

const csrfError = () =>
  new AppError("csrf", "This form has expired or came from another site. Reload the page and try again.");

/**
 * A WebSocket handshake carries cookies but no CSRF token: refuse one that another site's page
 * opened (cross-site WebSocket hijacking). Browsers always send Origin on a handshake, and older
 * ones no Sec-Fetch-Site, so both are checked when present.
 */
export const sameSiteSocket = createMiddleware<AppEnv>(async (c, next) => {
  const site = c.req.header("sec-fetch-site");
  const origin = c.req.header("origin");
  if ((site && site !== "same-origin" && site !== "none") || (origin !== undefined && !sameHost(origin, c.req.url))) {
    throw new AppError("forbidden", "Live connections are only accepted from Parley's own pages.");
  }
  await next();
});

/** Whether an Origin header names the host the request was sent to ("null" and garbage do not). */
function sameHost(origin: string, url: string): boolean {
  try {
    return new URL(origin).host === new URL(url).host;
  } catch {
    return false;
  }
}
