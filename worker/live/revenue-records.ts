import { eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../stores/db";
import { formatMoney } from "../billing/currency";
import { bookedFeesOf, feeCorrectionLineId, feeCorrectionLines, feeCorrectionTxnId, type StripeCharge } from "../billing/fee-correction";
import { chargeLines, payoutDue, soloPayoutMinor, type AccountType } from "../billing/fees";
import { agentProfiles, charges, emailOutbox, ledgerEntries, payouts, users } from "../db/schema";

// What every paid charge writes to D1, whether the meter or an invoice collected it: the charge,
// its ledger lines (with Stripe's fees when its answer carried the balance transaction), the
// customer's receipt, the agent's "new revenue" note and a solo agent's payout. Ids derive from
// the charge id, so writing the same payment twice adds nothing.

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
  companyName: string;
  agentId: string | null;
  account: AccountType;
  customerEmail: string | null;
  paidAt: number;
  /** Ends "You paid {amount} for …" on the receipt. */
  receiptFor: string;
  /** The agent's note, given the amount formatted. */
  revenueNote: (paid: string) => string;
  /** Stripe's charge as the payment's answer returned it; without its balance transaction the fees stay estimated until a webhook or the nightly reconciliation corrects them. */
  stripeCharge?: StripeCharge | null;
};

/** The statements for one paid charge, to run in the caller's batch with its own updates. */
export async function paidChargeStatements(db: Db, c: PaidCharge): Promise<BatchItem<"sqlite">[]> {
  const agent = c.agentId
    ? await db.select({ email: users.email, payoutMethod: agentProfiles.payoutMethod }).from(users).leftJoin(agentProfiles, eq(agentProfiles.userId, users.id)).where(eq(users.id, c.agentId)).get()
    : undefined;
  const paid = formatMoney(c.amountMinor, c.currency);
  const mail = (id: string, to: string, subject: string, bodyText: string) =>
    db.insert(emailOutbox).values({ id, companyId: c.companyId, toAddress: to, subject, bodyText }).onConflictDoNothing();
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
    ...corrections.map((line) => db.insert(ledgerEntries).values({ id: feeCorrectionLineId(c.id, line), txnId: feeCorrectionTxnId(c.id), ...entry, ...line }).onConflictDoNothing()),
    ...(c.customerEmail ? [mail(`${c.id}:receipt`, c.customerEmail, `Your receipt from ${c.companyName}`, `You paid ${paid} for ${c.receiptFor}. Thank you.`)] : []),
    ...(agent ? [mail(`${c.id}:revenue`, agent.email, `New revenue: ${paid}`, c.revenueNote(paid))] : []),
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
