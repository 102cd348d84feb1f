import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../stores/db";
import { inList } from "../stores/in-list";
import { hashPassword } from "../accounts/password";
import { signUp } from "../stores/companies";
import { agentProfiles, companies, roomAgents, rooms, users } from "../db/schema";
import { GENERAL } from "../rooms/presets";
import { newId } from "../accounts/tokens";

// The load generator's company (bench/chat-load.mjs): local only, reached through
// `POST /dev/seed-bench?agents=N`. Public knowledge, like the demo.
export const BENCH = {
  company: "bench",
  password: "parley-bench",
  admin: "admin@bench.test",
  /** Large enough that the entitlement never stops a load test. */
  quota: 1_000_000,
  maxAgents: 2000,
} as const;

export type BenchAgent = { email: string; handle: string };
export type BenchSeed = { company: string; room: string; password: string; agents: BenchAgent[] };

const pad = (n: number) => String(n).padStart(4, "0");
export const benchAgent = (n: number): BenchAgent & { name: string } => ({
  email: `agent-${pad(n)}@bench.test`,
  name: `Bench Agent ${pad(n)}`,
  handle: `bench-agent-${pad(n)}`,
});

/**
 * Creates (or completes) company `bench`: Pro plan, a quota no test reaches, the GENERAL room
 * with its default settings, and agents 1..N serving GENERAL, all with password `parley-bench`.
 * Seeding again adds only the missing agents and resets the entitlement count.
 */
export async function seedBench(db: Db, count: number): Promise<BenchSeed> {
  let company = await db.select({ id: companies.id }).from(companies).where(eq(companies.slug, BENCH.company)).get();
  if (!company) {
    await signUp(
      db,
      { accountType: "company", companyName: "Parley Bench", companySlug: BENCH.company, name: "Bench Admin", email: BENCH.admin, password: BENCH.password },
      "pro",
    );
    company = (await db.select({ id: companies.id }).from(companies).where(eq(companies.slug, BENCH.company)).get())!;
  }
  await db.update(companies).set({ plan: "pro", entitlementQuota: BENCH.quota, entitlementUsed: 0, entitlementEmails: 0 }).where(eq(companies.id, company.id));
  const general = (await db
    .select({ id: rooms.id })
    .from(rooms)
    .where(and(eq(rooms.companyId, company.id), eq(rooms.name, GENERAL)))
    .get())!;

  const wanted = Array.from({ length: count }, (_, i) => benchAgent(i + 1));
  const found = await db.select({ email: users.email }).from(users).where(inList(users.email, wanted.map((a) => a.email)));
  const existing = new Set(found.map((row) => row.email));
  const missing = wanted.filter((a) => !existing.has(a.email));
  if (missing.length) {
    // One hash for all: PBKDF2 at full strength costs tens of milliseconds per agent, and every
    // bench agent has the same public password anyway.
    const passwordHash = await hashPassword(BENCH.password);
    for (let i = 0; i < missing.length; i += 50) {
      const statements: BatchItem<"sqlite">[] = [];
      for (const agent of missing.slice(i, i + 50)) {
        const id = newId();
        statements.push(
          db.insert(users).values({ id, companyId: company.id, email: agent.email, name: agent.name, handle: agent.handle, passwordHash, isAgent: true }),
          db.insert(agentProfiles).values({ userId: id, privateRoomId: general.id }),
          db.insert(roomAgents).values({ roomId: general.id, userId: id }),
        );
      }
      await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    }
  }
  return { company: BENCH.company, room: GENERAL, password: BENCH.password, agents: wanted.map(({ email, handle }) => ({ email, handle })) };
}

/** Company `bench` and its agents, once seeded. */
export async function benchAgents(db: Db): Promise<{ company: { id: string }; agents: { id: string }[] } | null> {
  const company = await db.select({ id: companies.id }).from(companies).where(eq(companies.slug, BENCH.company)).get();
  if (!company) return null;
  const agents = await db.select({ id: users.id }).from(users).where(and(eq(users.companyId, company.id), eq(users.isAgent, true)));
  return { company, agents };
}
