// The HTTP surface: authentication, the Stripe-Account header, form decoding, routing,
// idempotency and the response envelope. Everything after the body is read runs synchronously,
// so concurrent requests cannot interleave inside a handler (Stripe serialises requests that
// share an idempotency key; the fake serialises all of them).
import type { Ctx, Handler } from "./context";
import { invalidRequest, StripeFault, type StripeErrorBody } from "./errors";
import { canonical, decodeForm, list, type FormHash } from "./form";
import { randomToken } from "./ids";
import * as accounts from "./resources/connect";
import * as balance from "./resources/balance-transactions";
import * as billing from "./resources/billing";
import * as charges from "./resources/charges";
import * as customers from "./resources/customers";
import * as events from "./resources/events";
import * as intents from "./resources/payment-intents";
import * as methods from "./resources/payment-methods";
import * as refunds from "./resources/refunds";
import type { Store } from "./store";

export interface RouterOptions {
  /** Accept only this secret key (default: any `sk_test_…` / `rk_test_…`). */
  apiKey?: string;
  /** Public origin for URLs the fake hands out; default: the origin of each request. */
  publicUrl?: string;
  apiVersion: string;
  strictConnect: boolean;
}

interface Route {
  method: "GET" | "POST" | "DELETE";
  pattern: RegExp;
  handler: Handler;
  /** Callable with a publishable key (what Stripe.js does in the browser). */
  publishable?: boolean;
}

const ID = "([A-Za-z0-9_]+)";

function routes(options: RouterOptions): Route[] {
  const rules = { strictConnect: options.strictConnect };
  const r = (method: Route["method"], path: string, handler: Handler, publishable = false): Route => ({
    method,
    pattern: new RegExp(`^${path.replace(/:id/g, ID)}$`),
    handler,
    publishable,
  });
  return [
    r("POST", "/v1/customers", customers.createCustomer),
    r("GET", "/v1/customers", customers.listCustomers),
    r("GET", "/v1/customers/:id", customers.retrieveCustomer),
    r("POST", "/v1/customers/:id", customers.updateCustomer),
    r("DELETE", "/v1/customers/:id", customers.deleteCustomer),
    r("GET", "/v1/customers/:id/payment_methods", methods.listPaymentMethods),

    r("POST", "/v1/payment_intents", (ctx) => intents.createPaymentIntent(ctx, rules)),
    r("GET", "/v1/payment_intents", intents.listPaymentIntents),
    r("GET", "/v1/payment_intents/:id", intents.retrievePaymentIntent, true),
    r("POST", "/v1/payment_intents/:id", (ctx) => intents.updatePaymentIntent(ctx, rules)),
    r("POST", "/v1/payment_intents/:id/confirm", (ctx) => intents.confirmPaymentIntentHandler(ctx, rules), true),
    r("POST", "/v1/payment_intents/:id/capture", intents.capturePaymentIntent),
    r("POST", "/v1/payment_intents/:id/cancel", intents.cancelPaymentIntent),

    r("POST", "/v1/payment_methods", methods.createPaymentMethod, true),
    r("GET", "/v1/payment_methods", methods.listPaymentMethods),
    r("GET", "/v1/payment_methods/:id", methods.retrievePaymentMethod),
    r("POST", "/v1/payment_methods/:id/attach", methods.attachPaymentMethodHandler),
    r("POST", "/v1/payment_methods/:id/detach", methods.detachPaymentMethod),

    r("GET", "/v1/charges", charges.listCharges),
    r("GET", "/v1/charges/:id", charges.retrieveCharge),
    r("GET", "/v1/balance_transactions", balance.listBalanceTransactions),
    r("GET", "/v1/balance_transactions/:id", balance.retrieveBalanceTransaction),
    r("GET", "/v1/application_fees/:id", charges.retrieveApplicationFee),

    r("POST", "/v1/refunds", refunds.createRefund),
    r("GET", "/v1/refunds", refunds.listRefunds),
    r("GET", "/v1/refunds/:id", refunds.retrieveRefund),

    r("POST", "/v1/accounts", accounts.createAccount),
    r("GET", "/v1/accounts", accounts.listAccounts),
    r("GET", "/v1/accounts/:id", accounts.retrieveAccount),
    r("POST", "/v1/accounts/:id", accounts.updateAccount),
    r("POST", "/v1/accounts/:id/login_links", accounts.createLoginLink),
    r("POST", "/v1/account_links", accounts.createAccountLink),
    r("POST", "/v1/transfers", (ctx) => accounts.createTransfer(ctx, options.strictConnect)),
    r("GET", "/v1/transfers", accounts.listTransfers),
    r("GET", "/v1/transfers/:id", accounts.retrieveTransfer),

    r("POST", "/v1/prices", billing.createPrice),
    r("GET", "/v1/prices", billing.listPrices),
    r("GET", "/v1/prices/:id", billing.retrievePrice),
    r("POST", "/v1/checkout/sessions", billing.createCheckoutSession),
    r("GET", "/v1/checkout/sessions/:id", billing.retrieveCheckoutSession),
    r("GET", "/v1/subscriptions", billing.listSubscriptions),
    r("GET", "/v1/subscriptions/:id", billing.retrieveSubscription),
    r("POST", "/v1/subscriptions/:id", billing.updateSubscription),
    r("DELETE", "/v1/subscriptions/:id", billing.cancelSubscription),
    r("GET", "/v1/invoices/:id", billing.retrieveInvoice),

    r("GET", "/v1/events", events.listEvents),
    r("GET", "/v1/events/:id", events.retrieveEvent),
  ];
}

