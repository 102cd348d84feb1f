// Disputes only come from card holders, so the fake opens them on a test's request. Stripe takes
// the disputed amount back from the balance at once, with its dispute fee: one balance
// transaction (an adjustment) on the charge's account.
import { newId } from "../ids";
import type { Store } from "../store";
import type { Dispute } from "../types";
import { balanceTransaction } from "./balance-transactions";

/** Stripe's dispute fee as the fake charges it: 1500 minor units of the charge's currency (EUR 15.00), whatever the outcome. */
const DISPUTE_FEE = 1500;

export function createDispute(store: Store, chargeId: string, options: { reason?: string; amount?: number } = {}): Dispute {
  const charge = store.state.charges.get(chargeId);
  if (!charge || !charge.captured) throw new Error(`fake Stripe: no captured charge ${chargeId}`);
  const account = store.owner.get(charge.id) ?? null;
  const dispute: Dispute = {
    id: newId("dp"),
    object: "dispute",
    amount: options.amount ?? charge.amount_captured,
    balance_transactions: [],
    charge: charge.id,
    created: store.now(),
    currency: charge.currency,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    reason: options.reason ?? "fraudulent",
    status: "needs_response",
  };
  dispute.balance_transactions.push(
    balanceTransaction(store, account, {
      amount: -dispute.amount,
      currency: charge.currency,
      source: dispute.id,
      type: "adjustment",
      reporting_category: "dispute",
      description: `Chargeback withdrawal for ${charge.id}`,
      fee_details: [{ amount: DISPUTE_FEE, application: null, currency: charge.currency, description: "Dispute fee", type: "stripe_fee" }],
    }),
  );
  store.put("disputes", dispute, account);
  charge.disputed = true;
  store.emit("charge.dispute.created", dispute);
  return dispute;
}
