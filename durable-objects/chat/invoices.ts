import { cardEntry, stripeClient, stripeTestMode } from "../../worker/adapters/stripe";
import { cancelInvoicePayment, confirmInvoicePayment, createInvoicePayment, invoiceIntentOf, readInvoicePayment, type InvoicePayment } from "../../worker/adapters/stripe-invoice-payments";
import { formatMoney } from "../../worker/billing/currency";
import {
  applicationFeeMinor,
  expireClock,
  finishClock,
  invoiceValues,
  parseInvoice,
  readyClock,
  remainingSeconds,
  startClock,
  type InvoiceErrors,
  type InvoiceTerms,
  type InvoiceValues,
} from "../../worker/billing/invoice";
import type { AccountType } from "../../worker/billing/fees";
import type { StripeCharge } from "../../worker/billing/fee-correction";
import { PARTIES, type Party } from "../../worker/live/contracts";
import type { Invoice, InvoicesView } from "../../worker/live/chat-views";
import type { ChatMessage } from "../../worker/live/socket-messages";
import { invoiceChargeId, invoicingRights, recordInvoicePaid, saveInvoiceIssued, saveInvoicesWithdrawn } from "../../worker/stores/invoices";
import { paidChargeMailIds } from "../../worker/stores/charges";
import { enqueueMail } from "../../worker/adapters/mail-queue";
import { enqueueWebhooks } from "../../worker/adapters/webhook-queue";
import type { ChatHost } from "./host";
import type { Merchant } from "../../worker/billing/connect";

// Manual payment requests of one chat (spec: Business Revenue — Manual Payment Request), kept in
// the ChatDO's storage: the agent's invoices, the customer's payments, and the countdown of the
// service time bought. Each step is written before the Stripe call or the frame it leads to; the
// Stripe calls have keys derived from the chat and the invoice, so a retry never pays twice.


type Invoicing = { allowed: boolean; invoices: Invoice[] };


export type PayOutcome =
  | { status: "paid" | "failed" | "refused"; view: InvoicesView | null; message: string | null }
  | { status: "needs_action"; view: InvoicesView | null; redirectUrl: string | null; message: null };

type InvoiceMessage = Extract<ChatMessage, { type: "invoice" | "service" | "buyAgain" }>;


/** If writing a payment to D1 fails, the alarm tries again after this long. */
export const RECORD_RETRY_MS = 20_000;
export const DEADLINE_PREFIX = "invoice:";
/** Kept in the ChatDO's storage under this key. */
const STATE = "invoicing";
const clockDeadline = (n: number) => `${DEADLINE_PREFIX}clock:${n}`;
const recordDeadline = (n: number) => `${DEADLINE_PREFIX}record:${n}`;

// A second Pay Now while the first is with Stripe waits for it instead of confirming again.
const paying = new Map<string, Promise<PayOutcome>>();

export class ChatInvoices {
  constructor(private readonly host: ChatHost) {}

  private get chatId() {
    return this.host.init().chatId;
  }

  private state(): Invoicing {
    return this.host.kv.get<Invoicing>(STATE) ?? { allowed: false, invoices: [] };
  }

  private put(state: Invoicing): void {
    this.host.kv.put(STATE, state);
  }

  private connected(): boolean {
    return this.host.status() === "connected";
  }

  private agentId(): string | null {
    return this.host.agent()?.agentId ?? null;
  }

  private update(n: number, change: Partial<Invoice>): Invoice {
    const s = this.state();
    const invoices = s.invoices.map((i) => (i.n === n ? { ...i, ...change } : i));
    this.put({ ...s, invoices });
    return invoices.find((i) => i.n === n)!;
  }

  private find(n: number): Invoice | undefined {
    return this.state().invoices.find((i) => i.n === n);
  }

  private latest(): Invoice | null {
    return this.state().invoices.at(-1) ?? null;
  }

  /**
   * The agent's chat socket connected: may they send payment requests here (D1, read afresh)?
   * Never in a room without manual payment requests, which is known without asking D1.
   */
  async permit(agentId: string): Promise<void> {
    const { allowed } = this.host.init().manualPayments === false ? { allowed: false } : await invoicingRights(this.host.env.DB, this.chatId, agentId);
    const s = this.state();
    if (s.allowed !== allowed) this.put({ ...s, allowed });
  }

