import { Hono, type Context } from "hono";
import * as z from "zod";
import { PLANS, type Plan } from "../accounts/company";
import { entitlementUsage } from "../accounts/entitlement";
import { PLAN_RANK } from "../accounts/plan-limits";
import type { SessionUser } from "../accounts/sessions";
import { effectivePlan, planStanding } from "../accounts/subscription";
import { stripeClient } from "../adapters/stripe";
import { cancelSubscription, changePlan, setCancelAtPeriodEnd } from "../adapters/stripe-billing";
import type { AppEnv } from "../app-env";
import { AppError, notFound } from "../http/errors";
import { formValidator, type FormPage } from "../http/form-validation";
import { requireAdmin, requireUser } from "../http/session";
import { checkoutForPlan } from "../jobs/plan-subscriptions";
import { auditInsert } from "../stores/audit";
import { getCompany } from "../stores/companies";
import { openDb, type Db } from "../stores/db";
import { heldMailCount } from "../stores/outbox";
import { setCarriedPlan, subscriptionOfCompany } from "../stores/plan-subscriptions";
import { PlanPage, type PlanNotice } from "../../views/PlanPage";

// The admin's Plan page (/admin/plan). Only the company's administrator sees or changes it, and
// only its own company (no ids in the URLs). A change asks Stripe; the plan itself moves when
// Stripe's webhook says so (worker/jobs/plan-subscriptions.ts).

const me = <E extends AppEnv>(c: Context<E>) => c.get("user") as SessionUser;

/** Subscriptions that Stripe is still billing: a change edits them rather than starting another. */
const LIVE = new Set(["active", "trialing", "past_due"]);

async function load(db: Db, user: SessionUser) {
  const company = await getCompany(db, user.companyId);
  if (!company) throw notFound("company");
  return { company, sub: await subscriptionOfCompany(db, company) };
}

async function render(c: Context<AppEnv>, notice: PlanNotice, error?: string) {
  const db = openDb(c.env.DB);
  const { company, sub } = await load(db, me(c));
  const now = Date.now();
  return c.render(
    <PlanPage company={company} usage={entitlementUsage(company, now)} standing={planStanding(sub, now)} heldMail={await heldMailCount(db, company.id)} notice={notice} stripeConfigured={!!stripeClient(c.env)} error={error} />,
  );
}

const NOTICES: Record<string, PlanNotice> = { done: "checkout-done", cancelled: "checkout-cancelled" };

const planForm = z.object({ plan: z.enum(PLANS, { error: "Choose Forever Free, Pro or Large Enterprise." }) });
const planAgain: FormPage<AppEnv> = (c, _sent, errors) => render(c, null, errors.plan ?? errors.form);

export const adminPlanRoutes = new Hono<AppEnv>()
  .use(requireUser, requireAdmin)
  .get("/", (c) => render(c, NOTICES[c.req.query("checkout") ?? ""] ?? (c.req.query("requested") ? "requested" : null)))
  .post("/", formValidator(planForm, planAgain), async (c) => {
    const { plan: target } = c.req.valid("form");
    const db = openDb(c.env.DB);
    const user = me(c);
    const now = Date.now();
    const { company, sub } = await load(db, user);
    const refuse = (message: string) => {
      c.status(422);
      return render(c, null, message);
    };
    if (sub?.source === "complimentary") return refuse("Your plan is given by Parley; write to Parley to change it.");
    const stripe = stripeClient(c.env);
    if (!stripe) throw new AppError("unavailable", "Stripe is not configured on this server, so the plan cannot be changed yet.");
    const current = effectivePlan(sub, now);
    const live = sub && sub.stripeSubscriptionId && LIVE.has(sub.status) ? sub : null;
    const audit = (action: string) => auditInsert(db, { companyId: company.id, userId: user.id, action, detail: { from: current, to: target } }).run();

    // A renewal Stripe could not collect: the admin pays with another card on a new Checkout (a
    // new subscription), or goes back to Free; either way the unpaid one ends now, so that a late
    // retry of it charges nobody.
    if (live?.status === "past_due") {
      await cancelSubscription(stripe, live.stripeSubscriptionId!);
      await audit(target === "free" ? "plan.change.requested" : "plan.checkout.started");
      if (target === "free") return c.redirect("/admin/plan?requested=1", 303);
      return c.redirect(await checkoutForPlan(db, stripe, { company, email: user.email, plan: target, origin: new URL(c.req.url).origin, now }), 303);
    }

    if (!live) {
      if (target === "free") return refuse("Your company is on Forever Free already.");
      await audit("plan.checkout.started");
      return c.redirect(await checkoutForPlan(db, stripe, { company, email: user.email, plan: target, origin: new URL(c.req.url).origin, now }), 303);
    }
    const subscriptionId = live.stripeSubscriptionId!;
    const staying = target === current && !live.cancelAtPeriodEnd && live.carriedPlan === null;
    if (staying) return refuse(`Your company is on this plan already.`);
    if (target === "free") {
      await setCancelAtPeriodEnd(stripe, subscriptionId, true);
    } else if (target === live.plan && live.cancelAtPeriodEnd) {
      await setCancelAtPeriodEnd(stripe, subscriptionId, false);
    } else if (target === live.carriedPlan) {
      // Back to the higher plan the period is already paid for: no second charge for it.
      await changePlan(stripe, subscriptionId, target, false);
      await setCarriedPlan(db, company.id, null, null, now);
    } else if (PLAN_RANK[target] > PLAN_RANK[current]) {
      await changePlan(stripe, subscriptionId, target as Exclude<Plan, "free">, true);
    } else {
      // A smaller plan from the next period; the higher one stays until the paid period ends.
      await setCarriedPlan(db, company.id, current, live.currentPeriodEnd, now);
      await changePlan(stripe, subscriptionId, target as Exclude<Plan, "free">, false).catch(async (err: unknown) => {
        await setCarriedPlan(db, company.id, live.carriedPlan, live.carriedUntil, now);
        throw err;
      });
    }
    await audit("plan.change.requested");
    return c.redirect("/admin/plan?requested=1", 303);
  });
