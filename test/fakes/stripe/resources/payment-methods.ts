// PaymentMethods. Parley never sees card numbers: the browser (Stripe.js, or the test-mode card
// picker) hands over a PaymentMethod id. In test mode Stripe accepts magic ids such as
// `pm_card_visa` wherever a PaymentMethod is expected and mints a fresh `pm_…` from them; the
// fake does the same, and remembers which test card each minted PaymentMethod stands for.
import { AUTHENTICATION_REQUIRED, cardByNumber, cardByTestId, luhnValid, type CardProfile, type Decline } from "../cards";
import type { Ctx } from "../context";
import { id } from "../context";
import { invalidRequest, StripeFault } from "../errors";
import { allowOnly, allowOnlyNested, applyMetadata, hash, int, oneOf, str, type FormHash } from "../form";
import { fingerprint, newId } from "../ids";
import type { Store } from "../store";
import type { PaymentMethod } from "../types";

export function mintPaymentMethod(
  store: Store,
  profile: CardProfile,
  account: string | null,
  card: { expMonth?: number; expYear?: number } = {},
  billing: FormHash = {},
): PaymentMethod {
  const today = new Date(store.options.now());
  const pm: PaymentMethod = {
    id: newId("pm"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: typeof billing.email === "string" ? billing.email : null,
      name: typeof billing.name === "string" ? billing.name : null,
      phone: typeof billing.phone === "string" ? billing.phone : null,
    },
    card: {
      brand: profile.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: profile.country,
      display_brand: profile.brand,
      exp_month: card.expMonth ?? today.getUTCMonth() + 1,
      exp_year: card.expYear ?? today.getUTCFullYear() + 2,
      fingerprint: fingerprint(profile.number ?? profile.testId),
      funding: profile.funding,
      generated_from: null,
      last4: profile.number?.slice(-4) ?? "0000",
      networks: { available: [profile.brand], preferred: null },
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: store.now(),
    customer: null,
    livemode: false,
    metadata: {},
    type: "card",
  };
  store.put("paymentMethods", pm, account);
  store.paymentMethodInternals.set(pm.id, { profile, successes: 0, consumed: false, setUpForOffSession: false });
  return pm;
}

/** A PaymentMethod parameter: a test id mints a new PaymentMethod, anything else must exist. */
export function resolvePaymentMethod(ctx: Ctx, pmId: string, param: string): PaymentMethod {
  const profile = cardByTestId(pmId);
  if (profile) return mintPaymentMethod(ctx.store, profile, ctx.account);
  return ctx.store.need("paymentMethods", pmId, ctx.account, "PaymentMethod", param);
}

export function cardError(decline: Decline, extra: Record<string, unknown> = {}): StripeFault {
  return new StripeFault(402, {
    type: "card_error",
    code: decline.code,
    ...(decline.decline_code ? { decline_code: decline.decline_code } : {}),
    message: decline.message,
    doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, "-")}`,
    ...extra,
  });
}

export function attachPaymentMethod(ctx: Ctx, pmId: string, customerId: string, param: string): PaymentMethod {
  const { store } = ctx;
  const customer = store.need("customers", customerId, ctx.account, "customer", "customer");
  const pm = resolvePaymentMethod(ctx, pmId, param);
  const internals = store.paymentMethodInternals.get(pm.id);
  if (pm.customer === customer.id) return pm;
  if (pm.customer) throw invalidRequest("The payment method you provided has already been attached to a customer.", { param });
  if (internals?.consumed) throw reuseRefused(param);
  // Stripe checks the card with the issuer when it is saved: cards that decline outright fail here.
  if (internals?.profile.declineOnAttach && internals.profile.decline) throw cardError(internals.profile.decline, { param: "" });
  pm.customer = customer.id;
  store.emit("payment_method.attached", pm);
  return pm;
}

export function reuseRefused(param: string): StripeFault {
  return invalidRequest(
    "This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.",
    { param },
  );
}

/**
 * How a payment on this card turns out right now. `authenticated`: the customer passed
 * 3-D Secure for this payment. `offSession`: the customer is not there to authenticate.
 */
export function cardOutcome(store: Store, pm: PaymentMethod, options: { offSession: boolean; authenticated: boolean }): "succeeds" | "requires_action" | Decline {
  const internals = store.paymentMethodInternals.get(pm.id);
  if (!internals) return "succeeds";
  const needAuthentication = (): "requires_action" | Decline => (options.offSession ? AUTHENTICATION_REQUIRED : "requires_action");
  const { override, profile } = internals;
  if (override === "succeeds") return "succeeds";
  if (override === "authentication_required") return options.authenticated ? "succeeds" : needAuthentication();
  if (override) return override;
  const authenticationNeeded =
    profile.authentication === "always" || (profile.authentication === "unless_setup" && !(options.offSession && internals.setUpForOffSession));
  if (authenticationNeeded && !options.authenticated) return needAuthentication();
  if (profile.decline && internals.successes >= (profile.declineAfterSuccesses ?? 0)) return profile.decline;
  return "succeeds";
}

// ---- HTTP handlers -------------------------------------------------------------------------

/**
 * `POST /v1/payment_methods` as Stripe.js calls it: `type=card` with `card[number]`… (publishable
 * key only; Stripe refuses raw card numbers from a server) or `card[token]=tok_visa`.
 */
export function createPaymentMethod(ctx: Ctx): PaymentMethod {
  const { params } = ctx;
  allowOnly(params, ["type", "card", "billing_details", "metadata", "expand", "key", "payment_user_agent", "time_on_page", "guid", "muid", "sid"]);
  oneOf(params, "type", ["card"], true);
  const card = hash(params, "card") ?? {};
  allowOnlyNested(params, "card", ["number", "exp_month", "exp_year", "cvc", "token"]);
  let profile: CardProfile | undefined;
  const token = typeof card.token === "string" ? card.token : undefined;
  if (token) {
    profile = cardByTestId(token.replace(/^tok_/, "pm_card_"));
    if (!profile) throw invalidRequest(`No such token: '${token}'`, { param: "card[token]", code: "resource_missing" });
  } else {
    if (!ctx.publishable)
      throw invalidRequest(
        "Sending credit card numbers directly to the Stripe API is generally unsafe. We suggest you use test tokens that map to the test card you are using, see https://stripe.com/docs/testing.",
        { param: "card[number]" },
      );
    const number = typeof card.number === "string" ? card.number.replace(/\s+/g, "") : "";
    if (!number) throw invalidRequest("Missing required param: card[number].", { param: "card[number]", code: "parameter_missing" });
    if (!luhnValid(number)) throw cardError({ code: "incorrect_number", message: "Your card number is incorrect." }, { param: "number" });
    profile = cardByNumber(number);
    if (!profile)
      throw cardError({
        code: "card_declined",
        decline_code: "test_mode_live_card",
        message: "Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.",
      });
  }
  const expMonth = int(card, "exp_month");
  const rawYear = int(card, "exp_year");
  const expYear = rawYear !== undefined && rawYear < 100 ? 2000 + rawYear : rawYear;
  if (!token) {
    if (expMonth === undefined || expMonth < 1 || expMonth > 12)
      throw cardError({ code: "invalid_expiry_month", message: "Your card's expiration month is invalid." }, { param: "exp_month" });
    const now = new Date(ctx.store.options.now());
    if (expYear === undefined || expYear < now.getUTCFullYear() || (expYear === now.getUTCFullYear() && expMonth < now.getUTCMonth() + 1))
      throw cardError({ code: "invalid_expiry_year", message: "Your card's expiration year is invalid." }, { param: "exp_year" });
  }
  const pm = mintPaymentMethod(ctx.store, profile, ctx.account, { expMonth, expYear }, hash(params, "billing_details") ?? {});
  pm.metadata = applyMetadata({}, params);
  return pm;
}

export function retrievePaymentMethod(ctx: Ctx): PaymentMethod {
  const pmId = id(ctx);
  // A test id names a card, not a stored object: answer with what it would mint, unsaved.
  const profile = cardByTestId(pmId);
  if (profile) {
    const pm = mintPaymentMethod(ctx.store, profile, ctx.account);
    ctx.store.state.paymentMethods.delete(pm.id);
    ctx.store.paymentMethodInternals.delete(pm.id);
    ctx.store.owner.delete(pm.id);
    return { ...pm, id: pmId };
  }
  return ctx.store.need("paymentMethods", pmId, ctx.account, "PaymentMethod");
}

export function attachPaymentMethodHandler(ctx: Ctx): PaymentMethod {
  allowOnly(ctx.params, ["customer", "expand"]);
  const customer = str(ctx.params, "customer", true) ?? "";
  return attachPaymentMethod(ctx, id(ctx), customer, "payment_method");
}

export function detachPaymentMethod(ctx: Ctx): PaymentMethod {
  allowOnly(ctx.params, ["expand"]);
  const pm = ctx.store.need("paymentMethods", id(ctx), ctx.account, "PaymentMethod");
  if (!pm.customer) throw invalidRequest("The payment method you provided is not attached to a customer so detachment is impossible.", { code: "payment_method_unexpected_state" });
  pm.customer = null;
  const internals = ctx.store.paymentMethodInternals.get(pm.id);
  if (internals) internals.consumed = true;
  ctx.store.emit("payment_method.detached", pm);
  return pm;
}

export function listPaymentMethods(ctx: Ctx): unknown {
  const customer = str(ctx.params, "customer") ?? (ctx.ids[0] ? id(ctx) : undefined);
  if (ctx.ids[0]) ctx.store.need("customers", id(ctx), ctx.account, "customer");
  const items = ctx.store.on("paymentMethods", ctx.account).filter((pm) => pm.customer !== null && (!customer || pm.customer === customer));
  const url = ctx.ids[0] ? `/v1/customers/${id(ctx)}/payment_methods` : "/v1/payment_methods";
  return ctx.store.list(items, ctx.params, url, ["customer", "type"]);
}
