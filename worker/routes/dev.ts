import { Hono } from "hono";
import { PLANS, type Plan } from "../accounts/company";
import { setPlanLocally } from "../stores/companies";
import { openDb } from "../stores/db";
import type { AppEnv } from "../app-env";
import { seedDemo } from "../demo/seed";
import { connectDemoStripe } from "../demo/seed-stripe";
import { BENCH, benchAgents, seedBench } from "../demo/seed-bench";
import { AppError, notFound } from "../http/errors";
import { chatObject, consolesName, roomObject } from "../live/stubs";
import { ringOffer } from "../../views/live/ConsoleFragments";
import { ANSWERED_FIRST, type RingInfo } from "../live/contracts";

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
  // A company on a plan without Stripe Billing, for the end-to-end tests (test/e2e/rooms-admin.e2e.ts).
  .post("/plan", async (c) => {
    const plan = c.req.query("plan");
    if (!PLANS.includes(plan as Plan)) throw new AppError("bad_request", `plan must be one of ${PLANS.join(", ")}.`);
    if (!(await setPlanLocally(openDb(c.env.DB), c.req.query("company") ?? "", plan as Plan))) throw notFound("company");
    return c.json({ plan });
  })
  // The load generator's company and agents (bench/chat-load.mjs).
  .post("/seed-bench", async (c) => {
    const agents = Number(c.req.query("agents") ?? 100);
    if (!Number.isInteger(agents) || agents < 1 || agents > BENCH.maxAgents) {
      throw new AppError("bad_request", `agents must be a whole number from 1 to ${BENCH.maxAgents}.`);
    }
    return c.json(await seedBench(openDb(c.env.DB), agents));
  })
  // The ring's fan-out alone (bench/chat-load.mjs --fanout): `n` rounds, each a made-up chat rung
  // on every bench agent's console and withdrawn, with a pause after each round so that the
  // withdrawals go out alone. The bench reads the Worker's CPU meanwhile; the time of each ring
  // call is the consoles object's own on an otherwise idle server.
  .post("/ring-fanout", async (c) => {
    const n = Number(c.req.query("n") ?? 20);
    if (!Number.isInteger(n) || n < 1 || n > 500) throw new AppError("bad_request", "n must be a whole number from 1 to 500.");
    const { company, agents } = (await benchAgents(openDb(c.env.DB))) ?? {};
    if (!company || !agents) throw notFound("company");
    // Rung as a room rings: each consoles object (shard) with its agents, side by side.
    const shards = new Map<string, string[]>();
    for (const { id } of agents) {
      const name = consolesName(company.id, id);
      shards.set(name, [...(shards.get(name) ?? []), id]);
    }
    const shard = (name: string) => c.env.CONSOLES.get(c.env.CONSOLES.idFromName(name));
    let ringMs = 0;
    let reached = 0;
    for (let i = 0; i < n; i++) {
      const ring: RingInfo = { chatId: crypto.randomUUID(), roomKey: `${company.id}:GENERAL`, roomName: "GENERAL", mode: "chat", customer: { name: `fan-out ${i}`, email: null, phone: null, message: null }, askedAt: Date.now(), simultaneousChats: false };
      const offer = { ring, html: ringOffer(ring) };
      const start = Date.now();
      const rung = await Promise.all(
        [...shards].map(([name, ids]) => shard(name).ring([offer], ids.map((agentId) => ({ agentId, devices: ["browser" as const], chatIds: [ring.chatId] })))),
      );
      ringMs += Date.now() - start;
      reached += agents.length - rung.reduce((sum, r) => sum + r.unreachable.length, 0);
      await Promise.all([...shards].map(([name, ids]) => shard(name).stopRing(ring.chatId, ids, ANSWERED_FIRST)));
      await scheduler.wait(80);
    }
    return c.json({ n, consoles: reached / n, msPerRing: ringMs / n });
  })
  // What the local runtime charges for the operations a chat is made of (bench/runtime-costs.mjs):
  // each probe runs `n` times one after another, so on an idle server the time is the thread's.
  .get("/costs", async (c) => {
    const n = Number(c.req.query("n") ?? 500);
    if (!Number.isInteger(n) || n < 1 || n > 5000) throw new AppError("bad_request", "n must be a whole number from 1 to 5000.");
    const run = crypto.randomUUID();
    const room = roomObject(c.env, `costs:${run}`);
    const probes: Record<string, (i: number) => Promise<unknown>> = {
      "Durable Object call (a room's statistics)": () => room.stats(false),
      "D1 query (select 1)": () => c.env.DB.prepare("select 1 as one").first(),
      "new chat object (its first call)": (i) => chatObject(c.env, `costs:${run}:${i}`).customerView(""),
    };
    const msPerCall: Record<string, number> = {};
    for (const [name, probe] of Object.entries(probes)) {
      const start = Date.now();
      for (let i = 0; i < n; i++) await probe(i);
      msPerCall[name] = (Date.now() - start) / n;
    }
    return c.json({ n, msPerCall });
  });
