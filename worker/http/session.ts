import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { openDb } from "../stores/db";
import { SESSION_COOKIE, SESSION_TTL_MS } from "../accounts/sessions";
import { createSession, findSessionUser } from "../stores/sessions";
import type { AppEnv } from "../app-env";
import { AppError } from "./errors";

const secure = (c: Context) => new URL(c.req.url).protocol === "https:";

/** Loads the signed-in user, if any, for every request that needs to know. */
export const loadUser = createMiddleware<AppEnv>(async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  c.set("user", token ? await findSessionUser(openDb(c.env.DB), token) : null);
  await next();
});

export async function startSession(c: Context<AppEnv>, userId: string): Promise<void> {
  const token = await createSession(openDb(c.env.DB), userId);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: secure(c),
    sameSite: "Lax",
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function endSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: secure(c) });
}

/** Pages for signed-in users: anonymous browsers go to /login and come back afterwards. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("user")) {
    if (c.req.method === "GET") return c.redirect(`/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`);
    throw new AppError("unauthorised", "Please sign in again; your session has ended.");
  }
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("user")?.isAdmin) throw new AppError("forbidden", "Only your company's administrator can open this page.");
  await next();
});

export const requireAgent = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("user")?.isAgent) throw new AppError("forbidden", "This page is for agents; ask your administrator to make you one.");
  await next();
});

export { secure };
