// Refunds of captured charges, whole or partial, by PaymentIntent or by charge. The charge's
// `amount_refunded` grows (it already counts an amount released by a partial capture), and
// `charge.refunded` is sent with the charge as Stripe does.
import type { Ctx } from "../context";
import { id } from "../context";
import { formatAmount } from "../currency";
import { invalidRequest } from "../errors";
import { allowOnly, applyMetadata, bool, int, oneOf, str } from "../form";
import { newId } from "../ids";
import type { Store } from "../store";
import type { Charge, Refund } from "../types";
import { balanceTransaction } from "./balance-transactions";

export function refundedTotal(store: Store, chargeId: string): number {
  let total = 0;
  for (const refund of store.state.refunds.values()) if (refund.charge === chargeId && refund.status === "succeeded") total += refund.amount;
  return total;
}

export function createRefund(ctx: Ctx): Refund {
  const { params, store } = ctx;
  allowOnly(params, ["payment_intent", "charge", "amount", "reason", "metadata", "refund_application_fee", "reverse_transfer", "instructions_email", "origin", "expand"]);
  const piId = str(params, "payment_intent");
  const chargeId = str(params, "charge");
  if (!piId && !chargeId) throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.", { param: "payment_intent" });

  let charge: Charge | undefined;
  if (piId) {
    const pi = store.need("paymentIntents", piId, ctx.account, "payment_intent", "payment_intent");
    if (pi.status === "requires_capture")
      throw invalidRequest(`This PaymentIntent (${pi.id}) has not been captured: cancel it to release the authorisation instead of refunding it.`, { param: "payment_intent", code: "charge_not_refundable" });
    if (pi.status !== "succeeded" || !pi.latest_charge)
      throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { param: "payment_intent", code: "charge_not_refundable" });
    charge = store.get("charges", pi.latest_charge, ctx.account);
    if (chargeId && chargeId !== pi.latest_charge) throw invalidRequest("The charge does not belong to this PaymentIntent.", { param: "charge" });
  } else if (chargeId) {
    charge = store.need("charges", chargeId, ctx.account, "charge", "charge");
  }
  if (!charge || !charge.captured || charge.status !== "succeeded")
    throw invalidRequest(`Charge ${charge?.id ?? chargeId} has not been captured and cannot be refunded.`, { param: "charge", code: "charge_not_refundable" });
  if (charge.disputed) throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, { code: "charge_disputed" });

  const available = charge.amount_captured - refundedTotal(store, charge.id);
  if (available <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
  const amount = int(params, "amount", { min: 1 }) ?? available;
  if (amount > available)
    throw invalidRequest(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(available, charge.currency)})`,
      { param: "amount", code: "amount_too_large" },
    );

  const account = store.owner.get(charge.id) ?? null;
  const refund: Refund = {
    id: newId("re"),
    object: "refund",
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: store.now(),
    currency: charge.currency,
    customer: charge.customer,
    metadata: applyMetadata({}, params),
    payment_intent: charge.payment_intent,
    reason: oneOf(params, "reason", ["duplicate", "fraudulent", "requested_by_customer"]) ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
  // Stripe keeps its processing fee on refunds: the refund's balance transaction has no fee.
  refund.balance_transaction = balanceTransaction(store, account, {
    amount: -amount,
    currency: charge.currency,
    source: refund.id,
    type: "refund",
    reporting_category: "refund",
    description: "REFUND FOR CHARGE",
  }).id;
  store.put("refunds", refund, account);

  const share = (whole: number) => Math.round((whole * amount) / charge.amount_captured);
  if (bool(params, "refund_application_fee") && charge.application_fee) {
    const fee = store.state.applicationFees.get(charge.application_fee);
    if (fee) {
      fee.amount_refunded = Math.min(fee.amount, fee.amount_refunded + share(fee.amount));
      fee.refunded = fee.amount_refunded >= fee.amount;
      store.emit("application_fee.refunded", fee);
    }
  }
  if (bool(params, "reverse_transfer") && charge.transfer) {
    const transfer = store.state.transfers.get(charge.transfer);
    if (transfer) {
      transfer.amount_reversed = Math.min(transfer.amount, transfer.amount_reversed + share(transfer.amount));
      transfer.reversed = transfer.amount_reversed >= transfer.amount;
      refund.transfer_reversal = newId("trr");
      store.emit("transfer.reversed", transfer);
    }
  }

  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount;
  store.emit("refund.created", refund);
  store.emit("charge.refunded", charge, { previous });
  return refund;
}

export function retrieveRefund(ctx: Ctx): Refund {
  return ctx.store.need("refunds", id(ctx), ctx.account, "refund");
}

export function listRefunds(ctx: Ctx): unknown {
  const pi = str(ctx.params, "payment_intent");
  const charge = str(ctx.params, "charge");
  const items = ctx.store.on("refunds", ctx.account).filter((r) => (!pi || r.payment_intent === pi) && (!charge || r.charge === charge));
  return ctx.store.list(items, ctx.params, "/v1/refunds", ["payment_intent", "charge"]);
}