  /** What `party` sees; null when this chat has no payment requests and none can be sent. */
  view(party: Party, now: number, form?: { values: InvoiceValues; errors: InvoiceErrors }): InvoicesView | null {
    const s = this.state();
    const latest = this.latest();
    const live = this.connected();
    const canIssue = party === "agent" && s.allowed && live;
    if (!latest && !canIssue) return null;
    const totals = new Map<string, number>();
    for (const i of s.invoices) if (i.status === "paid") totals.set(i.terms.currency, (totals.get(i.terms.currency) ?? 0) + i.terms.amountMinor);
    const customer = this.host.init().customer;
    const defaults: InvoiceValues = latest ? invoiceValues(latest.terms) : { kind: "service", description: "", amount: "", currency: "EUR", minutes: "" };
    return {
      chatId: this.chatId,
      party,
      live,
      testMode: stripeTestMode(this.host.env),
      cardEntry: cardEntry(this.host.env),
      customerName: customer.name ?? "The customer",
      customerEmail: customer.email,
      latest,
      remainingSeconds: latest?.clock && latest.terms.durationSeconds ? remainingSeconds(latest.clock, now) : null,
      paidTotals: [...totals].map(([currency, amount]) => formatMoney(amount, currency)),
      form: canIssue ? { values: form?.values ?? defaults, errors: form?.errors ?? {}, open: !!form } : null,
    };
  }

  private broadcast(now: number): void {
    for (const party of PARTIES) this.host.send(party, { type: "invoices", view: this.view(party, now) });
  }

  /** The agent's invoice, Service Starts / Finished, and the customer's Buy another session. */
  async handle(ws: WebSocket, party: Party, message: InvoiceMessage, now: number): Promise<void> {
    const refuse = (text: string) => this.host.reply(ws, { type: "error", text });
    if (!this.connected()) return refuse("This chat is not connected.");
    switch (message.type) {
      case "invoice": {
        if (party !== "agent") return refuse("Only the agent can send a payment request.");
        const values: InvoiceValues = { kind: message.kind, description: message.description, amount: message.amount, currency: message.currency, minutes: message.minutes };
        const form = (errors: InvoiceErrors) => this.host.reply(ws, { type: "invoices", view: this.view("agent", now, { values, errors }) });
        const rights = await this.rights();
        if (!rights?.allowed) return refuse("Payment requests are not enabled for you in this room.");
        if (!stripeClient(this.host.env)) return form({ amount: "Card payments are not set up on this server." });
        if (cardEntry(this.host.env) === "not_configured") return form({ amount: "Card entry is not configured on this server (no Stripe publishable key), so the customer could not pay." });
        const parsed = parseInvoice(values);
        if (!parsed.ok) return form(parsed.errors);
        // Unpaid requests are replaced by the new one, but not while a card is with Stripe.
        const busy = this.state().invoices.some((i) => i.status === "open" && paying.has(`${this.chatId}:${i.n}`));
        if (busy) return form({ amount: "The customer is paying your last payment request; wait until they have finished." });
        await this.issue(parsed.terms, rights, null, now);
        return;
      }
      case "service": {
        const invoice = this.find(message.invoice);
        if (party !== "agent" || !invoice || invoice.n !== this.latest()?.n || invoice.status !== "paid" || !invoice.clock) {
          return refuse("There is no paid service to start or finish.");
        }
        if (message.action === "start") {
          if (invoice.terms.kind !== "service" || invoice.clock.state !== "ready") return refuse("This service cannot be started now.");
          const clock = startClock(invoice.clock, now);
          this.update(invoice.n, { clock });
          await this.host.setDeadline(clockDeadline(invoice.n), clock.endsAt!);
        } else {
          if (invoice.clock.state !== "ready" && invoice.clock.state !== "running") return refuse("This service is already over.");
          this.update(invoice.n, { clock: finishClock(invoice.clock) });
          this.host.clearDeadline(clockDeadline(invoice.n));
        }
        this.broadcast(now);
        return;
      }
      case "buyAgain": {
        const invoice = this.find(message.invoice);
        if (party !== "customer" || !invoice || invoice.n !== this.latest()?.n || invoice.clock?.state !== "spent") {
          return refuse("Another session can be bought once the session time is up.");
        }
        const rights = await this.rights();
        if (!rights?.allowed) return refuse("Your agent cannot take payments in this chat any more. Please ask them.");
        await this.issue(invoice.terms, rights, invoice.n, now);
        return;
      }
    }
  }

  private async rights() {
    const agentId = this.agentId();
    if (!agentId) return null;
    const rights = await invoicingRights(this.host.env.DB, this.chatId, agentId);
    const s = this.state();
    if (s.allowed !== rights.allowed) {
      this.put({ ...s, allowed: rights.allowed });
      this.broadcast(Date.now());
    }
    return rights;
  }

