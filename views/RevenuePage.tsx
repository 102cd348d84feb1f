import type { Child } from "hono/jsx";
import { formatMoney } from "../worker/billing/currency";
import { PAYMENT_STATE_LABELS, type PaymentState, type Standing } from "../worker/billing/payment-state";
import { PERIODS, PERIOD_LABELS, filtersQuery, type ChatRow, type ReportTotal, type RevenueFilters, type RevenueReport } from "../worker/billing/revenue";
import type { PayoutDestination, PayoutRow } from "../worker/stores/payouts";
import { isoDay } from "../worker/billing/revenue";
import { utcTime } from "../worker/format/utc";
import { Icon } from "./Icon";
import { Layout } from "./Layout";
import { PayoutsCard } from "./Payouts";
import { ReconciliationCard, type ReconciliationView } from "./Reconciliation";
import { minutesSeconds } from "../worker/format/clock";

// Business Revenue (spec: Business Revenue Balance): totals per currency, per agent and per chat,
// a Refresh that swaps #revenue-results in place, and the CSV export of the same filters.

export type RevenueViewer = { isAdmin: boolean; accountType: "solo" | "company"; companyName: string };
export type AgentChoice = { id: string; name: string };

export function RevenuePage({
  viewer,
  filters,
  agents,
  report,
  error,
  payouts,
  reconciliation,
}: {
  viewer: RevenueViewer;
  filters: RevenueFilters;
  agents: AgentChoice[];
  report: RevenueReport | null;
  error?: string;
  /** Solo accounts: where Parley pays out, and the payouts. */
  payouts?: { list: PayoutRow[]; destination: PayoutDestination; canEdit: boolean } | null;
  /** Admins of a company paid through Stripe: the nightly check of the ledger against Stripe. */
  reconciliation?: ReconciliationView | null;
}) {
  const query = filtersQuery(filters);
  return (
    <Layout title="Business revenue">
      <div class="page-head">
        <div>
          <h1>Business revenue</h1>
          <p class="muted">
            {viewer.isAdmin
              ? `What ${viewer.companyName}'s customers paid, what the fees took, and what is yours.`
              : "What your customers paid for your chats, what the fees took, and what is left."}
          </p>
        </div>
        {report ? (
          <div class="actions">
            <button
              type="button"
              class="btn btn-ghost"
              hx-get={`/revenue?${query}`}
              hx-target="#revenue-results"
              hx-swap="outerHTML"
              hx-indicator="#revenue-results"
              hx-disabled-elt="this"
            >
              <Icon name="refresh" size={16} />
              Refresh
            </button>
            <a class="btn btn-primary" href={`/revenue.csv?${query}`} download>
              <Icon name="download" size={16} />
              Export CSV
            </a>
          </div>
        ) : null}
      </div>
      <Filters viewer={viewer} filters={filters} agents={agents} />
      {error ? (
        <div class="alert alert-error revenue-error" role="alert" id="revenue-results">
          {error}
        </div>
      ) : null}
      {report ? <RevenueResults report={report} viewer={viewer} filters={filters} /> : null}
      {reconciliation ? <ReconciliationCard view={reconciliation} /> : null}
      {payouts ? <PayoutsCard payouts={payouts.list} destination={payouts.destination} canEdit={payouts.canEdit} /> : null}
    </Layout>
  );
}

