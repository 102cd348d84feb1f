import { Hono, type Context } from "hono";
import type { SessionUser } from "../accounts/sessions";
import { openDb, type Db } from "../stores/db";
import { getPayoutDestination, listPayouts } from "../stores/payouts";
import { recentReconciliations } from "../stores/reconciliations";
import { listCompanyPeople, listLedgerLines, listRevenueChats, type RevenueScope } from "../stores/revenue";
import { stripeClient } from "../adapters/stripe";
import type { AppEnv } from "../app-env";
import { csvFilename, csvRows, isoDay, parseRevenueFilters, periodRange, revenueCsv, revenueReport, type RevenueFilters } from "../billing/revenue";
import { AppError, notFound } from "../http/errors";
import { fragment } from "../http/fragment";
import { requireAdmin, requireUser } from "../http/session";
import { reconcileCompany } from "../jobs/reconcile";
import { getCompany } from "../stores/companies";
import { ReconciliationCard, type ReconciliationView } from "../../views/Reconciliation";
import { RevenuePage, RevenueResults, type RevenueViewer } from "../../views/RevenuePage";

// Business Revenue: an admin sees the whole company, anyone else only the chats they served
// (ledger lines with their agent id). The page and its CSV share the filters and the scope.
// Mounted at "/" because the export is /revenue.csv, a sibling of /revenue rather than a child.

/** The page lists this many chats; the totals and the CSV always cover every chat in scope. */
const CHAT_LIMIT = 200;

const me = (c: Context<AppEnv>) => c.get("user") as SessionUser;

const viewerOf = (user: SessionUser): RevenueViewer => ({ isAdmin: user.isAdmin, accountType: user.accountType, companyName: user.companyName });

/**
 * Whose money the reader may see. An agent id outside the company, or any agent but oneself
 * for a non-admin, is answered as not found: it says nothing about who exists elsewhere.
 */
async function scopeFor(db: Db, user: SessionUser, filters: RevenueFilters, now: number) {
  const people = await listCompanyPeople(db, user.companyId);
  if (filters.agentId && (!people.some((p) => p.id === filters.agentId) || (!user.isAdmin && filters.agentId !== user.id))) throw notFound("agent");
  const scope: RevenueScope = { companyId: user.companyId, agentId: user.isAdmin ? (filters.agentId ?? null) : user.id, range: periodRange(filters, now) };
  return { scope, people };
}

// Revenue is private and changes with every paid chat: never from a cache.
const PRIVATE = "private, no-store";

/**
 * The admin's reconciliation card, for a company whose payments go through Stripe: its own
 * connected account, or Parley's for a solo. Null for anyone else, or without Stripe.
 */
async function reconciliationFor(c: Context<AppEnv>, db: Db, user: SessionUser): Promise<ReconciliationView | null> {
  if (!user.isAdmin || !stripeClient(c.env)) return null;
  const company = await getCompany(db, user.companyId);
  if (!company || (company.accountType === "company" && !company.stripeAccountId)) return null;
  return { ...(await recentReconciliations(db, company.id)), accountType: company.accountType };
}

export const revenueRoutes = new Hono<AppEnv>()
  .get("/revenue", requireUser, async (c) => {
    const user = me(c);
    const viewer = viewerOf(user);
    const fragment = !!c.req.header("hx-request");
    c.header("Vary", "HX-Request");
    c.header("Cache-Control", PRIVATE);
    const db = openDb(c.env.DB);
    const parsed = parseRevenueFilters(c.req.query());
    if (!parsed.ok) {
      c.status(400);
      if (fragment) return c.text(parsed.message);
      const people = user.isAdmin ? await listCompanyPeople(db, user.companyId) : [];
      return c.render(<RevenuePage viewer={viewer} filters={parsed.filters} agents={people.filter((p) => p.isAgent)} report={null} error={parsed.message} />);
    }
    const { filters } = parsed;
    const now = Date.now();
    const { scope, people } = await scopeFor(db, user, filters, now);
    const [lines, chats] = await Promise.all([listLedgerLines(db, scope), listRevenueChats(db, scope)]);
    const report = revenueReport(lines, chats, people, { generatedAt: now, range: scope.range, showAgents: user.isAdmin, chatLimit: CHAT_LIMIT });
    if (fragment) return c.html(<RevenueResults report={report} viewer={viewer} filters={filters} />);
    const choices = people.filter((p) => p.isAgent || p.id === filters.agentId);
    // A solo professional is paid out by Parley: where to, and each payout's state.
    const payouts =
      user.accountType === "solo"
        ? { list: await listPayouts(db, user.companyId, user.isAdmin ? null : user.id), destination: await getPayoutDestination(db, user.id), canEdit: user.isAdmin }
        : null;
    const reconciliation = await reconciliationFor(c, db, user);
    return c.render(<RevenuePage viewer={viewer} filters={filters} agents={choices} report={report} payouts={payouts} reconciliation={reconciliation} />);
  })
  // "Check today now": today's ledger so far against Stripe, without waiting for the night.
  .post("/revenue/reconcile", requireUser, requireAdmin, async (c) => {
    const user = me(c);
    const db = openDb(c.env.DB);
    const stripe = stripeClient(c.env);
    const company = await getCompany(db, user.companyId);
    if (!stripe) throw new AppError("unavailable", "Stripe is not configured on this server, so there is nothing to reconcile with.");
    if (!company || (company.accountType === "company" && !company.stripeAccountId))
      throw new AppError("bad_request", "Connect your Stripe account on the Payments page first: there is nothing to reconcile yet.");
    const now = Date.now();
    await reconcileCompany(db, stripe, company, isoDay(now), now);
    c.header("Cache-Control", PRIVATE);
    if (!c.req.header("hx-request")) return c.redirect("/revenue#reconciliation", 303);
    return fragment(c, <ReconciliationCard view={(await reconciliationFor(c, db, user))!} />);
  })
  .get("/revenue.csv", requireUser, async (c) => {
    const user = me(c);
    c.header("Cache-Control", PRIVATE);
    const parsed = parseRevenueFilters(c.req.query());
    if (!parsed.ok) return c.text(parsed.message, 400);
    const db = openDb(c.env.DB);
    const now = Date.now();
    const { scope, people } = await scopeFor(db, user, parsed.filters, now);
    const [lines, chats] = await Promise.all([listLedgerLines(db, scope), listRevenueChats(db, scope)]);
    return c.body(revenueCsv(csvRows(lines, chats, people)), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${csvFilename(now)}"`,
    });
  });
