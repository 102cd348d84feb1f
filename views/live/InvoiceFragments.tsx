import { tryAnotherCard } from "../../worker/billing/card-failures";
import { formatMoney } from "../../worker/billing/currency";
import { INVOICE_CURRENCIES, INVOICE_KINDS, MAX_DESCRIPTION, MAX_SERVICE_MINUTES, durationText, type InvoiceErrors, type InvoiceValues } from "../../worker/billing/invoice";
import { hoursMinutesSeconds } from "../../worker/format/clock";
import type { Invoice, InvoicesView } from "../../worker/live/chat-views";
import { INVOICE_TEST_CARDS } from "../../worker/billing/test-cards";
import { toHtml } from "./render";

// Manual payment requests in a chat (spec: Business Revenue — Manual Payment Request): the agent's
// credit-card button and invoice form, the customer's invoice with Pay Now, the receipt, and the
// countdown of the service time bought. The ChatDO renders one panel per party and sends it.

const money = (i: Invoice) => formatMoney(i.terms.amountMinor, i.terms.currency);

function CardIcon() {
  return (
    <svg class="icon" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <rect x="2" y="5" width="20" height="14" rx="2" />
      <path d="M2 10h20M6 15h4" />
    </svg>
  );
}

export function Terms({ invoice }: { invoice: Invoice }) {
  const t = invoice.terms;
  return (
    <dl class="invoice-terms">
      <div>
        <dt>{INVOICE_KINDS[t.kind]}</dt>
        <dd class="invoice-description">{t.description}</dd>
      </div>
      {t.durationSeconds ? (
        <div>
          <dt>Duration</dt>
          <dd>{durationText(t.durationSeconds)}</dd>
        </div>
      ) : null}
      <div>
        <dt>Amount</dt>
        <dd class="invoice-amount">{money(invoice)}</dd>
      </div>
    </dl>
  );
}

function InvoiceForm({ chatId, values, errors, open }: { chatId: string; values: InvoiceValues; errors: InvoiceErrors; open: boolean }) {
  const id = (name: string) => `invoice-${name}-${chatId}`;
  const field = (name: keyof InvoiceValues) => (errors[name] ? "field has-error" : "field");
  const error = (name: keyof InvoiceValues) =>
    errors[name] ? (
      <p class="error" id={`${id(name)}-error`} role="alert">
        {errors[name]}
      </p>
    ) : null;
  return (
    <details class="invoice-request" open={open}>
      <summary class="btn btn-ghost btn-small credit-card-button">
        <CardIcon /> Payment request
      </summary>
      <form ws-send class="invoice-form stack">
        <input type="hidden" name="type" value="invoice" />
        <fieldset class={errors.kind ? "field has-error" : "field"}>
          <legend>Type of payment</legend>
          <div class="invoice-kinds">
            {(["service", "goods"] as const).map((kind) => (
              <label class="choice-card">
                <span class="check">
                  <input type="radio" name="kind" value={kind} checked={values.kind === kind} />
                  <strong>{INVOICE_KINDS[kind]}</strong>
                </span>
              </label>
            ))}
          </div>
          {error("kind")}
        </fieldset>
        <div class={field("description")}>
          <label for={id("description")}>Description</label>
          <input id={id("description")} name="description" type="text" value={values.description} maxlength={MAX_DESCRIPTION} placeholder="e.g. 30-minute consultation" />
          {error("description")}
        </div>
        <div class="invoice-money">
          <div class={field("amount")}>
            <label for={id("amount")}>Amount</label>
            <input id={id("amount")} name="amount" type="text" inputmode="decimal" value={values.amount} placeholder="50.00" />
            {error("amount")}
          </div>
          <div class={field("currency")}>
            <label for={id("currency")}>Currency</label>
            <select id={id("currency")} name="currency">
              {INVOICE_CURRENCIES.map((c) => (
                <option value={c} selected={values.currency === c}>
                  {c}
                </option>
              ))}
            </select>
            {error("currency")}
          </div>
          <div class={field("minutes")}>
            <label for={id("minutes")}>Duration (minutes)</label>
            <input id={id("minutes")} name="minutes" type="text" inputmode="numeric" value={values.minutes} placeholder="30" />
            {errors.minutes ? error("minutes") : <p class="hint">For a service: the time bought, 1 to {MAX_SERVICE_MINUTES}.</p>}
          </div>
        </div>
        <button type="submit" class="btn btn-primary">
          Send to customer
        </button>
      </form>
    </details>
  );
}

function ServiceButton({ invoice, action, label, primary }: { invoice: Invoice; action: "start" | "finish"; label: string; primary?: boolean }) {
  return (
    <form ws-send class="inline">
      <input type="hidden" name="type" value="service" />
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="invoice" value={String(invoice.n)} />
      <button type="submit" class={primary ? "btn btn-small btn-primary" : "btn btn-small btn-ghost"}>
        {label}
      </button>
    </form>
  );
}

function Countdown({ seconds, running }: { seconds: number; running: boolean }) {
  return (
    <p class={running ? "service-clock running" : "service-clock"}>
      <span class="service-clock-label">{running ? "Time left" : "Session time"}</span>
      <span class="service-clock-time" data-controller={running ? "countdown" : undefined} data-countdown-seconds-value={running ? String(seconds) : undefined}>
        {hoursMinutesSeconds(seconds)}
      </span>
    </p>
  );
}

