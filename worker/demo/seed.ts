import { and, eq } from "drizzle-orm";
import type { Db } from "../stores/db";
import { createAgent } from "../stores/agents";
import { signUp } from "../stores/companies";
import { complimentary, getPlanSubscription, savePlanSubscription } from "../stores/plan-subscriptions";
import { companies, rooms, users } from "../db/schema";
import { presetRooms } from "../rooms/presets";
import { newId } from "../accounts/tokens";

// The local demo (DESIGN.md): public knowledge, never used outside `npm start` and tests.
export const DEMO = {
  company: "demo",
  password: "parley-demo",
  admin: "admin@demo.test",
  agents: [
    // Alice may send invoices in CHARGE_DURATION_ON_DEMAND (the admin's switch, off for new agents).
    { name: "Alice Martin", email: "alice@demo.test", manualPaymentAllowed: true },
    { name: "Bob Chen", email: "bob@demo.test" },
  ],
} as const;

/**
 * Seeds company `demo` (a Pro company with the three preset rooms, an admin and two agents who
 * serve every room). Each step skips what exists, so seeding again changes nothing and a seed
 * interrupted half-way completes on the next run.
 */
export async function seedDemo(db: Db): Promise<"seeded" | "already seeded"> {
  const existing = await db.select({ id: companies.id }).from(companies).where(eq(companies.slug, DEMO.company)).get();
  const adminId = existing
    ? (await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO.admin)).get())!.id
    : (
        await signUp(
          db,
          { accountType: "company", companyName: "Parley Demo", companySlug: DEMO.company, name: "Demo Admin", email: DEMO.admin, password: DEMO.password },
          "pro",
        )
      ).userId;
  let added = 0;
  const companyId = existing?.id ?? (await db.select({ id: companies.id }).from(companies).where(eq(companies.slug, DEMO.company)).get())!.id;
  // Pro without a Stripe subscription: a complimentary plan, which no webhook or cron takes away.
  if (!(await getPlanSubscription(db, companyId))) {
    await savePlanSubscription(db, complimentary(companyId, "pro"), Date.now(), null);
    added++;
  }
  // Video Recording, Conference Chat and Simultaneous customer chats are OFF by default (spec); the demo's GENERAL
  // room (and so the agents' private rooms, which take its settings) has them so they can be tried.
  if (!existing) await db.update(rooms).set({ phoneRecording: true, phoneConference: true, phoneSimultaneousChats: true }).where(and(eq(rooms.companyId, companyId), eq(rooms.name, "GENERAL")));

  // A company starts with GENERAL; the demo also shows the two paid rooms of a Solo account.
  for (const preset of presetRooms("solo")) {
    const inserted = await db.insert(rooms).values({ ...preset, id: newId(), companyId }).onConflictDoNothing().returning({ id: rooms.id });
    added += inserted.length;
  }
  const roomIds = (await db.select({ id: rooms.id }).from(rooms).where(eq(rooms.companyId, companyId))).map((r) => r.id);
  for (const agent of DEMO.agents) {
    if (await db.select({ id: users.id }).from(users).where(eq(users.email, agent.email)).get()) continue;
    await createAgent(db, companyId, adminId, { ...agent, password: DEMO.password, roomIds, disabled: false });
    added++;
  }
  return existing && added === 0 ? "already seeded" : "seeded";
}
