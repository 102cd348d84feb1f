import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { openDb } from "../stores/db";
import { addKnownDevice } from "../stores/known-devices";
import { randomToken } from "../accounts/tokens";
import type { AppEnv } from "../app-env";
import { secure } from "./session";

// A long-lived random cookie naming this browser, so that sign-in throttling (accounts/signin.ts)
// can tell the account's own devices from others. It is unforgeable the way a signed one would be:
// only the hash of a value we issued, stored once its browser signed in, makes a device known.
export const DEVICE_COOKIE = "parley_device";
const YEAR_S = 365 * 24 * 60 * 60;
const WELL_FORMED = /^[A-Za-z0-9_-]{43}$/; // randomToken(32)

export function deviceToken(c: Context<AppEnv>): string | undefined {
  const token = getCookie(c, DEVICE_COOKIE);
  return token && WELL_FORMED.test(token) ? token : undefined;
}

/** Marks this browser as a known device of the user, giving it a device cookie first if it has none. */
export async function rememberDevice(c: Context<AppEnv>, userId: string): Promise<void> {
  const token = deviceToken(c) ?? randomToken(32);
  setCookie(c, DEVICE_COOKIE, token, { httpOnly: true, secure: secure(c), sameSite: "Lax", path: "/", maxAge: YEAR_S });
  await addKnownDevice(openDb(c.env.DB), userId, token);
}
