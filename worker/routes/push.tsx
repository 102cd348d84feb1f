import { Hono, type Context } from "hono";
import * as z from "zod";
import { getCookie } from "hono/cookie";
import { SESSION_COOKIE, type SessionUser } from "../accounts/sessions";
import { vapidPublicKey } from "../adapters/web-push";
import type { AppEnv } from "../app-env";
import { AppError, notFound } from "../http/errors";
import { fragment } from "../http/fragment";
import { requireAgent, requireUser } from "../http/session";
import { deviceLabel, deviceSubscription } from "../push/subscription";
import { openDb } from "../stores/db";
import { hasEndpoint, listDevices, removeDevice, saveSubscription } from "../stores/push-subscriptions";
import { sessionHash } from "../stores/sessions";
import { PushDeviceList } from "../../views/PushDevices";

// An agent's devices for Web Push: the console's and the profile's control subscribe this
// browser (JSON from PushSubscription.toJSON(), CSRF token in its header) and remove devices.
// Every route answers with the agent's device list, which the control shows in place.

/** Enough for a phone, a tablet and a few computers and browsers; a runaway script stops here. */
const MAX_DEVICES = 10;

const me = (c: Context<AppEnv>) => c.get("user") as SessionUser;

const deviceList = async (c: Context<AppEnv>) => fragment(c, <PushDeviceList devices={await listDevices(openDb(c.env.DB), me(c).id)} />);

export const pushRoutes = new Hono<AppEnv>()
  .use(requireUser, requireAgent)
  .get("/devices", deviceList)
  .post("/subscriptions", async (c) => {
    if (!vapidPublicKey(c.env)) throw new AppError("unavailable", "Notifications away from the console are not set up on this Parley server.");
    const parsed = deviceSubscription.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) throw new AppError("bad_request", "This browser sent a push subscription Parley cannot use. Reload the page and try again.");
    const db = openDb(c.env.DB);
    const devices = await listDevices(db, me(c).id);
    // A device subscribing again (new keys) replaces itself and always may.
    if (devices.length >= MAX_DEVICES && !(await hasEndpoint(db, me(c).id, parsed.data.endpoint))) throw new AppError("conflict", `You already have ${MAX_DEVICES} devices: remove one you no longer use first.`);
    // requireUser found the session by this cookie.
    const session = await sessionHash(getCookie(c, SESSION_COOKIE)!);
    await saveSubscription(db, me(c).id, session, parsed.data, deviceLabel(c.req.header("user-agent")));
    return deviceList(c);
  })
  .delete("/subscriptions/:id", async (c) => {
    const id = z.uuid().safeParse(c.req.param("id"));
    if (!id.success || !(await removeDevice(openDb(c.env.DB), me(c).id, id.data))) throw notFound("device");
    return deviceList(c);
  });
