// PaymentIntents, the heart of Parley's money flow:
//   hold      create(capture_method=manual, setup_future_usage=off_session) → confirm on session
//             → requires_capture (or requires_action for 3-D Secure, then requires_capture)
//   charge    capture(amount_to_capture ≤ hold): succeeded, the rest released
//   next hold create(customer, payment_method, off_session=true, confirm=true)
//   release   cancel → canceled
// A declined attempt leaves the PaymentIntent in requires_payment_method with
// last_payment_error, answers 402 with the PaymentIntent inside the error, and can be retried
// on the same PaymentIntent with another card — as Stripe does.
import { AUTHENTICATION_REQUIRED, type Decline } from "../cards";
import type { Ctx } from "../context";
import { id } from "../context";
import { checkChargeAmount, currencyParam } from "../currency";
import { docUrl, invalidRequest, type StripeFault, unexpectedState, unknownParameter } from "../errors";
import { allowOnly, allowOnlyNested, applyMetadata, bool, hash, int, isEmpty, list, oneOf, str, type FormHash } from "../form";
import { newId, randomToken } from "../ids";
import type { Store } from "../store";
import type { PaymentIntent, PaymentMethod } from "../types";
import { captureCharge, newCharge } from "./charges";
import { checkCanReceiveTransfers } from "./connect";
import { cardError, cardOutcome, resolvePaymentMethod, reuseRefused } from "./payment-methods";

export interface PaymentIntentRules {
  /** Refuse charges on connected accounts that have not finished onboarding (as Stripe does). */
  strictConnect: boolean;
}

const FUTURE_USAGE = ["off_session", "on_session"] as const;
const CAPTURE_METHODS = ["automatic", "automatic_async", "manual"] as const;
const CONFIRMABLE = ["requires_payment_method", "requires_confirmation", "requires_action"] as const;
const CANCELABLE = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"] as const;

const CREATE_PARAMS = [
  "amount", "currency", "customer", "capture_method", "confirm", "confirmation_method", "description", "metadata",
  "off_session", "on_behalf_of", "payment_method", "allowed_payment_method_types", "payment_method_types", "payment_method_options",
  "automatic_payment_methods", "receipt_email", "return_url", "setup_future_usage", "shipping", "statement_descriptor",
  "statement_descriptor_suffix", "transfer_data", "transfer_group", "application_fee_amount", "error_on_requires_action",
  "mandate_data", "radar_options", "use_stripe_sdk", "excluded_payment_method_types", "payment_method_configuration", "expand",
] as const;

const UPDATE_PARAMS = [
  "amount", "currency", "customer", "capture_method", "description", "metadata", "payment_method", "allowed_payment_method_types",
  "payment_method_types", "excluded_payment_method_types", "payment_method_options", "receipt_email", "setup_future_usage", "shipping", "statement_descriptor",
  "statement_descriptor_suffix", "transfer_data", "transfer_group", "application_fee_amount", "expand",
] as const;
// What may still change once the PaymentIntent is confirmed.
const UPDATABLE_AFTER_CONFIRM = ["description", "metadata", "receipt_email", "shipping", "statement_descriptor", "statement_descriptor_suffix", "transfer_group", "expand"];

const CONFIRM_PARAMS = [
  "payment_method", "off_session", "return_url", "setup_future_usage", "receipt_email", "error_on_requires_action", "mandate_data",
  "payment_method_options", "allowed_payment_method_types", "payment_method_types", "excluded_payment_method_types", "shipping", "capture_method", "use_stripe_sdk", "radar_options", "client_secret", "expand",
] as const;

function offSessionParam(params: FormHash): boolean | undefined {
  const raw = str(params, "off_session");
  if (raw === undefined) return undefined;
  if (raw === "one_off" || raw === "recurring") return true;
  return bool(params, "off_session");
}

/**
 * API version 2026-09-30.endive (stripe-node 23) replaced the `payment_method_types` parameter
 * of PaymentIntents by `allowed_payment_method_types`; a request made with that version or a
 * later one that still sends the old name gets parameter_unknown, as from Stripe.
 */
