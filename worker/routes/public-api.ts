import { Hono } from "hono";
import { cors } from "hono/cors";
import { z } from "zod";
import { openDb } from "../adapters/db";
import type { AppEnv } from "../app-env";
import { meterAmount } from "../billing/meter";
import { roomScheme } from "../billing/scheme";
import { AppError, notFound } from "../http/errors";
import { getCompanyBySlug, getRoomByName } from "../rooms/queries";

// The cap keeps every amount an exact integer; no chat lasts 31 years.
const MAX_SECONDS = 999_999_999;
const seconds = z
  .string()
  .regex(/^\d+$/, "seconds must be a whole number of 0 or more, like ?seconds=330.")
  .transform(Number)
  .refine((s) => s <= MAX_SECONDS, `seconds must be at most ${MAX_SECONDS}.`);

// Public JSON for embedders: open to any origin, no cookies.
export const publicApiRoutes = new Hono<AppEnv>()
  .use(cors({ origin: "*", allowMethods: ["GET", "OPTIONS"] }))
  .get("/quote/:company/:room", async (c) => {
    const parsed = seconds.safeParse(c.req.query("seconds") ?? "");
    if (!parsed.success) throw new AppError("bad_request", parsed.error.issues[0]!.message);
    const db = openDb(c.env.DB);
    const company = await getCompanyBySlug(db, c.req.param("company"));
    const room = company && (await getRoomByName(db, company.id, c.req.param("room")));
    if (!room) throw notFound("room");
    const scheme = roomScheme(room);
    return c.json({
      currency: scheme.currency,
      amountMinor: meterAmount(scheme, parsed.data),
      chargeableSeconds: parsed.data,
      scheme,
    });
  });