  /** Stores a new invoice (an unpaid earlier one is withdrawn), records it in D1, then shows it to both. */
  private async issue(terms: InvoiceTerms, rights: { account: AccountType; merchant: Merchant }, repeatOf: number | null, now: number): Promise<void> {
    const s = this.state();
    const withdrawn = s.invoices.filter((i) => i.status === "open").map((i) => i.n);
    const n = (s.invoices.at(-1)?.n ?? 0) + 1;
    const invoice: Invoice = {
      n,
      terms,
      account: rights.account,
      merchant: rights.merchant,
      status: "open",
      paymentIntentId: null,
      attempts: 0,
      authenticating: false,
      lastError: null,
      paidAt: null,
      recorded: false,
      clock: null,
      repeatOf,
    };
    this.put({ ...s, invoices: [...s.invoices.map((i) => (withdrawn.includes(i.n) ? { ...i, status: "withdrawn" as const } : i)), invoice] });
    await saveInvoiceIssued(this.host.env.DB, this.chatId, this.agentId()!, n, terms);
    await saveInvoicesWithdrawn(this.host.env.DB, this.chatId, withdrawn);
    this.broadcast(now);
    await this.cancelPayments(withdrawn);
  }

  /**
   * Withdrawn invoices can no longer be paid in a card page still open: their PaymentIntents are
   * canceled. One the customer paid first is recorded as paid (the money moved). A cancel that
   * fails is only logged: a payment that still goes through is recorded from Stripe's webhook.
   */
  private async cancelPayments(withdrawn: number[]): Promise<void> {
    const stripe = stripeClient(this.host.env);
    for (const n of withdrawn) {
      const invoice = this.find(n);
      if (!stripe || !invoice?.paymentIntentId) continue;
      try {
        const paidFirst = await cancelInvoicePayment(stripe, { chatId: this.chatId, n, paymentIntentId: invoice.paymentIntentId, merchant: invoice.merchant });
        if (paidFirst?.status === "paid") await this.apply(n, paidFirst);
      } catch (err) {
        console.error("canceling a withdrawn invoice's payment failed", this.chatId, n, err);
      }
    }
  }

  /** The customer's Pay Now with one card. */
  pay(n: number, paymentMethod: string, returnUrl: string): Promise<PayOutcome> {
    const key = `${this.chatId}:${n}`;
    const running = paying.get(key);
    if (running) return running;
    const result = this.payOnce(n, paymentMethod, returnUrl).finally(() => paying.delete(key));
    paying.set(key, result);
    return result;
  }

  private async payOnce(n: number, paymentMethod: string, returnUrl: string): Promise<PayOutcome> {
    const now = Date.now();
    let invoice = this.find(n);
    const refused = (message: string): PayOutcome => ({ status: "refused", view: this.view("customer", now), message });
    if (invoice?.status === "paid") return { status: "paid", view: this.view("customer", now), message: null };
    if (!invoice || invoice.status !== "open") return refused("This payment request is no longer open.");
    if (!this.connected()) return refused("This chat has ended.");
    const stripe = stripeClient(this.host.env);
    if (!stripe) return refused("Card payments are not set up on this server.");
    invoice = this.update(n, { attempts: invoice.attempts + 1, lastError: null });
    let result: InvoicePayment;
    try {
      if (!invoice.paymentIntentId) {
        const fee = applicationFeeMinor(invoice.terms, invoice.account, !!invoice.merchant.stripeAccount);
        const { paymentIntentId } = await createInvoicePayment(stripe, { chatId: this.chatId, n, terms: invoice.terms, applicationFeeMinor: fee, merchant: invoice.merchant });
        invoice = this.update(n, { paymentIntentId });
      }
      result = await confirmInvoicePayment(stripe, {
        chatId: this.chatId,
        n,
        paymentIntentId: invoice.paymentIntentId!,
        attempt: invoice.attempts,
        paymentMethod,
        returnUrl,
        merchant: invoice.merchant,
      });
    } catch (err) {
      console.error("paying an invoice failed", this.chatId, n, err);
      this.update(n, { lastError: "The payment could not be processed just now." });
      this.broadcast(Date.now());
      return { status: "failed", view: this.view("customer", Date.now()), message: "The payment could not be processed just now." };
    }
    return this.apply(n, result);
  }

  /**
   * Stripe's Payment Element: the invoice's PaymentIntent (made once, key `chat:{id}:invoice:{n}`,
   * on the company's account when it has one) and its client secret, for Stripe.js to confirm in
   * the customer's browser; every card tried confirms this same one. Null when the invoice cannot
   * be paid now.
   */
  async intent(n: number): Promise<{ invoice: Invoice; clientSecret: string } | null> {
    let invoice = this.find(n);
    const stripe = stripeClient(this.host.env);
    if (!invoice || invoice.status !== "open" || !this.connected() || !stripe) return null;
    if (invoice.paymentIntentId) return { invoice, clientSecret: (await invoiceIntentOf(stripe, invoice.paymentIntentId, invoice.merchant)).clientSecret };
    const fee = applicationFeeMinor(invoice.terms, invoice.account, !!invoice.merchant.stripeAccount);
    const created = await createInvoicePayment(stripe, { chatId: this.chatId, n, terms: invoice.terms, applicationFeeMinor: fee, merchant: invoice.merchant });
    invoice = this.update(n, { paymentIntentId: created.paymentIntentId });
    return { invoice, clientSecret: created.clientSecret };
  }