function Filters({ viewer, filters, agents }: { viewer: RevenueViewer; filters: RevenueFilters; agents: AgentChoice[] }) {
  return (
    <form class="card revenue-filters" method="get" action="/revenue" aria-label="Filters">
      <div class="field">
        <label for="revenue-period">Period</label>
        <select id="revenue-period" name="period">
          {PERIODS.map((p) => (
            <option value={p} selected={p === filters.period}>
              {PERIOD_LABELS[p]}
            </option>
          ))}
        </select>
      </div>
      {/* Shown only for custom dates (CSS :has); a preset period ignores them. */}
      <div class="field revenue-dates">
        <label for="revenue-from">From</label>
        <input type="date" id="revenue-from" name="from" value={filters.from ?? ""} />
      </div>
      <div class="field revenue-dates">
        <label for="revenue-to">To</label>
        <input type="date" id="revenue-to" name="to" value={filters.to ?? ""} />
      </div>
      {viewer.isAdmin ? (
        <div class="field">
          <label for="revenue-agent">Agent</label>
          <select id="revenue-agent" name="agent">
            <option value="">All agents</option>
            {agents.map((a) => (
              <option value={a.id} selected={a.id === filters.agentId}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <button type="submit" class="btn btn-ghost">
        Apply
      </button>
    </form>
  );
}

/** The part that Refresh replaces: answered alone to an htmx request. */
export function RevenueResults({ report, viewer, filters }: { report: RevenueReport; viewer: RevenueViewer; filters: RevenueFilters }) {
  const updated = new Date(report.generatedAt).toISOString().slice(11, 19);
  return (
    <section id="revenue-results" class="revenue-results" aria-live="polite">
      <p class="revenue-meta muted small">
        <span>{report.rangeLabel} (UTC)</span>
        <span>
          Updated <time datetime={new Date(report.generatedAt).toISOString()}>{updated}</time> UTC
        </span>
      </p>
      {report.totals.length || report.chats.length ? (
        <>
          {report.totals.map((t) => (
            <Totals total={t} viewer={viewer} several={report.totals.length > 1} />
          ))}
          {report.agents ? <AgentTable report={report} /> : null}
          <ChatTable report={report} viewer={viewer} />
        </>
      ) : (
        <Empty filters={filters} />
      )}
    </section>
  );
}

function Empty({ filters }: { filters: RevenueFilters }) {
  const wider = filters.period !== "all" ? `/revenue?${filtersQuery({ ...filters, period: "all" })}` : null;
  return (
    <div class="card empty revenue-empty">
      <h2>No paid chats {filters.period === "all" ? "yet" : "in this period"}</h2>
      <p>
        When a customer pays for a chat, it appears here: what they paid, Parley's fee, the card processing fee and the net revenue, per agent and per chat. Refresh
        to see a chat that was just charged.
      </p>
      {wider ? (
        <p>
          <a href={wider}>Show all time</a>
        </p>
      ) : null}
    </div>
  );
}

function Stat({ label, value, note, kind }: { label: string; value: string; note?: Child; kind?: "net" | "fee" | "owed" }) {
  return (
    <div class={kind ? `revenue-stat revenue-stat-${kind}` : "revenue-stat"}>
      <p class="revenue-stat-label">{label}</p>
      <p class="revenue-stat-value">{value}</p>
      {note ? <p class="revenue-stat-note">{note}</p> : null}
    </div>
  );
}

function Totals({ total, viewer, several }: { total: ReportTotal; viewer: RevenueViewer; several: boolean }) {
  const money = (minor: number) => formatMoney(minor, total.currency);
  const solo = viewer.accountType === "solo";
  return (
    <section class="revenue-totals" data-currency={total.currency} aria-label={`Totals in ${total.currency}`}>
      {several ? <h2 class="revenue-currency">{total.currency}</h2> : null}
      <div class="revenue-stats">
        <Stat label="Paid by customers" value={money(total.grossMinor)} note={`${total.chats} paid ${total.chats === 1 ? "chat" : "chats"}`} />
        <Stat label="Parley's fees" value={money(total.platformFeeMinor)} kind="fee" note={solo ? "20 % of each payment" : "10 % of services, 4 % of goods"} />
        <Stat label="Processing fees" value={money(total.processingFeeMinor)} kind="fee" note={solo ? "Paid by Parley on a Solo account" : "Stripe's card processing"} />
        {total.refundedMinor ? <Stat label="Refunded" value={money(total.refundedMinor)} kind="fee" note="Returned to customers" /> : null}
        {total.disputedMinor ? <Stat label="Disputed" value={money(total.disputedMinor)} kind="fee" note={`Taken back by card holders' banks, with ${money(total.disputeFeeMinor)} in dispute fees`} /> : null}
        <Stat label="Net revenue" value={money(total.netMinor)} kind="net" note={total.paidOutMinor ? `${money(total.paidOutMinor)} paid out so far` : "Yours after fees"} />
        {total.outstandingMinor ? (
          <Stat label="Outstanding" value={money(total.outstandingMinor)} kind="owed" note={`Owed by ${total.owingChats} ${total.owingChats === 1 ? "chat" : "chats"}, not paid yet`} />
        ) : null}
      </div>
      {total.unbalancedMinor !== 0 ? (
        <p class="alert alert-error" role="alert">
          The revenue ledger is out of balance by {money(total.unbalancedMinor)} in this period. Please tell Parley support.
        </p>
      ) : null}
    </section>
  );
}

function AgentTable({ report }: { report: RevenueReport }) {
  return (
    <section class="card revenue-table-card">
      <h2>By agent</h2>
      <div class="table-scroll">
        <table class="table revenue-table" id="revenue-agents">
          <thead>
            <tr>
              <th>Agent</th>
              <th class="num">Chats</th>
              <th class="num">Paid by customers</th>
              <th class="num">Parley fee</th>
              <th class="num">Processing</th>
              <th class="num">Net</th>
            </tr>
          </thead>
          <tbody>
            {report.agents!.map((a) => (
              <tr data-agent={a.email ?? ""} data-currency={a.currency}>
                <td>
                  <strong>{a.name}</strong>
                  {a.email ? <div class="muted small">{a.email}</div> : null}
                </td>
                <td class="num" data-label="Chats">{a.chats}</td>
                <td class="num" data-label="Paid by customers">{formatMoney(a.grossMinor, a.currency)}</td>
                <td class="num muted" data-label="Parley fee">{formatMoney(a.platformFeeMinor, a.currency)}</td>
                <td class="num muted" data-label="Processing">{formatMoney(a.processingFeeMinor, a.currency)}</td>
                <td class="num" data-label="Net">
                  <strong>{formatMoney(a.netMinor, a.currency)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const STATE_BADGE: Record<PaymentState, string> = {
  paid: "badge badge-ok",
  part_paid: "badge badge-warn",
  payment_needed: "badge badge-danger",
  abandoned: "badge badge-danger",
  refunded: "badge badge-muted",
  part_refunded: "badge badge-warn",
  disputed: "badge badge-danger",
};

/** The chat's state, and the money that is not (or no longer) paid beside it. */
function ChatState({ row }: { row: ChatRow }) {
  const money = (minor: number) => formatMoney(minor, row.currency);
  const s: Standing = row.standing;
  const detail = [
    s.outstandingMinor ? `${money(s.outstandingMinor)} outstanding` : null,
    s.abandonedMinor ? `${money(s.abandonedMinor)} given up` : null,
    s.refundedMinor ? `${money(s.refundedMinor)} refunded` : null,
    s.notChargedMinor ? `${money(s.notChargedMinor)} below the card minimum` : null,
  ].filter((d) => d !== null);
  return (
    <>
      <span class={STATE_BADGE[s.state]}>{PAYMENT_STATE_LABELS[s.state]}</span>
      {detail.map((d) => (
        <div class="muted small revenue-owed">{d}</div>
      ))}
    </>
  );
}

function ChatTable({ report, viewer }: { report: RevenueReport; viewer: RevenueViewer }) {
  const showAgent = viewer.isAdmin;
  return (
    <section class="card revenue-table-card">
      <div class="revenue-table-head">
        <h2>Chats</h2>
        <p class="muted small">Newest first · times in UTC</p>
      </div>
      <div class="table-scroll">
        <table class="table revenue-table" id="revenue-chats">
          <thead>
            <tr>
              <th>Date</th>
              <th>Room</th>
              <th>Customer</th>
              {showAgent ? <th>Agent</th> : null}
              <th class="num">Time</th>
              <th class="num">Paid</th>
              <th class="num">Parley fee</th>
              <th class="num">Processing</th>
              <th class="num">Net</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {report.chats.map((c) => (
              <tr data-chat={c.chatId}>
                <td class="nowrap">
                  <time datetime={new Date(c.at).toISOString()} class="revenue-when">
                    <span>{isoDay(c.at)}</span>
                    <span class="muted small">{utcTime(c.at)}</span>
                  </time>
                </td>
                <td data-label="Room">
                  <span class="chip revenue-room" title={c.room}>
                    {c.room}
                  </span>
                </td>
                <td data-label="Customer">{c.customer ?? <span class="muted">Not given</span>}</td>
                {showAgent ? <td data-label="Agent">{c.agentName}</td> : null}
                <td class="num" data-label="Time" title="Chargeable time (minutes:seconds)">
                  {minutesSeconds(c.chargeableSeconds)}
                </td>
                <td class="num" data-label="Paid">{formatMoney(c.grossMinor, c.currency)}</td>
                <td class="num muted" data-label="Parley fee">{formatMoney(c.platformFeeMinor, c.currency)}</td>
                <td class="num muted" data-label="Processing">{formatMoney(c.processingFeeMinor, c.currency)}</td>
                <td class="num" data-label="Net">
                  <strong>{formatMoney(c.netMinor, c.currency)}</strong>
                </td>
                <td data-label="Status" data-state={c.standing.state}>
                  <ChatState row={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report.chatCount > report.chats.length ? (
        <p class="muted small revenue-more">
          Showing the newest {report.chats.length} of {report.chatCount} chats; the totals above and the CSV export include them all.
        </p>
      ) : null}
    </section>
  );
}
