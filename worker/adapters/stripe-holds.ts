import type Stripe from "stripe";
import type { Merchant } from "../billing/connect";
import type { StripeCharge } from "../billing/fee-correction";
import { CARD_NOT_USABLE, type CardLabel } from "../billing/payment-state";
import { stripeChargeOf } from "./stripe-balance";

// The Stripe calls of a chat's automatic charges: holds on the customer's card, their captures
// and releases. Each carries an idempotency key derived from our own ids, so a retry after a
// crash or a replayed alarm repeats the call's first result instead of charging twice. Card
// errors come back as values, not exceptions: the caller records them.

export type HoldResult =
  | { status: "authorised"; paymentIntentId: string; amountMinor: number; paymentMethodId: string | null; card: CardLabel | null }
  | { status: "needs_action"; paymentIntentId: string; redirectUrl: string | null; clientSecret: string | null }
  | { status: "failed"; paymentIntentId: string | null; code: string; message: string };

const opts = (key: string, merchant: Merchant): Stripe.RequestOptions => ({
  idempotencyKey: key,
  ...(merchant.stripeAccount ? { stripeAccount: merchant.stripeAccount } : {}),
});

/** Stripe refused because the PaymentIntent is no longer in a state for this call (a lapsed or finished hold). */
const unexpectedState = (err: unknown) => (err as { type?: string; code?: string })?.type === "StripeInvalidRequestError" && (err as { code?: string }).code === "payment_intent_unexpected_state";

/**
 * A refusal, returned as a value: the card's (a decline), or a request Stripe will never accept
 * as it is (a card that may not be used again, say). Anything else (Stripe unreachable, its own
 * errors, rate limits) is thrown, and the step is tried again with the same key.
 */
function cardFailure(err: unknown): { code: string; message: string; paymentIntentId: string | null } | null {
  const e = err as { type?: string; code?: string; decline_code?: string; message?: string; raw?: { payment_intent?: { id?: string } }; payment_intent?: { id?: string } };
  const paymentIntentId = e?.payment_intent?.id ?? e?.raw?.payment_intent?.id ?? null;
  if (e?.type === "StripeCardError") return { code: e.decline_code ?? e.code ?? "card_declined", message: e.message ?? "The card was declined.", paymentIntentId };
  if (e?.type === "StripeInvalidRequestError") return { code: CARD_NOT_USABLE, message: "The card cannot be used for this payment.", paymentIntentId };
  return null;
}

export async function createCustomer(stripe: Stripe, chatId: string, contact: { name: string | null; email: string | null }, merchant: Merchant): Promise<string> {
  const customer = await stripe.customers.create(
    { name: contact.name ?? undefined, email: contact.email ?? undefined, metadata: { chat_id: chatId } },
    opts(`chat:${chatId}:customer`, merchant),
  );
  return customer.id;
}

/** The hold calls expand the card, so that the receipt can name it. */
const WITH_CARD = ["payment_method"];

function holdResult(pi: Stripe.PaymentIntent): HoldResult {
  if (pi.status === "requires_capture") {
    const pm = typeof pi.payment_method === "string" ? pi.payment_method : (pi.payment_method?.id ?? null);
    const card = typeof pi.payment_method === "object" ? pi.payment_method?.card : undefined;
    return { status: "authorised", paymentIntentId: pi.id, amountMinor: pi.amount_capturable, paymentMethodId: pm, card: card ? { brand: card.brand, last4: card.last4 } : null };
  }
  if (pi.status === "requires_action") {
    const url = pi.next_action?.redirect_to_url?.url ?? null;
    return { status: "needs_action", paymentIntentId: pi.id, redirectUrl: url, clientSecret: pi.client_secret };
  }
  const error = pi.last_payment_error;
  return { status: "failed", paymentIntentId: pi.id, code: error?.decline_code ?? error?.code ?? pi.status, message: error?.message ?? "The card could not be authorised." };
}

/**
 * Authorises (holds) an amount on the customer's card: manual capture, and the card saved for
 * off-session use. `n` numbers the holds of one chat; a new card for the same hold reuses its
 * PaymentIntent (`retryOf`), as Stripe recommends, instead of creating another.
 */
export async function placeHold(
  stripe: Stripe,
  p: {
    chatId: string;
    n: number;
    amountMinor: number;
    currency: string;
    customerId: string;
    paymentMethod: string;
    offSession: boolean;
    returnUrl: string;
    merchant: Merchant;
  },
): Promise<HoldResult> {
  try {
    const pi = await stripe.paymentIntents.create(
      {
        amount: p.amountMinor,
        currency: p.currency.toLowerCase(),
        customer: p.customerId,
        payment_method: p.paymentMethod,
        capture_method: "manual",
        confirm: true,
        // Cards only: no redirect-based methods, so an off-session confirm needs no return_url.
        allowed_payment_method_types: ["card"],
        ...(p.offSession ? { off_session: true } : { setup_future_usage: "off_session", return_url: p.returnUrl }),
        metadata: { chat_id: p.chatId, hold: String(p.n) },
        expand: WITH_CARD,
      },
      opts(`chat:${p.chatId}:hold:${p.n}`, p.merchant),
    );
    return holdResult(pi);
  } catch (err) {
    const failure = cardFailure(err);
    if (!failure) throw err;
    return { status: "failed", ...failure };
  }
}

