import type Stripe from "stripe";
import type { Merchant } from "../billing/connect";
import type { StripeCharge } from "../billing/fee-correction";
import type { InvoiceTerms } from "../billing/invoice";
import { stripeChargeOf } from "./stripe-balance";

// The Stripe calls of a manual payment request. The PaymentIntent is created once per invoice
// with the fixed terms (key `chat:{id}:invoice:{n}`), so a repeat after a crash returns the same
// one; each card the customer tries is a confirmation of it with a key of its own.

export type InvoicePayment =
  | { status: "paid"; paymentIntentId: string; amountMinor: number; stripeCharge: StripeCharge | null }
  | { status: "needs_action"; paymentIntentId: string; redirectUrl: string | null }
  | { status: "failed"; paymentIntentId: string; code: string; message: string };

/** A declined card (or one that needs authentication off-session) as a value; anything else is thrown on. */
function cardError(err: unknown): { code: string; message: string } | null {
  const e = err as { type?: string; code?: string; decline_code?: string; message?: string };
  return e?.type === "StripeCardError" ? { code: e.decline_code ?? e.code ?? "card_declined", message: e.message ?? "The card was declined." } : null;
}

const account = (merchant: Merchant): Stripe.RequestOptions => (merchant.stripeAccount ? { stripeAccount: merchant.stripeAccount } : {});

/** An invoice's PaymentIntent and the secret Stripe.js confirms it with in the customer's browser. */
export type InvoiceIntent = { paymentIntentId: string; clientSecret: string };

/** Automatic capture: the money moves as soon as the card is confirmed (by our server with a test card, or by Stripe.js). */
export async function createInvoicePayment(
  stripe: Stripe,
  p: { chatId: string; n: number; terms: InvoiceTerms; applicationFeeMinor: number | null; merchant: Merchant },
): Promise<InvoiceIntent> {
  const pi = await stripe.paymentIntents.create(
    {
      amount: p.terms.amountMinor,
      currency: p.terms.currency.toLowerCase(),
      description: p.terms.description,
      // Cards only: no redirect-based methods; 3-D Secure still comes back as requires_action.
      allowed_payment_method_types: ["card"],
      ...(p.applicationFeeMinor !== null ? { application_fee_amount: p.applicationFeeMinor } : {}),
      metadata: { chat_id: p.chatId, invoice: String(p.n), kind: p.terms.kind },
    },
    { idempotencyKey: `chat:${p.chatId}:invoice:${p.n}`, ...account(p.merchant) },
  );
  return { paymentIntentId: pi.id, clientSecret: pi.client_secret! };
}

/** The client secret of an invoice's PaymentIntent made earlier (the customer opens Pay Now again). */
export async function invoiceIntentOf(stripe: Stripe, paymentIntentId: string, merchant: Merchant): Promise<InvoiceIntent> {
  const pi = await stripe.paymentIntents.retrieve(paymentIntentId, {}, account(merchant));
  return { paymentIntentId: pi.id, clientSecret: pi.client_secret! };
}

/** Asked of every answer about the payment, so a paid one brings Stripe's fees for the ledger. */
const WITH_FEES = ["latest_charge.balance_transaction"];

function paymentResult(pi: Stripe.PaymentIntent): InvoicePayment {
  if (pi.status === "succeeded") {
    const charge = typeof pi.latest_charge === "object" ? pi.latest_charge : null;
    return { status: "paid", paymentIntentId: pi.id, amountMinor: pi.amount_received, stripeCharge: charge ? stripeChargeOf(charge) : null };
  }
  if (pi.status === "requires_action") return { status: "needs_action", paymentIntentId: pi.id, redirectUrl: pi.next_action?.redirect_to_url?.url ?? null };
  const error = pi.last_payment_error;
  return {
    status: "failed",
    paymentIntentId: pi.id,
    code: error?.decline_code ?? error?.code ?? pi.status,
    message: error?.message ?? (pi.status === "requires_payment_method" ? "The payment was not completed." : "The card could not be charged."),
  };
}

/** Pays the invoice with one card; `attempt` numbers the cards tried, so each has its own key. */
export async function confirmInvoicePayment(
  stripe: Stripe,
  p: { chatId: string; n: number; paymentIntentId: string; attempt: number; paymentMethod: string; returnUrl: string; merchant: Merchant },
): Promise<InvoicePayment> {
  try {
    const pi = await stripe.paymentIntents.confirm(
      p.paymentIntentId,
      { payment_method: p.paymentMethod, return_url: p.returnUrl, expand: WITH_FEES },
      { idempotencyKey: `chat:${p.chatId}:invoice:${p.n}:confirm:${p.attempt}`, ...account(p.merchant) },
    );
    return paymentResult(pi);
  } catch (err) {
    const failure = cardError(err);
    if (!failure) throw err;
    return { status: "failed", paymentIntentId: p.paymentIntentId, code: failure.code, message: failure.message };
  }
}

/** What Stripe says now: after 3-D Secure, or when a webhook reports the payment. */
export async function readInvoicePayment(stripe: Stripe, paymentIntentId: string, merchant: Merchant): Promise<InvoicePayment> {
  return paymentResult(await stripe.paymentIntents.retrieve(paymentIntentId, { expand: WITH_FEES }, account(merchant)));
}

/**
 * A withdrawn invoice (replaced by a new one, or the chat ended) must not be paid any more: its
 * PaymentIntent is canceled. Null when it was; what Stripe says when it could not be, because the
 * customer paid (or is paying) first, which is then still recorded.
 */
export async function cancelInvoicePayment(stripe: Stripe, p: { chatId: string; n: number; paymentIntentId: string; merchant: Merchant }): Promise<InvoicePayment | null> {
  try {
    await stripe.paymentIntents.cancel(p.paymentIntentId, {}, { idempotencyKey: `chat:${p.chatId}:invoice:${p.n}:cancel`, ...account(p.merchant) });
    return null;
  } catch (err) {
    if ((err as { code?: string })?.code !== "payment_intent_unexpected_state") throw err;
    return readInvoicePayment(stripe, p.paymentIntentId, p.merchant);
  }
}