  /** Back from 3-D Secure, or told by a Stripe webhook: what does Stripe say about the payment now? */
  async refresh(n: number): Promise<PayOutcome | null> {
    const invoice = this.find(n);
    const stripe = stripeClient(this.host.env);
    if (!invoice?.paymentIntentId || !stripe) return null;
    if (invoice.status === "paid" && invoice.recorded) return { status: "paid", view: this.view("customer", Date.now()), message: null };
    return this.apply(n, await readInvoicePayment(stripe, invoice.paymentIntentId, invoice.merchant));
  }

  private async apply(n: number, result: InvoicePayment): Promise<PayOutcome> {
    const now = Date.now();
    let invoice = this.find(n)!;
    if (result.status === "paid") {
      if (invoice.status !== "paid") {
        invoice = this.update(n, {
          status: "paid",
          paidAt: now,
          authenticating: false,
          lastError: null,
          clock: readyClock(invoice.terms.durationSeconds ?? 0),
        });
      }
      if (!invoice.recorded) await this.record(n, result.stripeCharge);
      this.broadcast(now);
      return { status: "paid", view: this.view("customer", now), message: null };
    }
    if (invoice.status === "paid") return { status: "paid", view: this.view("customer", now), message: null };
    if (result.status === "needs_action") {
      this.update(n, { authenticating: true, lastError: null });
      this.broadcast(now);
      return { status: "needs_action", view: this.view("customer", now), redirectUrl: result.redirectUrl, message: null };
    }
    this.update(n, { authenticating: false, lastError: result.message });
    this.broadcast(now);
    return { status: "failed", view: this.view("customer", now), message: result.message };
  }

  /**
   * Writes a paid invoice to D1; a deadline set first lets the alarm finish it if this fails
   * (then without Stripe's charge: a webhook or the nightly reconciliation corrects its fees).
   */
  private async record(n: number, stripeCharge: StripeCharge | null = null): Promise<void> {
    await this.host.setDeadline(recordDeadline(n), Date.now() + RECORD_RETRY_MS);
    const s = this.state();
    const invoice = this.find(n)!;
    const init = this.host.init();
    const chatPaidMinor = s.invoices.filter((i) => i.status === "paid" && i.terms.currency === invoice.terms.currency).reduce((t, i) => t + i.terms.amountMinor, 0);
    let events: string[];
    try {
      events = await recordInvoicePaid(this.host.env.DB, {
        chatId: this.chatId,
        companyId: init.companyId,
        agentId: this.agentId()!,
        customerName: init.customer.name,
        customerEmail: init.customer.email,
        n,
        terms: invoice.terms,
        account: invoice.account,
        paymentIntentId: invoice.paymentIntentId!,
        paidAt: invoice.paidAt!,
        chatPaidMinor,
        stripeCharge,
      });
    } catch (err) {
      console.error("recording a paid invoice failed; the alarm retries", this.chatId, n, err);
      return;
    }
    this.update(n, { recorded: true });
    this.host.clearDeadline(recordDeadline(n));
    await enqueueMail(this.host.env, paidChargeMailIds(invoiceChargeId(this.chatId, n)));
    await enqueueWebhooks(this.host.env, events);
  }

  /** One of this module's deadlines is due: a session's time is up, or a payment still to record. */
  async deadline(name: string, now: number): Promise<void> {
    const [, what, number] = name.split(":");
    const invoice = this.find(Number(number));
    if (!invoice) return;
    if (what === "record" && invoice.status === "paid" && !invoice.recorded) await this.record(invoice.n);
    if (what === "clock" && invoice.clock?.state === "running") {
      const clock = expireClock(invoice.clock, now);
      if (clock === invoice.clock) return this.host.setDeadline(name, invoice.clock.endsAt!);
      this.update(invoice.n, { clock });
      this.broadcast(now);
    }
  }

  /** The chat ended: unpaid requests are withdrawn and a running session stops. A payment already under way is still recorded when Stripe reports it. */
  async chatEnded(): Promise<void> {
    const s = this.state();
    if (!s) return;
    const withdrawn = s.invoices.filter((i) => i.status === "open").map((i) => i.n);
    this.put({
      ...s,
      invoices: s.invoices.map((i) =>
        i.status === "open" ? { ...i, status: "withdrawn" as const } : i.clock && (i.clock.state === "running" || i.clock.state === "ready") ? { ...i, clock: finishClock(i.clock) } : i,
      ),
    });
    await saveInvoicesWithdrawn(this.host.env.DB, this.chatId, withdrawn);
    for (const i of s.invoices) if (i.status === "paid" && !i.recorded) await this.record(i.n);
    await this.cancelPayments(withdrawn);
  }
}