export const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, Idempotency-Key, Stripe-Account, Stripe-Version",
  "Access-Control-Expose-Headers": "Request-Id, Stripe-Version, Idempotency-Key, Idempotent-Replayed, Original-Request",
};

type Key = { kind: "secret" | "publishable"; value: string };

function readKey(request: Request): string | null {
  const header = request.headers.get("Authorization");
  if (!header) return null;
  const [scheme, value = ""] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === "bearer") return value;
  if (scheme?.toLowerCase() === "basic") return atob(value).split(":")[0] ?? "";
  return null;
}

function authenticate(request: Request, options: RouterOptions): Key {
  const key = readKey(request);
  if (!key)
    throw new StripeFault(401, {
      type: "invalid_request_error",
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    });
  const masked = `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;
  const invalid = () => new StripeFault(401, { type: "invalid_request_error", message: `Invalid API Key provided: ${masked}` });
  if (key.startsWith("pk_test_")) return { kind: "publishable", value: key };
  // The fake is test mode only: a live key here means a misconfiguration, so refuse it loudly.
  if (!/^(sk|rk)_test_\w+$/.test(key)) throw invalid();
  if (options.apiKey && key !== options.apiKey) throw invalid();
  return { kind: "secret", value: key };
}

function json(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body, null, 2), { status, headers: { "Content-Type": "application/json", ...CORS_HEADERS, ...headers } });
}

function errorBody(fault: StripeFault): { error: StripeErrorBody } {
  return { error: fault.body };
}

export function createRouter(store: Store, options: RouterOptions) {
  const table = routes(options);

  return async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const requestId = `req_${randomToken(14)}`;
    const baseHeaders: Record<string, string> = {
      "Request-Id": requestId,
      "Stripe-Version": request.headers.get("Stripe-Version") ?? options.apiVersion,
    };
    const rawBody = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    // ---- from here on, synchronous ----
    store.baseUrl = options.publicUrl ?? url.origin;
    const idempotencyKey = request.method === "POST" ? request.headers.get("Idempotency-Key") : null;
    const account = request.headers.get("Stripe-Account");
    const record = (status: number, params: unknown, replayed = false) =>
      store.state.requests.push({ method: request.method, path: url.pathname, account, idempotencyKey, params, status, replayed, requestId });

    let params: FormHash = {};
    try {
      const key = authenticate(request, options);
      if ((request.headers.get("Content-Type") ?? "").includes("application/json"))
        throw invalidRequest("Stripe's v1 API takes application/x-www-form-urlencoded parameters, not JSON.");
      params = decodeForm(request.method === "POST" ? rawBody : url.search.slice(1));

      const matches = table.filter((route) => route.pattern.test(url.pathname));
      const route = matches.find((candidate) => candidate.method === request.method);
      if (!route)
        throw invalidRequest(
          `Unrecognized request URL (${request.method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
          { status: 404 },
        );
      if (key.kind === "publishable" && !route.publishable)
        throw new StripeFault(401, {
          type: "invalid_request_error",
          message: "This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.",
        });
      if (account && !store.get("accounts", account, null))
        throw new StripeFault(403, {
          type: "invalid_request_error",
          code: "account_invalid",
          message: `The provided key '${key.value.slice(0, 8)}***' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
        });

      // Idempotency: the first response to a key is stored and replayed byte for byte; a key
      // reused on another endpoint or with other parameters is an error. Keys are per account.
      const scope = `${account ?? ""}\u0000${idempotencyKey ?? ""}`;
      const fingerprint = canonical(params);
      if (idempotencyKey) {
        if (idempotencyKey.length > 255) throw invalidRequest("Idempotency keys can be at most 255 characters long.", { param: "Idempotency-Key" });
        const stored = store.idempotency.get(scope);
        if (stored) {
          if (stored.method !== request.method || stored.path !== url.pathname)
            throw new StripeFault(400, {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${stored.method} ${stored.path}' vs '${request.method} ${url.pathname}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            });
          if (stored.fingerprint !== fingerprint)
            throw new StripeFault(400, {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were used with previously. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            });
          record(stored.status, params, true);
          return new Response(stored.body, {
            status: stored.status,
            headers: {
              "Content-Type": "application/json",
              ...CORS_HEADERS,
              ...baseHeaders,
              "Idempotency-Key": idempotencyKey,
              "Idempotent-Replayed": "true",
              "Original-Request": stored.requestId,
              ...(account ? { "Stripe-Account": account } : {}),
            },
          });
        }
      }

      const ctx: Ctx = {
        store,
        params,
        account,
        method: request.method,
        path: url.pathname,
        ids: route.pattern.exec(url.pathname)?.slice(1) ?? [],
        publishable: key.kind === "publishable",
        apiVersion: request.headers.get("Stripe-Version") ?? options.apiVersion,
      };
      let status = 200;
      let body: unknown;
      store.currentRequest = { id: requestId, idempotencyKey };
      try {
        const result = route.handler(ctx);
        body = store.expand(store.snapshot(result), list(params, "expand"));
      } catch (err) {
        if (!(err instanceof StripeFault)) throw err;
        status = err.status;
        body = errorBody(err);
      } finally {
        store.currentRequest = null;
      }
      const text = JSON.stringify(body, null, 2);
      // Stripe saves the result once the endpoint started executing: successes, card errors
      // and server errors; a request refused by validation can be retried with the same key.
      if (idempotencyKey && (status === 200 || status === 402 || status >= 500))
        store.idempotency.set(scope, { method: request.method, path: url.pathname, fingerprint, status, body: text, requestId });
      record(status, params);
      return new Response(text, {
        status,
        headers: {
          "Content-Type": "application/json",
          ...CORS_HEADERS,
          ...baseHeaders,
          ...(idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}),
          ...(account ? { "Stripe-Account": account } : {}),
        },
      });
    } catch (err) {
      if (err instanceof StripeFault) {
        record(err.status, params);
        return json(err.status, errorBody(err), baseHeaders);
      }
      const message = err instanceof Error ? `${err.message}\n${err.stack ?? ""}` : String(err);
      record(500, params);
      return json(500, { error: { type: "api_error", message: `fake Stripe failed: ${message}` } }, baseHeaders);
    }
  };
}
