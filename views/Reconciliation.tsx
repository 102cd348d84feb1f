import type { DifferenceRow, ReconciliationRow } from "../worker/stores/reconciliations";
import { formatMoney } from "../worker/billing/currency";
import { DIFFERENCE_LABELS } from "../worker/billing/reconciliation";
import { utcTime } from "../worker/format/utc";
import { CsrfField } from "./Layout";

// The admin's view of the nightly reconciliation with Stripe on the Revenue page: the latest
// days checked and, when the ledger and Stripe disagree, each difference with both sides' figures.
// Check today answers htmx with this card alone.

export type ReconciliationView = {
  runs: ReconciliationRow[];
  differences: DifferenceRow[];
  accountType: "solo" | "company";
};

const longDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
/** What a day's count counts: a company's charges; a solo's charges and payouts. */
const checked = (n: number, accountType: ReconciliationView["accountType"]) =>
  accountType === "solo" ? `${n} ${n === 1 ? "charge or payout" : "charges and payouts"}` : plural(n, "charge", "charges");

export function ReconciliationCard({ view }: { view: ReconciliationView }) {
  const [latest] = view.runs;
  const what = view.accountType === "solo" ? "charges, fees, refunds and payouts" : "charges, fees and refunds";
  const { accountType } = view;
  return (
    <section class="card reconciliation" id="reconciliation" aria-labelledby="reconciliation-title">
      <div class="reconciliation-head">
        <div>
          <h2 id="reconciliation-title">Reconciliation with Stripe</h2>
          <p class="muted small">
            Each night at 05:00 UTC, Parley checks the day's {what} in this ledger against Stripe's balance transactions. Anything that does not match is listed here.
          </p>
        </div>
        <form method="post" action="/revenue/reconcile" hx-post="/revenue/reconcile" hx-target="#reconciliation" hx-swap="outerHTML" hx-disabled-elt="find button">
          <CsrfField />
          <button type="submit" class="btn btn-ghost">
            Check today now
          </button>
        </form>
      </div>
      {latest ? <Verdict run={latest} accountType={accountType} /> : <p class="reconciliation-verdict">Not checked yet: the first check runs tonight, or check today now.</p>}
      {view.runs.length > 1 ? <Days runs={view.runs} accountType={accountType} /> : null}
      {view.differences.length ? <Differences rows={view.differences} /> : null}
    </section>
  );
}

function Verdict({ run, accountType }: { run: ReconciliationRow; accountType: ReconciliationView["accountType"] }) {
  const when = `${longDay(run.day)} · checked ${utcTime(run.checkedAt)} UTC`;
  if (run.error)
    return (
      <p class="reconciliation-verdict" role="status">
        <span class="badge badge-warn">Not finished</span> {when}. {run.error} It is tried again tonight.
      </p>
    );
  return (
    <p class="reconciliation-verdict" role="status">
      {run.differences ? <span class="badge badge-danger">{plural(run.differences, "difference", "differences")}</span> : <span class="badge badge-ok">Matches Stripe</span>} {when} ·{" "}
      {checked(run.compared, accountType)} checked
    </p>
  );
}

function Days({ runs, accountType }: { runs: ReconciliationRow[]; accountType: ReconciliationView["accountType"] }) {
  return (
    <ul class="reconciliation-days" aria-label="Days checked">
      {runs.map((r) => (
        <li data-day={r.day} class={r.error ? "is-unfinished" : r.differences ? "is-different" : "is-matching"}>
          <span class="reconciliation-day">{longDay(r.day)}</span>
          <span class="muted small">{r.error ? "not finished" : r.differences ? plural(r.differences, "difference", "differences") : `${checked(r.compared, accountType)}, all match`}</span>
        </li>
      ))}
    </ul>
  );
}

const money = (minor: number | null, currency: string) => (minor === null ? <span class="muted">none</span> : formatMoney(minor, currency));

function Differences({ rows }: { rows: DifferenceRow[] }) {
  return (
    <div class="table-scroll">
      <table class="table revenue-table" id="reconciliation-differences">
        <thead>
          <tr>
            <th>Day</th>
            <th>Difference</th>
            <th>Chat</th>
            <th class="num">Ledger</th>
            <th class="num">Stripe</th>
            <th>Stripe object</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr data-kind={d.kind}>
              <td class="nowrap">{d.day}</td>
              <td data-label="Difference">
                <strong>{DIFFERENCE_LABELS[d.kind]}</strong>
              </td>
              <td data-label="Chat">{d.chatId ? <code title={d.chatId}>{d.chatId.slice(0, 8)}</code> : <span class="muted">—</span>}</td>
              <td class="num" data-label="Ledger">
                {money(d.ledgerMinor, d.currency)}
              </td>
              <td class="num" data-label="Stripe">
                {money(d.stripeMinor, d.currency)}
              </td>
              <td data-label="Stripe object">{d.stripeObject ? <code class="reconciliation-object">{d.stripeObject}</code> : <span class="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.some((d) => d.kind === "dispute") ? (
        <p class="muted small reconciliation-legend">A dispute shows what Stripe took back (the disputed amount and its dispute fee) against what the ledger booked for it.</p>
      ) : null}
    </div>
  );
}
