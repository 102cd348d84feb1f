import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import { accountReady } from "../billing/connect";
import { disputeLines, refundLines } from "../billing/fees";
import { charges, companies, ledgerEntries, stripeEvents } from "../db/schema";
import { auditInsert } from "./audit";
import type { Db } from "./db";

// What Stripe's webhook events change in D1: a charge's status, the ledger's refund and dispute
// lines, a connected account's readiness. worker/routes/webhooks.ts verifies each event first.

/** The event was applied before. */
export const eventSeen = async (db: Db, id: string) => !!(await db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, id)).get());

/** Marks the event applied: for the batch of its effects. */
export const seenInsert = (db: Db, event: Pick<Stripe.Event, "id" | "type">) => db.insert(stripeEvents).values({ id: event.id, type: event.type }).onConflictDoNothing();

/**
 * Applies one verified Stripe event to our records, exactly once: the event id is stored in the
 * same batch as its effects, and an id seen before changes nothing. Returns whether it was new.
 */
export async function applyStripeEvent(db: Db, event: Stripe.Event): Promise<boolean> {
  if (await eventSeen(db, event.id)) return false;
  const seen = seenInsert(db, event);
  switch (event.type) {
    case "payment_intent.payment_failed": {
      const pi = event.data.object;
      const code = pi.last_payment_error?.decline_code ?? pi.last_payment_error?.code ?? "payment_failed";
      await db.batch([seen, db.update(charges).set({ status: "failed", failureCode: code }).where(and(eq(charges.paymentIntentId, pi.id), eq(charges.status, "pending")))]);
      return true;
    }
    case "payment_intent.succeeded": {
      const pi = event.data.object;
      await db.batch([seen, db.update(charges).set({ status: "succeeded" }).where(and(eq(charges.paymentIntentId, pi.id), eq(charges.status, "pending")))]);
      return true;
    }
    case "charge.refunded": {
      const charge = event.data.object;
      const pi = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
      const ours = pi ? await db.select().from(charges).where(eq(charges.paymentIntentId, pi)).get() : undefined;
      // Stripe says how much is refunded in all; the ledger already holds the earlier refunds.
      const booked = ours
        ? -(
            await db
              .select({ amount: ledgerEntries.amountMinor })
              .from(ledgerEntries)
              .where(and(eq(ledgerEntries.chargeId, ours.id), eq(ledgerEntries.kind, "refund"), eq(ledgerEntries.account, "merchant")))
          ).reduce((t, r) => t + r.amount, 0)
        : 0;
      // A partial capture shows the released rest of the hold as "refunded" too; it never was paid.
      const released = charge.amount - charge.amount_captured;
      const refund = charge.amount_refunded - released - booked;
      if (!ours || refund <= 0 || charge.amount_captured === 0) {
        await seen.run();
        return true;
      }
      const company = await db.select({ companyId: ledgerEntries.companyId, agentId: ledgerEntries.agentId }).from(ledgerEntries).where(eq(ledgerEntries.chargeId, ours.id)).get();
      await db.batch([
        seen,
        ...refundLines(refund).map((line, i) =>
          db
            .insert(ledgerEntries)
            .values({ id: `${event.id}:${i}`, txnId: event.id, companyId: company!.companyId, chatId: ours.chatId, agentId: company!.agentId, chargeId: ours.id, ...line, currency: ours.currency })
            .onConflictDoNothing(),
        ),
        ...(charge.refunded ? [db.update(charges).set({ status: "refunded" }).where(eq(charges.id, ours.id))] : []),
      ]);
      return true;
    }
    case "charge.dispute.created": {
      // Stripe withdraws the disputed amount and its fee at once: the ledger books both, and the
      // chat shows as disputed, whatever the outcome later.
      const dispute = event.data.object;
      const audit = auditInsert(db, { companyId: null, userId: null, action: "stripe.dispute.created", subject: dispute.id, detail: { charge: dispute.charge, amount: dispute.amount, reason: dispute.reason } });
      const pi = typeof dispute.payment_intent === "string" ? dispute.payment_intent : dispute.payment_intent?.id;
      const ours = pi ? await db.select().from(charges).where(eq(charges.paymentIntentId, pi)).get() : undefined;
      const owner = ours
        ? await db.select({ companyId: ledgerEntries.companyId, agentId: ledgerEntries.agentId, account: companies.accountType }).from(ledgerEntries).innerJoin(companies, eq(companies.id, ledgerEntries.companyId)).where(eq(ledgerEntries.chargeId, ours.id)).get()
        : undefined;
      if (!ours || !owner) {
        await db.batch([seen, audit]);
        return true;
      }
      const feeMinor = dispute.balance_transactions.reduce((t, bt) => t + bt.fee, 0);
      await db.batch([
        seen,
        audit,
        ...disputeLines(dispute.amount, feeMinor, owner.account).map((line, i) =>
          db
            .insert(ledgerEntries)
            .values({ id: `${dispute.id}:${i}`, txnId: dispute.id, companyId: owner.companyId, chatId: ours.chatId, agentId: owner.agentId, chargeId: ours.id, ...line, currency: ours.currency })
            .onConflictDoNothing(),
        ),
        db.update(charges).set({ status: "disputed" }).where(eq(charges.id, ours.id)),
      ]);
      return true;
    }
    case "account.updated": {
      const account = event.data.object;
      const owner = await db.select({ accountType: companies.accountType }).from(companies).where(eq(companies.stripeAccountId, account.id)).get();
      if (!owner) {
        await seen.run();
        return true;
      }
      await db.batch([seen, db.update(companies).set({ stripeAccountReady: accountReady(account, owner.accountType) }).where(eq(companies.stripeAccountId, account.id))]);
      return true;
    }
    default:
      // Holds placed and released are already known to the chat that made them.
      await seen.run();
      return true;
  }
}
