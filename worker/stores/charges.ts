import { and, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./db";
import { inList } from "./in-list";
import { formatMoney } from "../billing/currency";
import { bookedFeesOf, feeCorrectionLineId, feeCorrectionLines, feeCorrectionTxnId, type StripeCharge } from "../billing/fee-correction";
import { chargeLines, payoutDue, soloPayoutMinor, type AccountType, type LedgerLine } from "../billing/fees";
import type { LedgerCharge } from "../billing/reconciliation";
import { agentProfiles, charges, chats, companies, ledgerEntries, payouts, rooms, users } from "../db/schema";
import { minutesSeconds } from "../format/clock";
import { utcDateTime } from "../format/utc";
import { mailInsert, senderOf } from "./outbox";

// A charge and its ledger lines: what a paid charge writes, whether the meter or an invoice
// collected it; each charge with what the ledger holds for it (its lines summed); and the one
// correction of its fees to Stripe's balance transaction, which the capture, the webhook that
// learns of a settled charge and the nightly reconciliation may each be first to write.

export type PaidCharge = {
  id: string;
  chatId: string;
  invoiceId?: string;
  seq: number;
  kind: "service" | "goods";
  amountMinor: number;
  currency: string;
  paymentIntentId: string;
  idempotencyKey: string;
  companyId: string;
  agentId: string | null;
  account: AccountType;
  customerEmail: string | null;
  paidAt: number;
  /** Ends "You paid {amount} for …" on the receipt. */
  receiptFor: string;
  /** The time the payment is for, on the receipt: the meter's chargeable time, or an invoice's stated duration. */
  durationSeconds: number | null;
  /** The agent's note, given the amount formatted. */
  revenueNote: (paid: string) => string;
  /** Stripe's charge as the payment's answer returned it; without its balance transaction the fees stay estimated until a webhook or the nightly reconciliation corrects them. */
  stripeCharge?: StripeCharge | null;
};

/** What every line of one charge names besides its own amount. */
type ChargeEntry = { companyId: string; chatId: string | null; agentId: string | null; chargeId: string; currency: string };

/** The lines that correct a charge's fees; their ids derive from the charge, so whoever writes them first writes them once. */
const feeCorrectionInserts = (db: Db, entry: ChargeEntry, lines: LedgerLine[]) =>
  lines.map((line) => db.insert(ledgerEntries).values({ id: feeCorrectionLineId(entry.chargeId, line), txnId: feeCorrectionTxnId(entry.chargeId), ...entry, ...line }).onConflictDoNothing());

/**
 * The statements for one paid charge, to run in the caller's batch with its own updates: the
 * charge, its ledger lines (with Stripe's fees when its answer carried the balance transaction),
 * the customer's receipt, the agent's "new revenue" note and a solo agent's payout. Ids derive
 * from the charge id, so writing the same payment twice adds nothing.
 */
export async function paidChargeStatements(db: Db, c: PaidCharge): Promise<BatchItem<"sqlite">[]> {
  const [agent, chat] = await Promise.all([
    c.agentId
      ? db.select({ name: users.name, email: users.email, payoutMethod: agentProfiles.payoutMethod }).from(users).leftJoin(agentProfiles, eq(agentProfiles.userId, users.id)).where(eq(users.id, c.agentId)).get()
      : undefined,
    db.select({ roomId: chats.roomId, room: rooms.name, createdAt: chats.createdAt }).from(chats).innerJoin(rooms, eq(rooms.id, chats.roomId)).where(eq(chats.id, c.chatId)).get(),
  ]);
  const sender = await senderOf(db, c.companyId, chat?.roomId);
  const paid = formatMoney(c.amountMinor, c.currency);
  // What the receipt and the note show: amount, who served, where, when and for how long.
  const facts: [string, string][] = [["Amount", paid], ["Currency", c.currency.toUpperCase()]];
  if (c.durationSeconds) facts.push(["Duration", `${minutesSeconds(c.durationSeconds)} min`]);
  if (agent) facts.push(["Agent", agent.name]);
  if (chat) facts.push(["Room", chat.room], ["Chat started", `${utcDateTime(chat.createdAt)} UTC`]);
  facts.push(["Chat", c.chatId]);
  // The receipt also names the business the customer paid (the room's public profile, else the company).
  const company: [string, string][] = [["Company", sender.name], ...(sender.replyTo ? [["Contact", sender.replyTo] as [string, string]] : [])];
  const receipt = c.customerEmail
    ? mailInsert(db, {
        id: paidChargeMailIds(c.id)[0],
        companyId: c.companyId,
        kind: "receipt",
        to: c.customerEmail,
        sender,
        content: {
          subject: `Your receipt from ${sender.name}`,
          paragraphs: [`You paid ${paid} for ${c.receiptFor}. Thank you.`, ...(sender.replyTo ? [`Questions about this payment? Reply to this mail or write to ${sender.replyTo}.`] : [])],
          facts: [...company, ...facts],
        },
      })
    : null;
  const revenue = agent
    ? mailInsert(db, {
        id: paidChargeMailIds(c.id)[1],
        companyId: c.companyId,
        kind: "revenue",
        to: agent.email,
        sender,
        content: { subject: `New revenue: ${paid}`, paragraphs: [c.revenueNote(paid)], facts },
      })
    : null;
  const lines = chargeLines(c.amountMinor, c.currency, c.account, c.kind);
  const settled = c.stripeCharge?.balanceTransactionId ? c.stripeCharge : null;
  const corrections = settled ? feeCorrectionLines(bookedFeesOf(lines), settled, c.account) : [];
  const entry = { companyId: c.companyId, chatId: c.chatId, agentId: c.agentId, chargeId: c.id, currency: c.currency };
  return [
    db
      .insert(charges)
      .values({
        id: c.id,
        chatId: c.chatId,
        invoiceId: c.invoiceId,
        seq: c.seq,
        kind: c.kind,
        amountMinor: c.amountMinor,
        currency: c.currency,
        paymentIntentId: c.paymentIntentId,
        idempotencyKey: c.idempotencyKey,
        status: "succeeded",
        stripeChargeId: c.stripeCharge?.id ?? null,
        balanceTransactionId: settled?.balanceTransactionId ?? null,
      })
      .onConflictDoNothing(),
    ...lines.map((line, i) => db.insert(ledgerEntries).values({ id: `${c.id}:${i}`, txnId: c.id, ...entry, ...line }).onConflictDoNothing()),
    ...feeCorrectionInserts(db, entry, corrections),
    ...(receipt ? [receipt] : []),
    ...(revenue ? [revenue] : []),
    // A solo agent's 80 % is paid out within five business days.
    ...(c.account === "solo" && c.agentId
      ? [
          db
            .insert(payouts)
            .values({ id: `${c.id}:payout`, companyId: c.companyId, userId: c.agentId, method: agent?.payoutMethod ?? "stripe", amountMinor: soloPayoutMinor(c.amountMinor), currency: c.currency, dueAt: payoutDue(c.paidAt) })
            .onConflictDoNothing(),
        ]
      : []),
  ];
}

/** The mails a paid charge writes (the customer's receipt, the agent's note), to put on the mail queue once its batch committed. */
export const paidChargeMailIds = (chargeId: string): [receipt: string, revenue: string] => [`${chargeId}:receipt`, `${chargeId}:revenue`];

export type ChargeLedger = LedgerCharge & {
  companyId: string;
  agentId: string | null;
  account: AccountType;
  /** Set once the fees were corrected to this balance transaction. */
  balanceTransactionId: string | null;
};

const sumOf = (account: "customer" | "processor" | "platform", kind: "charge" | "refund" | "processing_fee" | "platform_fee", sign: 1 | -1 = 1) =>
  sql<number>`coalesce(sum(case when ${ledgerEntries.account} = ${account} and ${ledgerEntries.kind} = ${kind} then ${ledgerEntries.amountMinor} else 0 end), 0) * ${sign}`.mapWith(Number);

function selectSums(db: Db, where: SQL) {
  return db
    .select({
      chargeId: charges.id,
      chatId: charges.chatId,
      paymentIntentId: charges.paymentIntentId,
      currency: charges.currency,
      balanceTransactionId: charges.balanceTransactionId,
      companyId: ledgerEntries.companyId,
      agentId: sql<string | null>`max(${ledgerEntries.agentId})`,
      account: companies.accountType,
      grossMinor: sumOf("customer", "charge", -1),
      refundedMinor: sumOf("customer", "refund"),
      processingFeeMinor: sumOf("processor", "processing_fee"),
      platformFeeMinor: sumOf("platform", "platform_fee"),
    })
    .from(charges)
    .innerJoin(ledgerEntries, eq(ledgerEntries.chargeId, charges.id))
    .innerJoin(companies, eq(companies.id, ledgerEntries.companyId))
    .where(where)
    .groupBy(charges.id);
}

/** Adds what the ledger booked for each dispute of the charges: the customer's money taken back and Stripe's fee, by dispute. */
async function withDisputes(db: Db, found: Omit<ChargeLedger, "disputedMinor">[]): Promise<ChargeLedger[]> {
  const out = found.map((c) => ({ ...c, disputedMinor: {} as Record<string, number> }));
  const byId = new Map(out.map((c) => [c.chargeId, c]));
  const withdrawn = or(and(eq(ledgerEntries.kind, "dispute"), eq(ledgerEntries.account, "customer")), and(eq(ledgerEntries.kind, "dispute_fee"), eq(ledgerEntries.account, "processor")));
  const rows = await db
    .select({ chargeId: ledgerEntries.chargeId, disputeId: ledgerEntries.txnId, amountMinor: sql<number>`sum(${ledgerEntries.amountMinor})`.mapWith(Number) })
    .from(ledgerEntries)
    .where(and(inList(ledgerEntries.chargeId, [...byId.keys()]), withdrawn))
    .groupBy(ledgerEntries.chargeId, ledgerEntries.txnId);
  for (const r of rows) byId.get(r.chargeId!)!.disputedMinor[r.disputeId] = r.amountMinor;
  return out;
}

/** The company's charges with these ids or PaymentIntents that the ledger holds (charges without lines, such as an uncollected rest, are left out). */
export async function listChargeLedgers(db: Db, companyId: string, ids: { chargeIds?: string[]; paymentIntentIds?: string[] }): Promise<ChargeLedger[]> {
  const ask = (values: string[], column: typeof charges.id | typeof charges.paymentIntentId) =>
    values.length ? selectSums(db, and(eq(ledgerEntries.companyId, companyId), inList(column, values))!) : [];
  const out = [...(await ask(ids.chargeIds ?? [], charges.id)), ...(await ask(ids.paymentIntentIds ?? [], charges.paymentIntentId))];
  return withDisputes(db, [...new Map(out.map((c) => [c.chargeId, c])).values()]);
}

/** The charge Parley recorded for a PaymentIntent, whichever company's it is; undefined when none. */
export async function chargeLedgerOfIntent(db: Db, paymentIntentId: string): Promise<ChargeLedger | undefined> {
  const [found] = await withDisputes(db, await selectSums(db, eq(charges.paymentIntentId, paymentIntentId)));
  return found;
}

/**
 * Corrects a charge's fees to Stripe's, once: a charge already corrected, or whose balance
 * transaction Stripe has not made yet, is left as it is. The correcting lines' ids derive from the
 * charge, so the capture, a webhook and the nightly check can race and still write them once.
 * Returns whether the charge is now marked corrected.
 */
export async function correctFees(db: Db, ledger: ChargeLedger, stripe: StripeCharge): Promise<boolean> {
  if (ledger.balanceTransactionId || !stripe.balanceTransactionId) return false;
  const entry = { companyId: ledger.companyId, chatId: ledger.chatId, agentId: ledger.agentId, chargeId: ledger.chargeId, currency: ledger.currency };
  await db.batch([
    db
      .update(charges)
      .set({ stripeChargeId: stripe.id, balanceTransactionId: stripe.balanceTransactionId })
      .where(and(eq(charges.id, ledger.chargeId), isNull(charges.balanceTransactionId))),
    ...feeCorrectionInserts(db, entry, feeCorrectionLines(ledger, stripe, ledger.account)),
  ]);
  return true;
}
