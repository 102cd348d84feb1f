import { Hono, type Context } from "hono";
import { cors } from "hono/cors";
import * as z from "zod";
import { openDb, type Db } from "../stores/db";
import type { AppEnv } from "../app-env";
import { meterAmount } from "../billing/meter";
import { chatScheme, roomScheme } from "../billing/scheme";
import { AppError, notFound } from "../http/errors";
import { tallyByEmail } from "../stores/chat-ratings";
import { getCompanyBySlug } from "../stores/companies";
import { getCompanyRoom, getPrivateRoom, getRoomByName, getUsablePrivateRoom } from "../stores/rooms";
import { roomKey } from "../live/contracts";
import { roomObject } from "../live/stubs";
import { roomMoved } from "../http/room-moved";
import { renamedRoom } from "../stores/room-changes";
import { withRatings } from "../routing/stats";

const retired = (name: string) => new AppError("gone", `The chat room ${name} was retired.`);

// The cap keeps every amount an exact integer; no chat lasts 31 years.
const MAX_SECONDS = 999_999_999;
const seconds = z
  .string()
  .regex(/^\d+$/, "seconds must be a whole number of 0 or more, like ?seconds=330.")
  .transform(Number)
  .refine((s) => s <= MAX_SECONDS, `seconds must be at most ${MAX_SECONDS}.`);

/**
 * Live statistics of a room, from its Durable Object; a private room is `~{handle}`. The details
 * add each logged-on agent's rating from D1: the object holds presence only, and one indexed read
 * of those few agents' rated chats (no cache) keeps a rating given a moment ago in the answer.
 */
async function roomStatsResponse(c: Context<AppEnv, "/stats/:company/:room">, details: boolean) {
  const db = openDb(c.env.DB);
  const company = await getCompanyBySlug(db, c.req.param("company"));
  const name = c.req.param("room");
  const exists = company && (name.startsWith("~") ? await getPrivateRoom(db, company.id, name.slice(1)) : await getRoomByName(db, company.id, name));
  if (company && !exists) {
    const renamed = await renamedRoom(db, company.id, name);
    if (renamed) return roomMoved(c, `/api/stats/${company.slug}/${renamed.name}${details ? "/details" : ""}`);
  }
  if (!company || !exists) throw new AppError("not_found", "No such chat room.");
  if ("retiredAt" in exists && exists.retiredAt !== null) throw retired(name);
  const stats = await roomObject(c.env, roomKey(company.id, name)).stats(details);
  if (!stats.agStatDetails) return c.json({ ...stats, chatRoom: name });
  const tallies = await tallyByEmail(db, company.id, stats.agStatDetails.map((agent) => agent.agentID));
  return c.json({ ...stats, chatRoom: name, agStatDetails: withRatings(stats.agStatDetails, tallies) });
}

/**
 * The pricing a chat in this room would be charged by: a room's own, and in an agent's private
 * room (`~{handle}`) whatever a chat started there uses, the agent's own pricing included.
 */
async function quotedScheme(db: Db, companySlug: string, name: string) {
  if (!name.startsWith("~")) {
    const found = await getCompanyRoom(db, companySlug, name);
    if (found && !found.room) {
      const renamed = await renamedRoom(db, found.company.id, name);
      if (renamed) return { movedTo: `/api/quote/${found.company.slug}/${renamed.name}` };
    }
    if (!found?.room) throw notFound("room");
    if (found.room.retiredAt !== null) throw retired(name);
    return roomScheme(found.room);
  }
  const company = await getCompanyBySlug(db, companySlug);
  const found = company && (await getUsablePrivateRoom(db, company, name.slice(1)));
  if (!found) throw notFound("room");
  return chatScheme(found.room, found.profile);
}

// Public JSON for embedders: open to any origin, no cookies.
export const publicApiRoutes = new Hono<AppEnv>()
  .use(cors({ origin: "*", allowMethods: ["GET", "OPTIONS"] }))
  .get("/stats/:company/:room", (c) => roomStatsResponse(c, false))
  .get("/stats/:company/:room/details", (c) => roomStatsResponse(c, true))
  .get("/quote/:company/:room", async (c) => {
    const parsed = seconds.safeParse(c.req.query("seconds") ?? "");
    if (!parsed.success) throw new AppError("bad_request", parsed.error.issues[0]!.message);
    const scheme = await quotedScheme(openDb(c.env.DB), c.req.param("company"), c.req.param("room"));
    if ("movedTo" in scheme) return roomMoved(c, scheme.movedTo);
    return c.json({
      currency: scheme.currency,
      amountMinor: meterAmount(scheme, parsed.data),
      chargeableSeconds: parsed.data,
      scheme,
    });
  });
