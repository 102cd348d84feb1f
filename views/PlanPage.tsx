import type { Company, Plan } from "../worker/accounts/company";
import { PLAN_LIMITS, PLAN_RANK } from "../worker/accounts/plan-limits";
import type { EntitlementUsage } from "../worker/accounts/entitlement";
import type { PlanStanding } from "../worker/accounts/subscription";
import { formatMoney } from "../worker/billing/currency";
import { utcDateTime, utcLongDate } from "../worker/format/utc";
import { FormAlert } from "./Form";
import { CsrfField, Layout } from "./Layout";

// The admin's Plan page: the plan now, the entitlement used, and the move to another plan. A paid
// plan starts on Stripe Checkout and applies once Stripe says the subscription is paid.

/** Back from Checkout (done or cancelled), or a change Stripe has yet to confirm. */
export type PlanNotice = "checkout-done" | "checkout-cancelled" | "requested" | null;

type Props = {
  company: Company;
  /** The company's entitlement this month. */
  usage: EntitlementUsage;
  standing: PlanStanding;
  heldMail: number;
  notice: PlanNotice;
  stripeConfigured: boolean;
  error?: string;
};

const PLANS: Plan[] = ["free", "pro", "enterprise"];

const day = (t: number | null) => (t === null ? "the end of the period" : `${utcDateTime(t).slice(0, 10)}`);

/** What one plan gives, in words. */
function features(plan: Plan): string[] {
  const limits = PLAN_LIMITS[plan];
  return [
    `${limits.entitlementQuota.toLocaleString("en")} chats and emails a month (company entitlements)`,
    limits.rooms === 1 ? "The GENERAL chat room only" : `Up to ${limits.rooms} chat rooms${limits.paidRooms ? ", paid rooms included" : ""}`,
    limits.nearestAgent ? "Nearest-agent routing by the customer's location" : "Routing by quickest reply",
    "In-app payments (Parley's fee on each payment)",
  ];
}

/** `onPlanPage`: the page with the buttons itself, rather than a link to it. */
export function StandingAlert({ standing, onPlanPage = false }: { standing: PlanStanding; onPlanPage?: boolean }) {
  switch (standing.kind) {
    case "grace":
      return (
        <div class="alert alert-warn plan-alert" role="alert" id="plan-grace">
          <strong>Your last payment for {PLAN_LIMITS[standing.plan].name} failed.</strong> Stripe is trying your card again. The plan stays until{" "}
          {utcDateTime(standing.until)} UTC; if no payment succeeds by then, your company falls back to Forever Free.{" "}
          {onPlanPage ? "To pay with another card, press Pay with another card below." : <a href="/admin/plan">Pay with another card on the Plan page.</a>}
        </div>
      );
    case "ending":
      return (
        <div class="alert alert-warn plan-alert" role="status" id="plan-ending">
          <strong>{PLAN_LIMITS[standing.plan].name} ends on {day(standing.endsAt)}.</strong> Your company is on Forever Free after that.
        </div>
      );
    case "downgrading":
      return (
        <div class="alert alert-warn plan-alert" role="status" id="plan-downgrading">
          <strong>
            {PLAN_LIMITS[standing.plan].name} until {day(standing.at)},
          </strong>{" "}
          already paid for; {PLAN_LIMITS[standing.to].name} from then on.
        </div>
      );
    default:
      return null;
  }
}

function Notice({ notice, standing }: { notice: PlanNotice; standing: PlanStanding }) {
  if (notice === "checkout-cancelled")
    return (
      <div class="alert plan-alert" role="status">
        Checkout was cancelled: nothing was charged, and your plan is unchanged.
      </div>
    );
  const waiting = notice === "checkout-done" ? standing.kind === "free" || standing.kind === "pending" : notice === "requested";
  if (!waiting) return null;
  return (
    <div class="alert alert-ok plan-alert" role="status" id="plan-confirming">
      <strong>Stripe is confirming {notice === "checkout-done" ? "your payment" : "the change"}.</strong> The plan changes as soon as Stripe does, usually within
      seconds: reload this page to see it.
    </div>
  );
}

