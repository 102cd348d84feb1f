import { formatMoney } from "../worker/billing/currency";
import { PAYOUT_METHOD_LABELS } from "../worker/billing/payout-method";
import { payoutNote } from "../worker/billing/payouts";
import type { PayoutDestination, PayoutRow } from "../worker/stores/payouts";
import { isoDay } from "../worker/billing/revenue";

// A solo professional's payouts: where Parley sends the 80 % and the state of each one. Shown on
// the admin's Payments page and on the Business Revenue page.

const STATE = {
  scheduled: { label: "Scheduled", badge: "badge badge-muted" },
  sending: { label: "Sending", badge: "badge badge-warn" },
  paid: { label: "Paid out", badge: "badge badge-ok" },
  failed: { label: "Failed", badge: "badge badge-danger" },
  manual: { label: "Due — paid by hand", badge: "badge badge-warn" },
} as const;

export function PayoutDestinationLine({ destination, canEdit }: { destination: PayoutDestination; canEdit: boolean }) {
  if (!destination)
    return (
      <p class="alert alert-warn payout-missing" role="status">
        <strong>Where should we pay you?</strong> Parley pays out your 80 % within 5 business days of each paid chat.{" "}
        {canEdit ? <a href="/admin/payments#payouts">Choose your payout method</a> : "Ask your administrator to choose a payout method."}
      </p>
    );
  return (
    <p class="payout-destination">
      Paid out to <strong>{PAYOUT_METHOD_LABELS[destination.method]}</strong> · <span class="muted">{destination.account}</span>
      {canEdit ? (
        <>
          {" "}
          · <a href="/admin/payments#payouts">Change</a>
        </>
      ) : null}
    </p>
  );
}

export function PayoutTable({ payouts }: { payouts: PayoutRow[] }) {
  if (!payouts.length) return <p class="muted small payout-none">No payouts yet: each paid chat schedules one.</p>;
  return (
    <div class="table-scroll">
      <table class="table payout-table" id="payouts-table">
        <thead>
          <tr>
            <th>Due</th>
            <th class="num">Amount</th>
            <th>Method</th>
            <th>State</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {payouts.map((p) => (
            <tr data-payout={p.id}>
              <td class="nowrap">{isoDay(p.dueAt)}</td>
              <td class="num nowrap">{formatMoney(p.amountMinor, p.currency)}</td>
              <td>{PAYOUT_METHOD_LABELS[p.method]}</td>
              <td class="nowrap">
                <span class={STATE[p.state].badge}>{STATE[p.state].label}</span>
              </td>
              <td class={p.state === "failed" ? "payout-note payout-failure" : "payout-note muted small"}>
                {payoutNote(p)}
                {p.paidAt ? <span class="muted small"> · {isoDay(p.paidAt)}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The Payouts card of the revenue page. */
export function PayoutsCard({ payouts, destination, canEdit }: { payouts: PayoutRow[]; destination: PayoutDestination; canEdit: boolean }) {
  return (
    <section class="card payouts-card" aria-labelledby="payouts-title">
      <h2 id="payouts-title">Payouts</h2>
      <PayoutDestinationLine destination={destination} canEdit={canEdit} />
      <PayoutTable payouts={payouts} />
    </section>
  );
}
