import { Hono } from "hono";
import { openDb } from "../adapters/db";
import type { AppEnv } from "../app-env";
import { seedDemo } from "../demo/seed";
import { notFound } from "../http/errors";

// Local-only helpers: `npm start` runs wrangler dev with ENVIRONMENT=local; anywhere else these
// routes do not exist.
export const devRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (c.env.ENVIRONMENT !== "local") throw notFound();
    await next();
  })
  .post("/seed", async (c) => c.json({ result: await seedDemo(openDb(c.env.DB)) }));