const PAYMENT_METHOD_TYPES_REMOVED = "2026-09-30";

function allowedTypesParam(ctx: Ctx): string[] | undefined {
  if (ctx.params.payment_method_types !== undefined && ctx.apiVersion.slice(0, 10) >= PAYMENT_METHOD_TYPES_REMOVED)
    throw unknownParameter("payment_method_types");
  return list(ctx.params, "allowed_payment_method_types") ?? list(ctx.params, "payment_method_types");
}

/** Payment method types that never redirect the customer away. */
const NO_REDIRECT_TYPES = ["card", "link"];

function statusList(statuses: readonly string[]): string {
  return statuses.join(", ");
}

// ---- create / retrieve / update ------------------------------------------------------------

export function createPaymentIntent(ctx: Ctx, rules: PaymentIntentRules): PaymentIntent {
  const { params, store } = ctx;
  allowOnly(params, CREATE_PARAMS);
  allowOnlyNested(params, "transfer_data", ["destination", "amount"]);
  allowOnlyNested(params, "automatic_payment_methods", ["enabled", "allow_redirects"]);

  const amount = int(params, "amount", { required: true }) ?? 0;
  const currency = currencyParam(str(params, "currency", true) ?? "");
  checkChargeAmount(amount, currency);
  const customer = str(params, "customer");
  if (customer) store.need("customers", customer, ctx.account, "customer", "customer");
  const confirm = bool(params, "confirm") ?? false;
  const offSession = offSessionParam(params);
  if (offSession !== undefined && !confirm) throw invalidRequest("You can only pass `off_session` when `confirm` is true.", { param: "off_session" });
  if (str(params, "return_url") && !confirm) throw invalidRequest("You can only pass `return_url` when `confirm` is true.", { param: "return_url" });

  const types = allowedTypesParam(ctx);
  const automatic = hash(params, "automatic_payment_methods");

  const applicationFee = int(params, "application_fee_amount", { min: 0 });
  const transferData = hash(params, "transfer_data");
  let transfer: PaymentIntent["transfer_data"] = null;
  if (transferData) {
    const destination = str(transferData, "destination", true) ?? "";
    checkCanReceiveTransfers(store, destination, "transfer_data[destination]", rules.strictConnect);
    const transferAmount = int(transferData, "amount", { min: 0 });
    if (transferAmount !== undefined && transferAmount > amount)
      throw invalidRequest("The transfer amount cannot be greater than the charge amount.", { param: "transfer_data[amount]" });
    transfer = { destination, ...(transferAmount !== undefined ? { amount: transferAmount } : {}) };
  }
  if (applicationFee !== undefined) {
    if (!ctx.account && !transfer)
      throw invalidRequest(
        "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).",
        { param: "application_fee_amount" },
      );
    if (applicationFee > amount) throw invalidRequest("The application fee amount cannot be greater than the amount.", { param: "application_fee_amount" });
  }
  const onBehalfOf = str(params, "on_behalf_of");
  if (onBehalfOf) store.need("accounts", onBehalfOf, null, "account", "on_behalf_of");

  const pmId = str(params, "payment_method");
  const pm = pmId ? resolvePaymentMethod(ctx, pmId, "payment_method") : undefined;
  const pi: PaymentIntent = {
    id: newId("pi"),
    object: "payment_intent",
    allowed_payment_method_types: types ?? null,
    amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: applicationFee ?? null,
    // Since API version 2023-08-16 a PaymentIntent without a list of payment method types uses
    // the dashboard's payment methods, redirect-based ones included.
    automatic_payment_methods:
      types && !automatic ? null : { enabled: automatic?.enabled !== "false", allow_redirects: automatic?.allow_redirects === "never" ? "never" : "always" },
    canceled_at: null,
    cancellation_reason: null,
    capture_method: oneOf(params, "capture_method", CAPTURE_METHODS) ?? "automatic_async",
    client_secret: "",
    confirmation_method: oneOf(params, "confirmation_method", ["automatic", "manual"]) ?? "automatic",
    created: store.now(),
    currency,
    customer: customer ?? null,
    description: str(params, "description") ?? null,
    excluded_payment_method_types: list(params, "excluded_payment_method_types") ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: applyMetadata({}, params),
    next_action: null,
    on_behalf_of: onBehalfOf ?? null,
    payment_method: pm?.id ?? null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" } },
    payment_method_types: types ?? ["card"],
    processing: null,
    receipt_email: str(params, "receipt_email") ?? null,
    review: null,
    setup_future_usage: oneOf(params, "setup_future_usage", FUTURE_USAGE) ?? null,
    shipping: params.shipping ?? null,
    source: null,
    statement_descriptor: str(params, "statement_descriptor") ?? null,
    statement_descriptor_suffix: str(params, "statement_descriptor_suffix") ?? null,
    status: pm ? "requires_confirmation" : "requires_payment_method",
    transfer_data: transfer,
    transfer_group: str(params, "transfer_group") ?? null,
  };
  pi.client_secret = `${pi.id}_secret_${randomToken(25)}`;
  store.put("paymentIntents", pi, ctx.account);
  store.emit("payment_intent.created", pi);
  if (confirm)
    confirmPaymentIntent(ctx, pi, rules, {
      offSession: offSession ?? false,
      returnUrl: str(params, "return_url") ?? null,
      errorOnRequiresAction: bool(params, "error_on_requires_action") ?? false,
    });
  return pi;
}

