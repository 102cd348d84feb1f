// Disputes only come from card holders, so the fake opens them on a test's request.
import { newId } from "../ids";
import type { Store } from "../store";
import type { Dispute } from "../types";

export function createDispute(store: Store, chargeId: string, options: { reason?: string; amount?: number } = {}): Dispute {
  const charge = store.state.charges.get(chargeId);
  if (!charge || !charge.captured) throw new Error(`fake Stripe: no captured charge ${chargeId}`);
  const dispute: Dispute = {
    id: newId("dp"),
    object: "dispute",
    amount: options.amount ?? charge.amount_captured,
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
  store.put("disputes", dispute, store.owner.get(charge.id) ?? null);
  charge.disputed = true;
  store.emit("charge.dispute.created", dispute);
  return dispute;
}
