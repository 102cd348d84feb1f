import { and, eq, isNotNull, lte, ne, or } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Plan } from "../accounts/company";
import { effectivePlan, quotaOf, type PlanSubscription } from "../accounts/subscription";
import { companies, emailOutbox, planSubscriptions } from "../db/schema";
import { auditInsert } from "./audit";
import { queuedIds, releaseHeldMail } from "./outbox";
import type { Checked, Db, SameColumns } from "./db";

// A company's plan subscription (worker/accounts/subscription.ts) and the plan it gives, written
// on the company (`companies.plan`, `entitlement_quota`) in the same batch: every gate reads the
// company. A higher quota releases the mail held at the old one in that batch too.

type Row = typeof planSubscriptions.$inferSelect;
// Beside its updatedAt, a row is the domain's PlanSubscription, column for column.
type SubscriptionRow = Checked<SameColumns<PlanSubscription, Omit<Row, "updatedAt">>>;

const toSubscription = ({ updatedAt: _, ...sub }: Row): PlanSubscription => sub;

export async function getPlanSubscription(db: Db, companyId: string): Promise<PlanSubscription | null> {
  const row = await db.select().from(planSubscriptions).where(eq(planSubscriptions.companyId, companyId)).get();
  return row ? toSubscription(row) : null;
}

/**
 * The company's subscription; a company given a paid plan before plans were sold (no row, its
 * plan set in D1) holds it as complimentary, so that no step of the Plan page takes it away.
 */
export async function subscriptionOfCompany(db: Db, company: { id: string; plan: Plan }): Promise<PlanSubscription | null> {
  return (await getPlanSubscription(db, company.id)) ?? (company.plan === "free" ? null : complimentary(company.id, company.plan));
}

/** The company whose subscription or billing customer this is, if any. */
export async function planSubscriptionOf(db: Db, ids: { subscriptionId: string; customerId: string }): Promise<PlanSubscription | null> {
  const row = await db
    .select()
    .from(planSubscriptions)
    .where(or(eq(planSubscriptions.stripeSubscriptionId, ids.subscriptionId), eq(planSubscriptions.stripeCustomerId, ids.customerId)))
    .get();
  return row ? toSubscription(row) : null;
}

/** A company that has not subscribed yet: Forever Free, with its billing customer on Stripe. */
export const unsubscribed = (companyId: string, stripeCustomerId: string | null): PlanSubscription => ({
  companyId,
  source: "stripe",
  plan: "free",
  status: "none",
  stripeCustomerId,
  stripeSubscriptionId: null,
  currentPeriodEnd: null,
  cancelAtPeriodEnd: false,
  graceUntil: null,
  carriedPlan: null,
  carriedUntil: null,
});

/**
 * Stores the subscription and gives the company the plan it means now, in one batch with the
 * caller's statements (an event's seen mark). Returns the ids of the held mail this released,
 * queued again in that batch, for the caller to put on the mail queue once it committed, and the
 * plan change if there was one (rooms past the new plan's limit lock, or unlock: live/room-locks.ts).
 */
export async function savePlanSubscription(
  db: Db,
  sub: PlanSubscription,
  now: number,
  userId: string | null,
  also: BatchItem<"sqlite">[] = [],
): Promise<{ released: string[]; planChange: { from: Plan; to: Plan } | null }> {
  const company = await db.select({ plan: companies.plan, quota: companies.entitlementQuota }).from(companies).where(eq(companies.id, sub.companyId)).get();
  if (!company) throw new Error(`no company ${sub.companyId}`);
  const plan = effectivePlan(sub, now);
  const quota = quotaOf(plan);
  const row = { ...sub, updatedAt: now };
  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [
    db.insert(planSubscriptions).values(row).onConflictDoUpdate({ target: planSubscriptions.companyId, set: row }),
    ...also,
  ];
  if (plan !== company.plan || quota !== company.quota) {
    statements.push(
      db.update(companies).set({ plan, entitlementQuota: quota }).where(eq(companies.id, sub.companyId)),
      auditInsert(db, { companyId: sub.companyId, userId, action: "plan.changed", detail: { from: company.plan, to: plan, status: sub.status } }),
    );
  }
  const releases = quota > company.quota;
  if (releases) statements.push(releaseHeldMail(db, eq(emailOutbox.companyId, sub.companyId), now));
  const results = await db.batch(statements);
  return {
    released: releases ? queuedIds(results[results.length - 1] as { id: string; status: string }[]) : [],
    planChange: plan !== company.plan ? { from: company.plan, to: plan } : null,
  };
}

/**
 * Subscriptions whose plan changes with time alone: a grace period that ran out on a company not
 * yet back on Free, or a higher plan paid up to a time now past.
 */
export async function subscriptionsDue(db: Db, now: number): Promise<PlanSubscription[]> {
  const rows = await db
    .select({ sub: planSubscriptions })
    .from(planSubscriptions)
    .innerJoin(companies, eq(companies.id, planSubscriptions.companyId))
    .where(
      and(
        eq(planSubscriptions.source, "stripe"),
        or(
          and(isNotNull(planSubscriptions.graceUntil), lte(planSubscriptions.graceUntil, now), ne(companies.plan, "free")),
          and(isNotNull(planSubscriptions.carriedUntil), lte(planSubscriptions.carriedUntil, now)),
        ),
      ),
    );
  return rows.map((r) => toSubscription(r.sub));
}

/**
 * A higher plan kept until `until` (or none): written alone, before Stripe is asked to change the
 * price, so that the webhook that follows finds it and the company keeps what it paid for.
 */
export const setCarriedPlan = (db: Db, companyId: string, plan: Plan | null, until: number | null, now: number) =>
  db.update(planSubscriptions).set({ carriedPlan: plan, carriedUntil: until, updatedAt: now }).where(eq(planSubscriptions.companyId, companyId)).run();

/** The demo's plan: given, not bought (worker/demo/seed.ts). */
export const complimentary = (companyId: string, plan: Plan): PlanSubscription => ({ ...unsubscribed(companyId, null), source: "complimentary", plan, status: "active" });
