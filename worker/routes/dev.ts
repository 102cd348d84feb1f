import { Hono } from "hono";
import { openDb } from "../adapters/db";
import type { AppEnv } from "../app-env";
import { seedDemo } from "../demo/seed";
import { connectDemoStripe } from "../demo/seed-stripe";
import { BENCH, seedBench } from "../demo/seed-bench";
import { AppError, notFound } from "../http/errors";

// Local-only helpers: `npm start` runs wrangler dev with ENVIRONMENT=local; anywhere else these
// routes do not exist.
export const devRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (c.env.ENVIRONMENT !== "local") throw notFound();
    await next();
  })
  .post("/seed", async (c) => {
    const db = openDb(c.env.DB);
    const result = await seedDemo(db);
    return c.json({ result, stripe: await connectDemoStripe(db, c.env) });
  })
  // The load generator's company and agents (bench/chat-load.mjs).
  .post("/seed-bench", async (c) => {
    const agents = Number(c.req.query("agents") ?? 100);
    if (!Number.isInteger(agents) || agents < 1 || agents > BENCH.maxAgents) {
      throw new AppError("bad_request", `agents must be a whole number from 1 to ${BENCH.maxAgents}.`);
    }
    return c.json(await seedBench(openDb(c.env.DB), agents));
  });