export function retrievePaymentIntent(ctx: Ctx): PaymentIntent {
  const pi = ctx.store.need("paymentIntents", id(ctx), ctx.account, "payment_intent");
  if (ctx.publishable) checkClientSecret(ctx, pi);
  return pi;
}

function checkClientSecret(ctx: Ctx, pi: PaymentIntent): void {
  const secret = str(ctx.params, "client_secret", true);
  if (secret !== pi.client_secret)
    throw invalidRequest("The client_secret provided does not match the client_secret associated with the PaymentIntent.", { param: "client_secret" });
}

export function updatePaymentIntent(ctx: Ctx, rules: PaymentIntentRules): PaymentIntent {
  const { params, store } = ctx;
  allowOnly(params, UPDATE_PARAMS);
  allowOnlyNested(params, "transfer_data", ["destination", "amount"]);
  const pi = ctx.store.need("paymentIntents", id(ctx), ctx.account, "payment_intent");
  if (!(CONFIRMABLE as readonly string[]).includes(pi.status)) {
    const locked = Object.keys(params).find((key) => !UPDATABLE_AFTER_CONFIRM.includes(key));
    if (locked)
      throw unexpectedState(
        `This PaymentIntent's ${locked} could not be updated because it has a status of ${pi.status}. You may only update the ${locked} of a PaymentIntent with one of the following statuses: ${statusList(CONFIRMABLE)}.`,
        locked,
      );
  }
  const amount = int(params, "amount");
  const currency = params.currency !== undefined ? currencyParam(str(params, "currency", true) ?? "") : undefined;
  if (amount !== undefined || currency !== undefined) checkChargeAmount(amount ?? pi.amount, currency ?? pi.currency);
  if (amount !== undefined) pi.amount = amount;
  if (currency !== undefined) pi.currency = currency;
  if (params.customer !== undefined) {
    const customer = str(params, "customer");
    if (customer) store.need("customers", customer, ctx.account, "customer", "customer");
    pi.customer = customer ?? null;
  }
  for (const field of ["description", "receipt_email", "statement_descriptor", "statement_descriptor_suffix", "transfer_group"] as const)
    if (params[field] !== undefined) pi[field] = isEmpty(params, field) ? null : (str(params, field) ?? null);
  if (params.shipping !== undefined) pi.shipping = params.shipping === "" ? null : params.shipping;
  if (params.metadata !== undefined) pi.metadata = applyMetadata(pi.metadata, params);
  if (params.setup_future_usage !== undefined)
    pi.setup_future_usage = isEmpty(params, "setup_future_usage") ? null : (oneOf(params, "setup_future_usage", FUTURE_USAGE) ?? null);
  if (params.capture_method !== undefined) pi.capture_method = oneOf(params, "capture_method", CAPTURE_METHODS) ?? pi.capture_method;
  setAllowedTypes(ctx, pi);
  if (params.excluded_payment_method_types !== undefined) pi.excluded_payment_method_types = list(params, "excluded_payment_method_types") ?? null;
  if (params.application_fee_amount !== undefined) {
    const fee = isEmpty(params, "application_fee_amount") ? null : (int(params, "application_fee_amount", { min: 0 }) ?? null);
    if (fee !== null && fee > pi.amount) throw invalidRequest("The application fee amount cannot be greater than the amount.", { param: "application_fee_amount" });
    pi.application_fee_amount = fee;
  }
  const transferData = hash(params, "transfer_data");
  if (transferData) {
    const destination = str(transferData, "destination") ?? pi.transfer_data?.destination;
    if (!destination) throw invalidRequest("Missing required param: transfer_data[destination].", { param: "transfer_data[destination]", code: "parameter_missing" });
    checkCanReceiveTransfers(store, destination, "transfer_data[destination]", rules.strictConnect);
    const transferAmount = int(transferData, "amount", { min: 0 });
    pi.transfer_data = { destination, ...(transferAmount !== undefined ? { amount: transferAmount } : {}) };
  }
  if (params.payment_method !== undefined) {
    const pmId = str(params, "payment_method");
    pi.payment_method = pmId ? resolvePaymentMethod(ctx, pmId, "payment_method").id : null;
    pi.status = pi.payment_method ? "requires_confirmation" : "requires_payment_method";
    pi.next_action = null;
  }
  return pi;
}

