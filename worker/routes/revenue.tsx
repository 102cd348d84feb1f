import { Hono, type Context } from "hono";
import type { SessionUser } from "../accounts/sessions";
import { openDb, type Db } from "../adapters/db";
import { getPayoutDestination, listPayouts } from "../adapters/payouts";
import { listCompanyPeople, listLedgerLines, listRevenueChats, type RevenueScope } from "../adapters/revenue";
import type { AppEnv } from "../app-env";
import { csvFilename, csvRows, parseRevenueFilters, periodRange, revenueCsv, revenueReport, type RevenueFilters } from "../billing/revenue";
import { notFound } from "../http/errors";
import { requireUser } from "../http/session";
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
    return c.render(<RevenuePage viewer={viewer} filters={filters} agents={choices} report={report} payouts={payouts} />);
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
