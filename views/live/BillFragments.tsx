import type { Child } from "hono/jsx";
import { formatMoney } from "../../worker/billing/currency";
import type { CardLabel } from "../../worker/billing/payment-state";
import { minutesSeconds } from "../../worker/format/clock";
import type { Bill } from "../../worker/live/chat-bill";
import type { ChatInit } from "../../worker/live/contracts";

// The end of a paid chat (spec: "Summary of charges and payment at the end of chat"): the
// figures both parties see, and the customer's receipt once the card is done with. Both show the
// bill worked out by billOf, with the Revenue page's rules, so no screen says more than another.

/** "14:02 UTC": the time of a charge (the customer's own time zone is not known here). */
const utcTime = (t: number) => `${new Date(t).toISOString().slice(11, 16)} UTC`;

/** "7 Dec 2026, 14:05 UTC". */
const utcDate = (t: number) => `${new Date(t).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" })}, ${utcTime(t)}`;

const BRANDS: Record<string, string> = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", discover: "Discover", diners: "Diners Club", jcb: "JCB", unionpay: "UnionPay" };

/** "Visa •••• 4242". */
export const cardName = (card: CardLabel) => `${BRANDS[card.brand] ?? card.brand.charAt(0).toUpperCase() + card.brand.slice(1)} •••• ${card.last4}`;

function Line({ label, value, kind, valueClass }: { label: Child; value: string; kind?: string; valueClass?: string }) {
  return (
    <div class={kind ? `bill-line ${kind}` : "bill-line"}>
      <dt>{label}</dt>
      <dd class={valueClass}>{value}</dd>
    </div>
  );
}

/** Chargeable time, what it costs, each charge of a split bill, what is paid and what is not. */
export function BillLines({ bill, currency }: { bill: Bill; currency: string }) {
  const money = (minor: number) => formatMoney(minor, currency);
  const s = bill.standing;
  return (
    <dl class="bill-lines">
      <Line label="Chargeable time" value={minutesSeconds(bill.seconds)} valueClass="meter-time" />
      <Line label="Charges" value={money(bill.amountMinor)} valueClass="meter-charges" />
      {bill.charges.map((c, i) => (
        <Line
          kind="bill-charge"
          label={
            <>
              Charge {i + 1}
              {c.at > 0 ? <span class="bill-when"> · {utcTime(c.at)}</span> : null}
            </>
          }
          value={money(c.amountMinor)}
        />
      ))}
      <Line kind="bill-total" label="Total paid" value={money(s.paidMinor)} valueClass="meter-paid" />
      {s.notChargedMinor ? <Line label="Below the card minimum, not charged" value={money(s.notChargedMinor)} /> : null}
      {s.abandonedMinor ? (
        <Line kind="bill-owed" label="Not paid" value={money(s.abandonedMinor)} valueClass="meter-unpaid" />
      ) : (
        <Line kind={s.outstandingMinor ? "bill-owed" : undefined} label="Outstanding" value={money(s.outstandingMinor)} valueClass="meter-outstanding" />
      )}
    </dl>
  );
}

/** The customer's end screen: who was paid, when, for what, on which card, and a reference to quote. */
export function Receipt({ init, bill, currency, children }: { init: ChatInit; bill: Bill; currency: string; children?: Child }) {
  const title = `receipt-${init.chatId}`;
  return (
    <section class="receipt" aria-labelledby={title}>
      <header class="receipt-head">
        <p class="receipt-kicker">Receipt</p>
        <h2 id={title}>{init.companyName}</h2>
        {bill.at ? (
          <p class="receipt-date">
            <time datetime={new Date(bill.at).toISOString()}>{utcDate(bill.at)}</time>
          </p>
        ) : null}
      </header>
      <BillLines bill={bill} currency={currency} />
      <dl class="bill-lines receipt-meta">
        {bill.card ? <Line label="Card" value={cardName(bill.card)} valueClass="receipt-card" /> : null}
        <div class="bill-line">
          <dt>Reference</dt>
          <dd class="receipt-ref">
            <code>{init.chatId}</code>
          </dd>
        </div>
      </dl>
      {children}
    </section>
  );
}