/** A paid invoice: the receipt, and where the service it paid for stands. */
function Receipt({ view, invoice }: { view: InvoicesView; invoice: Invoice }) {
  const agent = view.party === "agent";
  const clock = invoice.clock!;
  const service = invoice.terms.kind === "service";
  const paid = money(invoice);
  return (
    <div class="invoice-card paid">
      <p class="invoice-note ok">{agent ? `New revenue: ${paid} paid by ${view.customerName}.` : `Paid: ${paid}. A receipt is on its way${view.customerEmail ? ` to ${view.customerEmail}` : ""}.`}</p>
      <Terms invoice={invoice} />
      {service && clock.state !== "finished" ? <Countdown seconds={view.remainingSeconds ?? 0} running={clock.state === "running"} /> : null}
      <p class="invoice-note">
        {clock.state === "ready"
          ? agent
            ? service
              ? "Press Service Starts when you begin; the time bought counts down on both screens."
              : "Press Service Finished once the goods are settled."
            : service
              ? "The countdown starts when your agent begins the service."
              : "Thank you for your purchase."
          : clock.state === "running"
            ? "The service is under way."
            : clock.state === "spent"
              ? agent
                ? "The session time is up. The customer may buy another session."
                : "The session time is up. Buy another session to continue."
              : "Service finished."}
      </p>
      {view.live && agent && (clock.state === "ready" || clock.state === "running") ? (
        <div class="invoice-controls">
          {clock.state === "ready" && service ? <ServiceButton invoice={invoice} action="start" label="Service Starts" primary /> : null}
          <ServiceButton invoice={invoice} action="finish" label="Service Finished" />
        </div>
      ) : null}
      {view.live && !agent && service && clock.state === "spent" ? (
        <form ws-send class="invoice-controls">
          <input type="hidden" name="type" value="buyAgain" />
          <input type="hidden" name="invoice" value={String(invoice.n)} />
          <button type="submit" class="btn btn-primary">
            Buy another session · {paid}
          </button>
        </form>
      ) : null}
    </div>
  );
}

/** An invoice waiting for the customer: Pay Now (the Payment Element on a page of its own, or test cards here) on their screen, its progress on the agent's. */
function OpenInvoice({ view, invoice }: { view: InvoicesView; invoice: Invoice }) {
  if (view.party === "agent") {
    return (
      <div class="invoice-card open">
        <p class="invoice-note">
          {invoice.repeatOf ? `${view.customerName} asked for another session.` : "Payment request sent."}{" "}
          {invoice.authenticating ? "The customer is confirming the payment with their bank…" : "Waiting for the customer to pay."}
        </p>
        <Terms invoice={invoice} />
        {invoice.lastError ? <p class="invoice-note warn">The customer's card was not charged: {invoice.lastError}</p> : null}
      </div>
    );
  }
  if (!view.live) return null;
  return (
    <div class="invoice-card open">
      <h3>Payment request</h3>
      <Terms invoice={invoice} />
      {invoice.lastError ? (
        <p class="alert alert-error" role="alert">
          {tryAnotherCard(invoice.lastError)}
        </p>
      ) : null}
      {view.cardEntry === "payment_element" ? (
        <div class="stack">
          {view.testMode ? (
            <p class="test-banner" role="note">
              Test mode — no real card is charged.
            </p>
          ) : null}
          <a class="btn btn-primary btn-block pay-now" href={`/chats/${view.chatId}/invoices/${invoice.n}/pay`}>
            Pay Now · {money(invoice)}
          </a>
        </div>
      ) : view.cardEntry === "test_cards" ? (
        <form class="stack" hx-post={`/chats/${view.chatId}/invoices/${invoice.n}/pay`} hx-target={`#invoices-${view.chatId}`} hx-swap="outerHTML" hx-disabled-elt="find button">
          <p class="test-banner" role="note">
            Test mode — no real card is charged. Pick one of Stripe's test cards.
          </p>
          <fieldset class="cards">
            <legend>Card</legend>
            {INVOICE_TEST_CARDS.map((card, i) => (
              <label class="choice-card">
                <span class="check">
                  <input type="radio" name="paymentMethod" value={card.id} checked={i === 0} />
                  <strong>{card.label}</strong>
                </span>
                <span>{card.hint}</span>
              </label>
            ))}
          </fieldset>
          <button type="submit" class="btn btn-primary btn-block pay-now">
            Pay Now · {money(invoice)}
          </button>
        </form>
      ) : (
        <p class="alert alert-error">Card entry is not configured on this server, so this request cannot be paid here. Please ask your agent for another way to pay.</p>
      )}
      <p class="muted small">Your card details go to Stripe, never to the agent or Parley.</p>
    </div>
  );
}

function Panel({ view }: { view: InvoicesView }) {
  const latest = view.latest;
  return (
    <div id={`invoices-${view.chatId}`} class="invoice-panel">
      {latest?.status === "paid" ? <Receipt view={view} invoice={latest} /> : latest?.status === "open" ? <OpenInvoice view={view} invoice={latest} /> : null}
      {view.paidTotals.length > 1 || (view.paidTotals.length === 1 && latest?.status !== "paid") ? <p class="invoice-note muted">Paid in this chat: {view.paidTotals.join(" · ")}</p> : null}
      {view.form ? <InvoiceForm chatId={view.chatId} values={view.form.values} errors={view.form.errors} open={view.form.open} /> : null}
    </div>
  );
}

/** The panel of one party; an empty one (id kept) when there is nothing to show. */
export const invoicePanel = (chatId: string, view: InvoicesView | null) =>
  toHtml(view ? <Panel view={view} /> : <div id={`invoices-${chatId}`}></div>);

export { Panel as InvoicePanel };