/** A hold's PaymentIntent and the secret Stripe.js confirms it with in the customer's browser. */
export type HoldIntent = { paymentIntentId: string; clientSecret: string };

/**
 * The hold for Stripe's Payment Element: created unconfirmed (manual capture, the card saved for
 * off-session holds) and confirmed by Stripe.js in the customer's browser, 3-D Secure included;
 * our server then asks Stripe how it went (readHold) before the chat goes on.
 */
export async function createHoldIntent(
  stripe: Stripe,
  p: { chatId: string; n: number; amountMinor: number; currency: string; customerId: string; merchant: Merchant },
): Promise<HoldIntent> {
  const pi = await stripe.paymentIntents.create(
    {
      amount: p.amountMinor,
      currency: p.currency.toLowerCase(),
      customer: p.customerId,
      capture_method: "manual",
      setup_future_usage: "off_session",
      allowed_payment_method_types: ["card"],
      metadata: { chat_id: p.chatId, hold: String(p.n) },
    },
    opts(`chat:${p.chatId}:hold:${p.n}:intent`, p.merchant),
  );
  return { paymentIntentId: pi.id, clientSecret: pi.client_secret! };
}

/**
 * The client secret of an existing hold (a failed one the customer pays with another card). A
 * hold placed off-session, at a split bill, did not ask to save its card: the card the customer
 * now enters for it must be saved too, or no later charge could use it.
 */
export async function holdIntentOf(stripe: Stripe, paymentIntentId: string, merchant: Merchant): Promise<HoldIntent> {
  const account = merchant.stripeAccount ? { stripeAccount: merchant.stripeAccount } : {};
  let pi = await stripe.paymentIntents.retrieve(paymentIntentId, {}, account);
  if (pi.setup_future_usage !== "off_session") pi = await stripe.paymentIntents.update(pi.id, { setup_future_usage: "off_session" }, account);
  return { paymentIntentId: pi.id, clientSecret: pi.client_secret! };
}

/** Confirms an existing hold again with another card (after a decline), on session, saving that card for later holds. */
export async function retryHold(
  stripe: Stripe,
  p: { chatId: string; paymentIntentId: string; attempt: number; paymentMethod: string; returnUrl: string; merchant: Merchant },
): Promise<HoldResult> {
  try {
    const pi = await stripe.paymentIntents.confirm(
      p.paymentIntentId,
      { payment_method: p.paymentMethod, return_url: p.returnUrl, setup_future_usage: "off_session", expand: WITH_CARD },
      opts(`chat:${p.chatId}:confirm:${p.paymentIntentId}:${p.attempt}`, p.merchant),
    );
    return holdResult(pi);
  } catch (err) {
    const failure = cardFailure(err);
    if (!failure) throw err;
    return { status: "failed", ...failure };
  }
}

export async function readHold(stripe: Stripe, paymentIntentId: string, merchant: Merchant): Promise<HoldResult> {
  return holdResult(await stripe.paymentIntents.retrieve(paymentIntentId, { expand: WITH_CARD }, merchant.stripeAccount ? { stripeAccount: merchant.stripeAccount } : {}));
}

/**
 * Captures part or all of a hold; Stripe releases the rest of it. The answer carries the charge
 * with its balance transaction (expanded), so the ledger books Stripe's fees at once.
 */
export async function captureHold(
  stripe: Stripe,
  p: { chatId: string; n: number; paymentIntentId: string; amountMinor: number; applicationFeeMinor: number | null; merchant: Merchant },
): Promise<{ ok: true; chargeId: string | null; stripeCharge: StripeCharge | null } | { ok: false; code: string; message: string }> {
  try {
    const pi = await stripe.paymentIntents.capture(
      p.paymentIntentId,
      {
        amount_to_capture: p.amountMinor,
        ...(p.applicationFeeMinor !== null ? { application_fee_amount: p.applicationFeeMinor } : {}),
        expand: ["latest_charge.balance_transaction"],
      },
      opts(`chat:${p.chatId}:charge:${p.n}`, p.merchant),
    );
    const charge = typeof pi.latest_charge === "object" && pi.latest_charge ? pi.latest_charge : null;
    return { ok: true, chargeId: charge?.id ?? (typeof pi.latest_charge === "string" ? pi.latest_charge : null), stripeCharge: charge ? stripeChargeOf(charge) : null };
  } catch (err) {
    if (unexpectedState(err)) return { ok: false, code: "hold_lapsed", message: "The hold on the card has lapsed." };
    const failure = cardFailure(err);
    if (!failure) throw err;
    return { ok: false, code: failure.code, message: failure.message };
  }
}

/** Lets an unused hold go; one that already lapsed or was taken needs nothing more. */
export async function releaseHold(stripe: Stripe, p: { chatId: string; paymentIntentId: string; merchant: Merchant }): Promise<void> {
  try {
    await stripe.paymentIntents.cancel(p.paymentIntentId, {}, opts(`chat:${p.chatId}:release:${p.paymentIntentId}`, p.merchant));
  } catch (err) {
    if (!unexpectedState(err)) throw err;
  }
}
