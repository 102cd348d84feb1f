import type Stripe from "stripe";
import { chargeLedgerOfIntent, correctFees } from "../stores/charges";
import type { Db } from "../stores/db";
import { retrieveChargeFees } from "../adapters/stripe-balance";

// A Stripe webhook about a charge may be the first word of its balance transaction: Stripe can
// settle a charge after answering the capture (charge.updated), and a capture's answer can be
// lost to a crash. Then the ledger's estimated fees are corrected here; the nightly
// reconciliation catches whatever no webhook brought.

/** The events whose charge may carry a new balance transaction. */
export const CHARGE_SETTLED_EVENTS = new Set(["charge.captured", "charge.succeeded", "charge.updated"]);

export async function correctFeesOnChargeEvent(db: Db, stripe: Stripe, event: Stripe.Event): Promise<void> {
  if (!CHARGE_SETTLED_EVENTS.has(event.type)) return;
  const charge = event.data.object as Stripe.Charge;
  const paymentIntentId = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
  if (!charge.captured || !charge.balance_transaction || !paymentIntentId) return;
  const ledger = await chargeLedgerOfIntent(db, paymentIntentId);
  // Not Parley's, not recorded yet (the chat records it with the capture's answer), or done.
  if (!ledger || ledger.balanceTransactionId) return;
  await correctFees(db, ledger, await retrieveChargeFees(stripe, charge.id, event.account ?? null));
}