function setAllowedTypes(ctx: Ctx, pi: PaymentIntent): void {
  const types = allowedTypesParam(ctx);
  if (!types) return;
  pi.allowed_payment_method_types = types;
  pi.payment_method_types = types;
}

export function listPaymentIntents(ctx: Ctx): unknown {
  const customer = str(ctx.params, "customer");
  const items = ctx.store.on("paymentIntents", ctx.account).filter((pi) => !customer || pi.customer === customer);
  return ctx.store.list(items, ctx.params, "/v1/payment_intents", ["customer"]);
}

// ---- confirm -------------------------------------------------------------------------------

export function confirmPaymentIntentHandler(ctx: Ctx, rules: PaymentIntentRules): PaymentIntent {
  const { params } = ctx;
  allowOnly(params, CONFIRM_PARAMS);
  const pi = ctx.store.need("paymentIntents", id(ctx), ctx.account, "payment_intent");
  if (ctx.publishable) checkClientSecret(ctx, pi);
  else if (params.client_secret !== undefined) throw invalidRequest("Received unknown parameter: client_secret", { param: "client_secret" });
  if (params.setup_future_usage !== undefined)
    pi.setup_future_usage = isEmpty(params, "setup_future_usage") ? null : (oneOf(params, "setup_future_usage", FUTURE_USAGE) ?? null);
  if (params.capture_method !== undefined) pi.capture_method = oneOf(params, "capture_method", CAPTURE_METHODS) ?? pi.capture_method;
  if (params.receipt_email !== undefined) pi.receipt_email = str(params, "receipt_email") ?? null;
  setAllowedTypes(ctx, pi);
  return confirmPaymentIntent(ctx, pi, rules, {
    paymentMethod: str(params, "payment_method"),
    offSession: offSessionParam(params) ?? false,
    returnUrl: str(params, "return_url") ?? null,
    errorOnRequiresAction: bool(params, "error_on_requires_action") ?? false,
  });
}