/** The button of one plan's card, by how it relates to the plan now. */
function PlanAction({ plan, standing, stripeConfigured }: { plan: Plan; standing: PlanStanding; stripeConfigured: boolean }) {
  const current = standing.kind === "free" ? "free" : standing.plan;
  const name = PLAN_LIMITS[plan].name;
  if (standing.kind === "complimentary")
    return plan === current ? <p class="small muted plan-current">Your plan, given by Parley</p> : null;
  if (standing.kind === "grace" && plan === current) return <ChangeButton plan={plan} label="Pay with another card" primary stripeConfigured={stripeConfigured} />;
  if (standing.kind === "grace" && plan === "free") return <ChangeButton plan={plan} label="Back to Forever Free now" primary={false} stripeConfigured={stripeConfigured} />;
  // Already the plan, and staying on it.
  const ending = standing.kind === "ending";
  const downgradingTo = standing.kind === "downgrading" ? standing.to : null;
  if (plan === current && !ending && !downgradingTo) return <p class="small muted plan-current">Your plan</p>;
  if (plan === downgradingTo) return <p class="small muted plan-current">From {day(standing.kind === "downgrading" ? standing.at : null)}</p>;
  if (ending && plan === "free") return <p class="small muted plan-current">From {day(standing.endsAt)}</p>;
  const label =
    (ending || downgradingTo) && plan === current
      ? `Keep ${name}`
      : plan === "free"
        ? "Back to Forever Free at period end"
        : PLAN_RANK[plan] > PLAN_RANK[current]
          ? `Upgrade to ${name}`
          : `Move to ${name} at period end`;
  return <ChangeButton plan={plan} label={label} primary={PLAN_RANK[plan] > PLAN_RANK[current] || label.startsWith("Keep")} stripeConfigured={stripeConfigured} />;
}

function ChangeButton({ plan, label, primary, stripeConfigured }: { plan: Plan; label: string; primary: boolean; stripeConfigured: boolean }) {
  return (
    <form method="post" action="/admin/plan" class="plan-action">
      <CsrfField />
      <input type="hidden" name="plan" value={plan} />
      <button type="submit" class={primary ? "btn btn-primary btn-block" : "btn btn-ghost btn-block"} disabled={!stripeConfigured}>
        {label}
      </button>
    </form>
  );
}

export function PlanPage({ company, usage, standing, heldMail, notice, stripeConfigured, error }: Props) {
  const current = standing.kind === "free" ? "free" : standing.plan;
  const { used, chats, emails, quota, usedUp, resetsAt } = usage;
  const pct = Math.min(100, Math.round((used / Math.max(1, quota)) * 100));
  return (
    <Layout title="Plan">
      <div class="page-head">
        <div>
          <h1>Plan</h1>
          <p class="muted">What {company.name} may use, and what it costs.</p>
        </div>
      </div>
      <FormAlert message={error} />
      <Notice notice={notice} standing={standing} />
      <StandingAlert standing={standing} onPlanPage />

      <section class="card plan-now" aria-labelledby="plan-now-title">
        <h2 id="plan-now-title">
          {PLAN_LIMITS[current].name} <span class="badge">{standing.kind === "complimentary" ? "Complimentary" : "Current plan"}</span>
        </h2>
        <p class="entitlement-figure" id="plan-entitlement">
          <strong>{used.toLocaleString("en")}</strong> of {quota.toLocaleString("en")} chats and emails used this month
        </p>
        <div class="meter" role="progressbar" aria-label="Company entitlements used this month" aria-valuemin={0} aria-valuemax={quota} aria-valuenow={used}>
          <span style={`width:${pct}%`}></span>
        </div>
        <p class="small muted">
          {chats.toLocaleString("en")} chats · {emails.toLocaleString("en")} emails
          {heldMail ? (
            <>
              {" "}
              · <a href="/admin/mail">{heldMail === 1 ? "1 email held" : `${heldMail} emails held`}</a>{" "}
              {usedUp ? `until the entitlement is raised or the month ends` : "going out within minutes"}
            </>
          ) : null}
        </p>
        <p class="small muted" id="plan-entitlement-resets">
          The count starts again at 0 on {utcLongDate(resetsAt)}, 00:00&nbsp;UTC, on every plan.
        </p>
        {standing.kind === "active" && standing.renewsAt ? <p class="small muted">Renews on {day(standing.renewsAt)}; Stripe charges your card each month.</p> : null}
      </section>

      <section class="plan-grid" aria-label="Plans">
        {PLANS.map((plan) => {
          const limits = PLAN_LIMITS[plan];
          return (
            <article class={plan === current ? "card plan-card is-current" : "card plan-card"} data-plan={plan}>
              <h2>{limits.name}</h2>
              <p class="plan-price">
                {limits.priceMinor ? (
                  <>
                    <strong>{formatMoney(limits.priceMinor, limits.currency)}</strong> <span class="muted">per month</span>
                  </>
                ) : (
                  <strong>Free</strong>
                )}
              </p>
              <ul class="plan-features">
                {features(plan).map((f) => (
                  <li>{f}</li>
                ))}
              </ul>
              <PlanAction plan={plan} standing={standing} stripeConfigured={stripeConfigured} />
            </article>
          );
        })}
      </section>
      <p class="small muted">
        Paid plans are billed monthly by Stripe. An upgrade applies as soon as Stripe confirms the payment, the rest of the month charged at once; a move to a
        smaller plan or back to Forever Free applies when the month already paid for ends. If a renewal fails, the plan stays for 7 days while Stripe retries.
        {stripeConfigured ? null : " Stripe is not configured on this server yet (STRIPE_SECRET_KEY), so the plan cannot be changed."}
      </p>
    </Layout>
  );
}
