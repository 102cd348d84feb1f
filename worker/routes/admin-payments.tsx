import { Hono, type Context } from "hono";
import { auditInsert } from "../stores/audit";
import type { SessionUser } from "../accounts/sessions";
import { openDb, type Db } from "../stores/db";
import { getPayoutDestination, listPayouts, savePayoutDestination } from "../stores/payouts";
import { createMiddleware } from "hono/factory";
import { stripeClient } from "../adapters/stripe";
import { accountOnboarding, createCompanyAccount, onboardingLink } from "../adapters/stripe-connect";
import type { AppEnv } from "../app-env";
import { connectState, type OnboardingOutcome } from "../billing/connect";
import { payoutForm } from "../billing/payout-method";
import { AppError, notFound } from "../http/errors";
import { formValidator, sentText, type FormPage } from "../http/form-validation";
import { requireAdmin, requireUser } from "../http/session";
import { runPayouts, type RunSummary } from "../jobs/payouts";
import type { Company } from "../accounts/company";
import { getCompany, markStripeAccountReady, saveStripeAccount } from "../stores/companies";
import { listRooms } from "../stores/rooms";
import { AdminPaymentsPage } from "../../views/AdminPayments";

// The admin's Payments page. A company connects its own Stripe account (Connect onboarding with
// Account Links) so customers' payments land there; a solo professional says where Parley pays
// out their 80 %. Only the company's administrator may do either.

const me = <E extends AppEnv>(c: Context<E>) => c.get("user") as SessionUser;

async function companyOf(db: Db, user: SessionUser): Promise<Company> {
  const company = await getCompany(db, user.companyId);
  if (!company) throw notFound("company");
  return company;
}

function stripeOf(c: Context<AppEnv>) {
  const stripe = stripeClient(c.env);
  if (!stripe) throw new AppError("unavailable", "Stripe is not configured on this server, so no account can be connected yet.");
  return stripe;
}


const OUTCOMES = new Set<string>(["ready", "in_review", "incomplete"] satisfies OnboardingOutcome[]);

async function renderPage<E extends AppEnv>(c: Context<E>, extra: { notice?: OnboardingOutcome | null; payoutValues?: Record<string, string>; errors?: Record<string, string>; saved?: boolean; run?: RunSummary | null } = {}) {
  const db = openDb(c.env.DB);
  const user = me(c);
  const company = await companyOf(db, user);
  const solo = company.accountType === "solo";
  const [rooms, payouts, destination] = await Promise.all([
    listRooms(db, company.id),
    solo ? listPayouts(db, company.id, null) : Promise.resolve([]),
    solo ? getPayoutDestination(db, user.id) : Promise.resolve(null),
  ]);
  return c.render(
    <AdminPaymentsPage
      company={company}
      state={connectState(company)}
      paidRooms={rooms.map((r) => r.room).filter((r) => r.chargingMode !== "none").map((r) => r.name)}
      stripeConfigured={!!stripeClient(c.env)}
      payouts={payouts}
      destination={destination}
      {...extra}
    />,
  );
}

type SoloEnv = AppEnv & { Variables: { company: Company } };

/** The admin's company, if a solo professional's: only theirs is paid out by Parley. */
const soloCompany = createMiddleware<SoloEnv>(async (c, next) => {
  const company = await companyOf(openDb(c.env.DB), me(c));
  if (company.accountType !== "solo") throw new AppError("bad_request", "A company is paid straight into its own Stripe account: connect it on this page.");
  c.set("company", company);
  await next();
});

const payoutAgain: FormPage<SoloEnv> = (c, sent, errors) =>
  renderPage(c, { payoutValues: { payoutMethod: sentText(sent, "payoutMethod") ?? "", payoutAccount: sentText(sent, "payoutAccount") ?? "" }, errors });

export const adminPaymentsRoutes = new Hono<AppEnv>()
  .use(requireUser, requireAdmin)
  .get("/", (c) => {
    const notice = c.req.query("onboarding") ?? "";
    const run = /^(\d+)-(\d+)-(\d+)-(\d+)$/.exec(c.req.query("run") ?? "");
    return renderPage(c, {
      notice: OUTCOMES.has(notice) ? (notice as OnboardingOutcome) : null,
      saved: c.req.query("saved") === "1",
      run: run ? { paid: Number(run[1]), failed: Number(run[2]), manual: Number(run[3]), pending: Number(run[4]) } : null,
    });
  })
  // "Connect with Stripe" / "Continue setup": the account is made once, then onboarding resumes.
  .post("/connect", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const company = await companyOf(db, user);
    // A solo's account only receives Stripe payouts: it is needed once Stripe is the chosen method.
    if (company.accountType === "solo" && (await getPayoutDestination(db, user.id))?.method !== "stripe")
      throw new AppError("bad_request", "Choose Stripe as your payout method first; the other methods need no Stripe account.");
    if (connectState(company) === "ready") return c.redirect("/admin/payments", 303);
    const stripe = stripeOf(c);
    let accountId = company.stripeAccountId;
    if (!accountId) {
      accountId = await createCompanyAccount(stripe, { id: company.id, name: company.name, email: company.contactEmail ?? user.email, accountType: company.accountType });
      // Stored before the admin leaves for Stripe, so the return and the webhooks find the company.
      await db.batch([
        saveStripeAccount(db, company.id, accountId),
        auditInsert(db, { companyId: company.id, userId: user.id, action: "stripe.account.created", subject: accountId }),
      ]);
    }
    return c.redirect(await onboardingLink(stripe, accountId, new URL(c.req.url).origin), 303);
  })
  // Stripe sends the admin here when a link expired or was used: a fresh link, as Stripe advises.
  .get("/refresh", async (c) => {
    const db = openDb(c.env.DB);
    const company = await companyOf(db, me(c));
    if (!company.stripeAccountId || company.stripeAccountReady) return c.redirect("/admin/payments", 303);
    return c.redirect(await onboardingLink(stripeOf(c), company.stripeAccountId, new URL(c.req.url).origin), 303);
  })
  // Back from onboarding. Returning says nothing about whether it was finished: ask Stripe.
  .get("/return", async (c) => {
    const db = openDb(c.env.DB);
    const company = await companyOf(db, me(c));
    if (!company.stripeAccountId) return c.redirect("/admin/payments", 303);
    const outcome = await accountOnboarding(stripeOf(c), company.stripeAccountId, company.accountType);
    await markStripeAccountReady(db, company.id, outcome === "ready");
    return c.redirect(`/admin/payments?onboarding=${outcome}`, 303);
  })
  .post("/payout", soloCompany, formValidator(payoutForm, payoutAgain), async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const destination = c.req.valid("form");
    await db.batch([
      savePayoutDestination(db, user.id, destination),
      auditInsert(db, { companyId: c.var.company.id, userId: user.id, action: "payout.destination.changed", subject: destination.payoutMethod }),
    ]);
    return c.redirect("/admin/payments?saved=1", 303);
  })
  // "Pay out now": the solo's due payouts (and those refused before) without waiting for the daily run.
  .post("/payouts/run", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const company = await companyOf(db, user);
    if (company.accountType !== "solo") throw new AppError("bad_request", "A company is paid straight into its own Stripe account; there is nothing for Parley to pay out.");
    const summary = await runPayouts(c.env, Date.now(), company.id);
    await auditInsert(db, { companyId: company.id, userId: user.id, action: "payout.run", detail: summary }).run();
    return c.redirect(`/admin/payments?run=${summary.paid}-${summary.failed}-${summary.manual}-${summary.pending}#payout-list-title`, 303);
  });