function confirmPaymentIntent(
  ctx: Ctx,
  pi: PaymentIntent,
  rules: PaymentIntentRules,
  options: { paymentMethod?: string; offSession: boolean; returnUrl: string | null; errorOnRequiresAction: boolean },
): PaymentIntent {
  const { store } = ctx;
  if (!(CONFIRMABLE as readonly string[]).includes(pi.status)) {
    const message =
      pi.status === "succeeded"
        ? "You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed."
        : `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${statusList(CONFIRMABLE)}.`;
    throw unexpectedState(message);
  }
  let pm: PaymentMethod | undefined;
  if (options.paymentMethod) pm = resolvePaymentMethod(ctx, options.paymentMethod, "payment_method");
  else if (pi.payment_method) pm = store.get("paymentMethods", pi.payment_method, ctx.account);
  if (!pm)
    throw unexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      "payment_method",
    );
  if (pm.customer && pm.customer !== pi.customer)
    throw invalidRequest(
      pi.customer
        ? `The provided PaymentMethod ${pm.id} belongs to a different Customer than ${pi.customer}.`
        : `The provided PaymentMethod ${pm.id} is attached to a Customer: pass that Customer as \`customer\` on the PaymentIntent to use it.`,
      { param: "payment_method" },
    );
  if (store.paymentMethodInternals.get(pm.id)?.consumed) throw reuseRefused("payment_method");
  if (!pi.payment_method_types.includes("card"))
    throw invalidRequest(
      `The PaymentMethod provided (card) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: ${pi.payment_method_types.join(", ")}.`,
      { param: "payment_method" },
    );
  // A server-side confirmation of a PaymentIntent that allows redirect-based payment methods
  // needs somewhere to send the customer back to; Stripe refuses it without a return_url.
  const mayRedirect = pi.payment_method_types.some((type) => !NO_REDIRECT_TYPES.includes(type)) || !pi.allowed_payment_method_types;
  if (!ctx.publishable && mayRedirect && pi.automatic_payment_methods?.enabled && pi.automatic_payment_methods.allow_redirects !== "never" && !options.returnUrl)
    throw invalidRequest(
      "This PaymentIntent is configured to accept payment methods enabled in your Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
    );
  const owner = store.owner.get(pi.id) ?? null;
  if (owner && rules.strictConnect && store.state.accounts.get(owner)?.capabilities.card_payments !== "active")
    throw invalidRequest(
      `Your account cannot currently make charges. To find out why charge creation is currently disabled, look at the \`requirements.disabled_reason\` property on this account (/v1/accounts/${owner}).`,
      { code: "account_invalid", status: 400 },
    );

  pi.payment_method = pm.id;
  let outcome = cardOutcome(store, pm, { offSession: options.offSession, authenticated: false });
  if (outcome === "requires_action" && options.errorOnRequiresAction) outcome = AUTHENTICATION_REQUIRED;
  if (outcome === "requires_action") {
    requireAction(store, pi, options.returnUrl);
    return pi;
  }
  if (outcome !== "succeeds") throw recordFailure(store, pi, pm, outcome, false);
  recordSuccess(store, pi, pm, false);
  return pi;
}

function requireAction(store: Store, pi: PaymentIntent, returnUrl: string | null): void {
  const page = `${store.baseUrl}/_fake/3ds/${pi.id}`;
  pi.status = "requires_action";
  pi.next_action = returnUrl
    ? { type: "redirect_to_url", redirect_to_url: { url: `${page}?return_url=${encodeURIComponent(returnUrl)}`, return_url: returnUrl } }
    : { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: page, source: newId("src") } };
  pi.last_payment_error = null;
  store.pendingAuthentication.set(pi.id, { returnUrl });
  store.emit("payment_intent.requires_action", pi);
}

