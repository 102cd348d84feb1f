// Customers: where a card is saved (setup_future_usage attaches the PaymentMethod here) so that
// later off-session PaymentIntents can charge it.
import type { Ctx } from "../context";
import { id } from "../context";
import { invalidRequest } from "../errors";
import { allowOnly, allowOnlyNested, applyMetadata, hash, isEmpty, str } from "../form";
import { newId, randomToken } from "../ids";
import type { Customer } from "../types";
import { attachPaymentMethod } from "./payment-methods";

const WRITABLE = ["email", "name", "phone", "description", "metadata", "invoice_settings", "preferred_locales", "expand"] as const;

export function createCustomer(ctx: Ctx): Customer {
  const { params, store } = ctx;
  allowOnly(params, [...WRITABLE, "payment_method"]);
  allowOnlyNested(params, "invoice_settings", ["default_payment_method"]);
  const customer: Customer = {
    id: newId("cus"),
    object: "customer",
    address: null,
    balance: 0,
    created: store.now(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: str(params, "description") ?? null,
    email: str(params, "email") ?? null,
    invoice_prefix: randomToken(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: applyMetadata({}, params),
    name: str(params, "name") ?? null,
    phone: str(params, "phone") ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
  store.put("customers", customer, ctx.account);
  const paymentMethod = str(params, "payment_method");
  if (paymentMethod) attachPaymentMethod(ctx, paymentMethod, customer.id, "payment_method");
  setDefaultPaymentMethod(ctx, customer);
  store.emit("customer.created", customer);
  return customer;
}

export function retrieveCustomer(ctx: Ctx): Customer {
  return ctx.store.need("customers", id(ctx), ctx.account, "customer");
}

export function updateCustomer(ctx: Ctx): Customer {
  const { params, store } = ctx;
  allowOnly(params, WRITABLE);
  allowOnlyNested(params, "invoice_settings", ["default_payment_method"]);
  const customer = retrieveCustomer(ctx);
  const previous: Record<string, unknown> = {};
  for (const field of ["email", "name", "phone", "description"] as const) {
    if (params[field] === undefined) continue;
    previous[field] = customer[field];
    customer[field] = isEmpty(params, field) ? null : (str(params, field) ?? null);
  }
  if (params.metadata !== undefined) {
    previous.metadata = customer.metadata;
    customer.metadata = applyMetadata(customer.metadata, params);
  }
  setDefaultPaymentMethod(ctx, customer);
  store.emit("customer.updated", customer, { previous });
  return customer;
}

export function deleteCustomer(ctx: Ctx): unknown {
  const customer = retrieveCustomer(ctx);
  ctx.store.state.customers.delete(customer.id);
  ctx.store.emit("customer.deleted", customer);
  return { id: customer.id, object: "customer", deleted: true };
}

export function listCustomers(ctx: Ctx): unknown {
  const email = str(ctx.params, "email");
  const items = ctx.store.on("customers", ctx.account).filter((c) => !email || c.email === email);
  return ctx.store.list(items, ctx.params, "/v1/customers", ["email"]);
}

function setDefaultPaymentMethod(ctx: Ctx, customer: Customer): void {
  const settings = hash(ctx.params, "invoice_settings");
  if (!settings || settings.default_payment_method === undefined) return;
  const pm = settings.default_payment_method;
  if (pm === "") {
    customer.invoice_settings.default_payment_method = null;
    return;
  }
  if (typeof pm !== "string") return;
  const method = ctx.store.need("paymentMethods", pm, ctx.account, "PaymentMethod", "invoice_settings[default_payment_method]");
  if (method.customer !== customer.id)
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${pm}. The payment method must be attached to the customer.`,
      { param: "invoice_settings[default_payment_method]" },
    );
  customer.invoice_settings.default_payment_method = pm;
}
