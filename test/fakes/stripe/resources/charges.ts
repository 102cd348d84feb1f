// Charges: every payment attempt of a PaymentIntent leaves one (`latest_charge`), failed or not.
// Capturing one moves money: a balance transaction with Stripe's fee, an application fee for the
// platform (Connect), and for destination charges the transfer to the connected account.
import type { Decline } from "../cards";
import type { Ctx } from "../context";
import { id } from "../context";
import { processingFee } from "../currency";
import { str } from "../form";
import { newId } from "../ids";
import type { Store } from "../store";
import type { ApplicationFee, BalanceTransaction, Charge, PaymentIntent, PaymentMethod } from "../types";
import { balanceTransaction } from "./balance-transactions";
import { makeTransfer } from "./connect";

const SEVEN_DAYS = 7 * 24 * 3600;

export function newCharge(
  store: Store,
  pi: PaymentIntent,
  pm: PaymentMethod,
  result: { decline?: Decline; authenticated: boolean },
): Charge {
  const created = store.now();
  const declined = result.decline;
  const charge: Charge = {
    id: newId("ch"),
    object: "charge",
    amount: pi.amount,
    amount_captured: 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: pi.application_fee_amount,
    balance_transaction: null,
    billing_details: store.snapshot(pm.billing_details),
    calculated_statement_descriptor: pi.statement_descriptor ?? "PARLEY",
    captured: false,
    created,
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: declined?.code ?? null,
    failure_message: declined?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: pi.on_behalf_of,
    outcome: declined
      ? {
          network_status: "declined_by_network",
          reason: declined.decline_code ?? declined.code,
          risk_level: "normal",
          risk_score: 20,
          seller_message: "The bank did not return any further details with this decline.",
          type: "issuer_declined",
        }
      : { network_status: "approved_by_network", reason: null, risk_level: "normal", risk_score: 20, seller_message: "Payment complete.", type: "authorized" },
    paid: !declined,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: {
      card: {
        amount_authorized: declined ? null : pi.amount,
        brand: pm.card.brand,
        capture_before: declined ? null : created + SEVEN_DAYS,
        checks: store.snapshot(pm.card.checks),
        country: pm.card.country,
        exp_month: pm.card.exp_month,
        exp_year: pm.card.exp_year,
        fingerprint: pm.card.fingerprint,
        funding: pm.card.funding,
        last4: pm.card.last4,
        network: pm.card.brand,
        three_d_secure: result.authenticated ? { authentication_flow: "challenge", result: "authenticated", version: "2.2.0" } : null,
      },
      type: "card",
    },
    receipt_email: pi.receipt_email,
    receipt_url: "",
    refunded: false,
    review: null,
    status: declined ? "failed" : "succeeded",
    transfer_data: pi.transfer_data ? { ...pi.transfer_data } : null,
    transfer_group: pi.transfer_group,
  };
  charge.receipt_url = `${store.baseUrl}/_fake/receipts/${charge.id}`;
  return store.put("charges", charge, store.owner.get(pi.id) ?? null);
}

/**
 * Captures `amount` of an authorised charge. A partial capture releases the rest: Stripe shows
 * the released part in `amount_refunded` of the charge. The balance transaction is made at once,
 * unless the store defers them (`fake.deferBalanceTransactions`): then `settleCharges` makes it.
 */
export function captureCharge(store: Store, charge: Charge, amount: number, applicationFeeAmount: number | null): void {
  const account = store.owner.get(charge.id) ?? null;
  charge.captured = true;
  charge.amount_captured = amount;
  charge.amount_refunded = charge.amount - amount;
  charge.application_fee_amount = applicationFeeAmount;
  if (!store.deferBalanceTransactions) charge.balance_transaction = paymentTransaction(store, charge).id;

  const feeAccount = account ?? charge.transfer_data?.destination ?? null;
  if (applicationFeeAmount && feeAccount) {
    const fee: ApplicationFee = {
      id: newId("fee"),
      object: "application_fee",
      account: feeAccount,
      amount: applicationFeeAmount,
      amount_refunded: 0,
      application: "ca_fake_parley",
      balance_transaction: null,
      charge: charge.id,
      created: store.now(),
      currency: charge.currency,
      livemode: false,
      originating_transaction: null,
      refunded: false,
    };
    fee.balance_transaction = balanceTransaction(store, null, {
      amount: applicationFeeAmount,
      currency: charge.currency,
      source: fee.id,
      type: "application_fee",
      reporting_category: "platform_earning",
      description: null,
    }).id;
    store.put("applicationFees", fee, null);
    charge.application_fee = fee.id;
    store.emit("application_fee.created", fee);
  }

  // Destination charge: the platform forwards the amount less its fee (or transfer_data.amount).
  if (charge.transfer_data) {
    const transferAmount = charge.transfer_data.amount ?? amount - (applicationFeeAmount ?? 0);
    const transfer = makeTransfer(store, {
      amount: Math.min(transferAmount, amount),
      currency: charge.currency,
      destination: charge.transfer_data.destination,
      sourceTransaction: charge.id,
      transferGroup: charge.transfer_group ?? `group_${charge.payment_intent}`,
      description: null,
      metadata: {},
    });
    charge.transfer = transfer.id;
  }
}

/**
 * The balance transaction of a captured charge. Who pays Stripe's fee: the account the charge
 * lives on (the connected account for a direct charge, the platform for a destination charge).
 * A direct charge's application fee is deducted from the connected account's balance as well.
 */
function paymentTransaction(store: Store, charge: Charge): BalanceTransaction {
  const account = store.owner.get(charge.id) ?? null;
  const feeDetails: BalanceTransaction["fee_details"] = [
    { amount: processingFee(charge.amount_captured, charge.currency), application: null, currency: charge.currency, description: "Stripe processing fees", type: "stripe_fee" },
  ];
  if (account && charge.application_fee_amount)
    feeDetails.push({ amount: charge.application_fee_amount, application: "ca_fake_parley", currency: charge.currency, description: "Application fee", type: "application_fee" });
  return balanceTransaction(store, account, {
    amount: charge.amount_captured,
    currency: charge.currency,
    source: charge.id,
    type: "payment",
    reporting_category: "charge",
    description: charge.description,
    fee_details: feeDetails,
  });
}

/**
 * Makes the balance transactions that captures left for later, as Stripe does when it settles a
 * charge after the capture's answer: each charge gets its own and `charge.updated` is sent.
 */
export function settleCharges(store: Store): Charge[] {
  const settled: Charge[] = [];
  for (const charge of store.state.charges.values()) {
    if (!charge.captured || charge.balance_transaction) continue;
    charge.balance_transaction = paymentTransaction(store, charge).id;
    store.emit("charge.updated", charge, { previous: { balance_transaction: null } });
    settled.push(charge);
  }
  return settled;
}

export function retrieveCharge(ctx: Ctx): Charge {
  return ctx.store.need("charges", id(ctx), ctx.account, "charge");
}

export function listCharges(ctx: Ctx): unknown {
  const paymentIntent = str(ctx.params, "payment_intent");
  const customer = str(ctx.params, "customer");
  const items = ctx.store
    .on("charges", ctx.account)
    .filter((c) => (!paymentIntent || c.payment_intent === paymentIntent) && (!customer || c.customer === customer));
  return ctx.store.list(items, ctx.params, "/v1/charges", ["payment_intent", "customer"]);
}

export function retrieveApplicationFee(ctx: Ctx): ApplicationFee {
  return ctx.store.need("applicationFees", id(ctx), ctx.account, "application fee");
}