/** A declined attempt: failed charge, PaymentIntent back to requires_payment_method, 402. */
function recordFailure(store: Store, pi: PaymentIntent, pm: PaymentMethod, decline: Decline, authenticated: boolean): StripeFault {
  const charge = newCharge(store, pi, pm, { decline, authenticated });
  pi.status = "requires_payment_method";
  pi.latest_charge = charge.id;
  pi.next_action = null;
  pi.last_payment_error = {
    type: "card_error",
    code: decline.code,
    ...(decline.decline_code ? { decline_code: decline.decline_code } : {}),
    message: decline.message,
    doc_url: docUrl(decline.code),
    charge: charge.id,
    payment_method: store.snapshot(pm),
  };
  // Stripe detaches the failed card from the PaymentIntent; the customer must supply one again.
  pi.payment_method = null;
  store.pendingAuthentication.delete(pi.id);
  store.emit("charge.failed", charge);
  store.emit("payment_intent.payment_failed", pi);
  return cardError(decline, { charge: charge.id, payment_intent: store.snapshot(pi), payment_method: store.snapshot(pm) });
}

function recordSuccess(store: Store, pi: PaymentIntent, pm: PaymentMethod, authenticated: boolean): void {
  const internals = store.paymentMethodInternals.get(pm.id);
  if (internals) {
    internals.successes += 1;
    if (pi.setup_future_usage) internals.setUpForOffSession = true;
  }
  // setup_future_usage saves the card on the customer; a card used without a customer cannot be
  // used again.
  if (pi.setup_future_usage && pi.customer && !pm.customer) {
    pm.customer = pi.customer;
    store.emit("payment_method.attached", pm);
  } else if (!pm.customer && internals) internals.consumed = true;

  const charge = newCharge(store, pi, pm, { authenticated });
  pi.latest_charge = charge.id;
  pi.last_payment_error = null;
  pi.next_action = null;
  store.pendingAuthentication.delete(pi.id);
  if (pi.capture_method === "manual") {
    pi.status = "requires_capture";
    pi.amount_capturable = pi.amount;
    store.emit("charge.succeeded", charge);
    store.emit("payment_intent.amount_capturable_updated", pi);
  } else {
    captureCharge(store, charge, pi.amount, pi.application_fee_amount);
    pi.status = "succeeded";
    pi.amount_received = pi.amount;
    store.emit("charge.succeeded", charge);
    store.emit("payment_intent.succeeded", pi);
  }
}

// ---- 3-D Secure (the customer's side, driven by tests or the fake's 3DS page) ---------------

function pendingIntent(store: Store, piId: string): { pi: PaymentIntent; pm: PaymentMethod } {
  const pi = store.state.paymentIntents.get(piId);
  if (!pi) throw new Error(`fake Stripe: no PaymentIntent ${piId}`);
  if (pi.status !== "requires_action" || !pi.payment_method)
    throw new Error(`fake Stripe: PaymentIntent ${piId} is ${pi.status}, not waiting for authentication`);
  const pm = store.state.paymentMethods.get(pi.payment_method);
  if (!pm) throw new Error(`fake Stripe: PaymentIntent ${piId} has no PaymentMethod`);
  return { pi, pm };
}

/** The customer passes 3-D Secure: the payment goes on (and may still be declined). */
export function completeAuthentication(store: Store, piId: string): PaymentIntent {
  const { pi, pm } = pendingIntent(store, piId);
  const outcome = cardOutcome(store, pm, { offSession: false, authenticated: true });
  if (outcome === "succeeds" || outcome === "requires_action") recordSuccess(store, pi, pm, true);
  else recordFailure(store, pi, pm, outcome, true);
  return pi;
}

/** The customer fails (or abandons) 3-D Secure. */
export function failAuthentication(store: Store, piId: string): PaymentIntent {
  const { pi, pm } = pendingIntent(store, piId);
  pi.status = "requires_payment_method";
  pi.next_action = null;
  pi.payment_method = null;
  pi.last_payment_error = {
    type: "invalid_request_error",
    code: "payment_intent_authentication_failure",
    message:
      "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
    doc_url: docUrl("payment_intent_authentication_failure"),
    payment_method: store.snapshot(pm),
  };
  store.pendingAuthentication.delete(pi.id);
  store.emit("payment_intent.payment_failed", pi);
  return pi;
}

// ---- capture / cancel ----------------------------------------------------------------------

