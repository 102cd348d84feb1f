import { and, eq, inArray, sql } from "drizzle-orm";
import { merchantFor, type Merchant } from "../billing/connect";
import type { StripeCharge } from "../billing/fee-correction";
import type { AccountType } from "../billing/fees";
import { INVOICE_KINDS, durationText, type InvoiceTerms } from "../billing/invoice";
import { agentProfiles, chats, companies, invoices } from "../db/schema";
import { paidChargeStatements } from "./charges";
import { openDb, prepared } from "./db";
import { webhookInsert } from "./webhooks";
import { invoicePaid, paymentSucceeded } from "../webhooks/payloads";

// D1 records of manual payment requests. Every id derives from the chat and the invoice number,
// so writing the same payment twice (a retry, a webhook after the page) adds nothing.

export const invoiceId = (chatId: string, n: number) => `${chatId}:${n}`;
export const invoiceChargeId = (chatId: string, n: number) => `${chatId}:invoice:${n}`;

/** Who may invoice in this chat, and on whose Stripe account: read when it matters, not cached. */
export type InvoicingRights = { allowed: boolean; account: AccountType; merchant: Merchant };

/**
 * The agent may send payment requests only when the system administrator enabled their Manual
 * Payment Request and the chat's room takes manual payment requests.
 */
const invoicingRightsQuery = prepared((db) =>
  db
    .select({
      mode: chats.chargingMode,
      permitted: agentProfiles.manualPaymentAllowed,
      account: companies.accountType,
      stripeAccountId: companies.stripeAccountId,
      ready: companies.stripeAccountReady,
    })
    .from(chats)
    .innerJoin(companies, eq(companies.id, chats.companyId))
    .leftJoin(agentProfiles, eq(agentProfiles.userId, sql.placeholder("agentId")))
    .where(eq(chats.id, sql.placeholder("chatId")))
    .prepare(),
);

export async function invoicingRights(d1: D1Database, chatId: string, agentId: string): Promise<InvoicingRights> {
  const row = await invoicingRightsQuery(openDb(d1)).get({ chatId, agentId });
  const merchant = row ? merchantFor({ accountType: row.account, stripeAccountId: row.stripeAccountId, stripeAccountReady: row.ready }) : null;
  // A company that is not connected cannot take payments: no button (its paid rooms take no chats either).
  if (!row || !merchant) return { allowed: false, account: row?.account ?? "company", merchant: { stripeAccount: null } };
  return { allowed: row.mode === "manual" && row.permitted === true, account: row.account, merchant };
}

export async function saveInvoiceIssued(d1: D1Database, chatId: string, agentId: string, n: number, terms: InvoiceTerms): Promise<void> {
  await openDb(d1)
    .insert(invoices)
    .values({
      id: invoiceId(chatId, n),
      chatId,
      agentId,
      kind: terms.kind,
      description: terms.description,
      amountMinor: terms.amountMinor,
      currency: terms.currency,
      durationSeconds: terms.durationSeconds,
    })
    .onConflictDoNothing();
}

/** Requests nobody paid: replaced by a newer one, or left open when the chat ended. */
export async function saveInvoicesWithdrawn(d1: D1Database, chatId: string, numbers: number[]): Promise<void> {
  if (numbers.length === 0) return;
  const db = openDb(d1);
  await db
    .update(invoices)
    .set({ status: "canceled" })
    .where(and(inArray(invoices.id, numbers.map((n) => invoiceId(chatId, n))), eq(invoices.status, "open")));
}

export type PaidInvoice = {
  chatId: string;
  companyId: string;
    agentId: string;
  customerName: string | null;
  customerEmail: string | null;
  n: number;
  terms: InvoiceTerms;
  account: AccountType;
  paymentIntentId: string;
  paidAt: number;
  /** What this chat's paid invoices in this currency add up to, this one included. */
  chatPaidMinor: number;
  /** Stripe's charge, when the payment's answer brought it: its fees correct the estimate at once. */
  stripeCharge?: StripeCharge | null;
};

/**
 * The payment, its ledger lines (with Parley's fee for the kind of sale), the chat's totals, the
 * customer's receipt and the agent's "new revenue" note, and a solo agent's payout, in one batch.
 */
export async function recordInvoicePaid(d1: D1Database, p: PaidInvoice): Promise<string[]> {
  const db = openDb(d1);
  const chargeId = invoiceChargeId(p.chatId, p.n);
  const { amountMinor, currency, kind } = p.terms;
  const what = `${INVOICE_KINDS[kind]}: ${p.terms.description}${p.terms.durationSeconds ? ` (${durationText(p.terms.durationSeconds)})` : ""}`;
  const paid = await paidChargeStatements(db, {
    id: chargeId,
    chatId: p.chatId,
    invoiceId: invoiceId(p.chatId, p.n),
    seq: p.n,
    kind,
    amountMinor,
    currency,
    paymentIntentId: p.paymentIntentId,
    idempotencyKey: `chat:${p.chatId}:invoice:${p.n}`,
    companyId: p.companyId,
    agentId: p.agentId,
    account: p.account,
    customerEmail: p.customerEmail,
    paidAt: p.paidAt,
    receiptFor: `${what} (chat ${p.chatId})`,
    durationSeconds: p.terms.durationSeconds ?? null,
    revenueNote: (amount) => `${p.customerName ?? "Your customer"} paid ${amount} for ${what} in chat ${p.chatId}.`,
    stripeCharge: p.stripeCharge,
  });
  const payment = { charge: chargeId, chat: p.chatId, kind, amountMinor, currency, paymentIntent: p.paymentIntentId, invoice: invoiceId(p.chatId, p.n) };
  const events = [paymentSucceeded(payment, p.paidAt), invoicePaid({ ...payment, invoice: payment.invoice, description: p.terms.description }, p.paidAt)];
  await db.batch([
    db.update(invoices).set({ status: "paid", paymentIntentId: p.paymentIntentId, paidAt: p.paidAt }).where(eq(invoices.id, invoiceId(p.chatId, p.n))),
    ...paid,
    db.update(chats).set({ currency, amountMinor: p.chatPaidMinor, paidMinor: p.chatPaidMinor }).where(eq(chats.id, p.chatId)),
    ...events.map((e) => webhookInsert(db, p.companyId, e)),
  ]);
  return events.map((e) => e.id);
}