export function capturePaymentIntent(ctx: Ctx): PaymentIntent {
  const { params, store } = ctx;
  allowOnly(params, ["amount_to_capture", "application_fee_amount", "metadata", "statement_descriptor", "statement_descriptor_suffix", "final_capture", "transfer_data", "expand"]);
  allowOnlyNested(params, "transfer_data", ["amount"]);
  const pi = store.need("paymentIntents", id(ctx), ctx.account, "payment_intent");
  if (pi.status !== "requires_capture")
    throw unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
    );
  if (bool(params, "final_capture") === false) throw invalidRequest("Multicapture is not enabled for this PaymentIntent (the fake does not support it).", { param: "final_capture" });
  const amount = int(params, "amount_to_capture", { min: 1 }) ?? pi.amount_capturable;
  if (amount > pi.amount_capturable)
    throw invalidRequest(`The amount_to_capture (${amount}) must be less than or equal to the PaymentIntent's amount_capturable (${pi.amount_capturable}).`, {
      param: "amount_to_capture",
      code: "amount_too_large",
    });
  const fee = int(params, "application_fee_amount", { min: 0 }) ?? pi.application_fee_amount;
  if (fee !== null && fee > amount) throw invalidRequest("The application fee amount cannot be greater than the captured amount.", { param: "application_fee_amount" });
  const transferAmount = int(hash(params, "transfer_data") ?? {}, "amount", { min: 0 });
  if (transferAmount !== undefined && pi.transfer_data) pi.transfer_data.amount = transferAmount;
  if (params.metadata !== undefined) pi.metadata = applyMetadata(pi.metadata, params);

  const charge = pi.latest_charge ? store.state.charges.get(pi.latest_charge) : undefined;
  if (!charge) throw new Error(`fake Stripe: PaymentIntent ${pi.id} has no charge to capture`);
  if (pi.transfer_data) charge.transfer_data = { ...pi.transfer_data };
  captureCharge(store, charge, amount, fee);
  pi.application_fee_amount = fee;
  pi.amount_received = amount;
  pi.amount_capturable = 0;
  pi.status = "succeeded";
  store.emit("charge.captured", charge);
  store.emit("payment_intent.succeeded", pi);
  return pi;
}

export function cancelPaymentIntent(ctx: Ctx): PaymentIntent {
  const { params, store } = ctx;
  allowOnly(params, ["cancellation_reason", "expand"]);
  const pi = store.need("paymentIntents", id(ctx), ctx.account, "payment_intent");
  const reason = oneOf(params, "cancellation_reason", ["duplicate", "fraudulent", "requested_by_customer", "abandoned"]) ?? null;
  if (!(CANCELABLE as readonly string[]).includes(pi.status))
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${statusList(CANCELABLE)}.`,
    );
  cancel(store, pi, reason);
  return pi;
}

/** Cancels and releases a hold: the uncaptured charge is shown as refunded, as Stripe does. */
function cancel(store: Store, pi: PaymentIntent, reason: string | null, chargeEvent = "charge.refunded"): void {
  const held = pi.status === "requires_capture";
  pi.status = "canceled";
  pi.canceled_at = store.now();
  pi.cancellation_reason = reason;
  pi.amount_capturable = 0;
  pi.next_action = null;
  store.pendingAuthentication.delete(pi.id);
  const charge = held && pi.latest_charge ? store.state.charges.get(pi.latest_charge) : undefined;
  if (charge) {
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded = charge.amount;
    charge.refunded = true;
    store.emit(chargeEvent, charge, { previous });
  }
  store.emit("payment_intent.canceled", pi);
}

/** An uncaptured hold older than Stripe's window (7 days for cards) lapses. */
export function expireAuthorization(store: Store, piId: string): PaymentIntent {
  const pi = store.state.paymentIntents.get(piId);
  if (!pi || pi.status !== "requires_capture") throw new Error(`fake Stripe: PaymentIntent ${piId} holds no authorisation`);
  cancel(store, pi, "automatic", "charge.expired");
  return pi;
}
