// The fake's own routes under /_fake/, for what Stripe does in the customer's browser (3-D Secure
// challenge, Connect onboarding) and for tests and the local demo that talk to a fake running in
// another process (state dump, reset, webhook endpoints, test controls). Not part of Stripe's API.
import { TEST_CARDS } from "./cards";
import { formatAmount } from "./currency";
import { CORS_HEADERS } from "./router";
import type { FakeStripeControls } from "./controls";

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
.banner{background:#ffe08a;padding:.4rem .8rem;border-radius:4px;font-size:.85rem}button{font-size:1rem;padding:.5rem 1rem;margin:.25rem .5rem .25rem 0}</style></head>
<body><p class="banner">Fake Stripe — test mode, no real money moves</p><h1>${escape(title)}</h1>${body}</body></html>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body, null, 2), { status, headers: { "Content-Type": "application/json", ...CORS_HEADERS } });
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location } });
}

function withQuery(url: string, query: Record<string, string>): string {
  const target = new URL(url);
  for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v);
  return target.toString();
}

/** Maps collections to plain objects so the state survives JSON. */
function serialisable(state: object): unknown {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v instanceof Map ? Object.fromEntries(v) : v]));
}

export function describeCard(card: (typeof TEST_CARDS)[number]): string {
  const parts: string[] = [];
  if (card.authentication === "always") parts.push("always asks for 3-D Secure");
  if (card.authentication === "unless_setup") parts.push("asks for 3-D Secure unless saved for off-session use");
  if (card.decline && card.declineAfterSuccesses) parts.push(`first payment succeeds, later ones are declined (${card.decline.decline_code ?? card.decline.code})`);
  else if (card.decline) parts.push(`declined (${card.decline.decline_code ?? card.decline.code})`);
  return parts.length ? parts.join("; ") : "succeeds";
}

export async function handleTestRoute(request: Request, controls: FakeStripeControls): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname;
  const form = request.method === "POST" ? new URLSearchParams(await request.text()) : new URLSearchParams();
  const store = controls.store;
  let m: RegExpMatchArray | null;
  try {
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS_HEADERS });
    if (path === "/_fake/state" && request.method === "GET") return json(serialisable(store.state));
    if (path === "/_fake/reset" && request.method === "POST") {
      controls.reset();
      return json({ ok: true });
    }
    if (path === "/_fake/cards" && request.method === "GET")
      return json(TEST_CARDS.map((card) => ({ id: card.testId, brand: card.brand, last4: card.number?.slice(-4) ?? "0000", number: card.number ?? null, behaviour: describeCard(card) })));

    // 3-D Secure challenge page (next_action.redirect_to_url.url / use_stripe_sdk.stripe_js).
    if ((m = path.match(/^\/_fake\/3ds\/(pi_\w+)$/))) {
      const piId = m[1] ?? "";
      const pi = store.state.paymentIntents.get(piId);
      if (!pi) return page("Unknown payment", "<p>No such PaymentIntent.</p>", 404);
      const returnUrl = url.searchParams.get("return_url") ?? form.get("return_url") ?? store.pendingAuthentication.get(piId)?.returnUrl ?? null;
      if (request.method === "GET") {
        if (pi.status !== "requires_action") return page("Nothing to authenticate", `<p>This payment is ${escape(pi.status)}.</p>`);
        return page(
          "3-D Secure authentication",
          `<p>Authorise a payment of <strong>${escape(formatAmount(pi.amount, pi.currency))} ${escape(pi.currency.toUpperCase())}</strong>?</p>
<form method="post"><input type="hidden" name="return_url" value="${escape(returnUrl ?? "")}">
<button name="outcome" value="complete">Complete authentication</button><button name="outcome" value="fail">Fail authentication</button></form>`,
        );
      }
      const result = form.get("outcome") === "fail" ? controls.failAuthentication(piId) : controls.completeAuthentication(piId);
      const status = result.status === "requires_payment_method" ? "failed" : "succeeded";
      if (returnUrl)
        return redirect(withQuery(returnUrl, { payment_intent: piId, payment_intent_client_secret: result.client_secret, redirect_status: status }));
      return page(status === "succeeded" ? "Authentication complete" : "Authentication failed", "<p>You can close this window.</p>");
    }
    if ((m = path.match(/^\/_fake\/payment_intents\/(pi_\w+)\/(authenticate|expire)$/)) && request.method === "POST") {
      const piId = m[1] ?? "";
      if (m[2] === "expire") return json(controls.expireAuthorization(piId));
      return json(form.get("outcome") === "fail" ? controls.failAuthentication(piId) : controls.completeAuthentication(piId));
    }
    if ((m = path.match(/^\/_fake\/payment_methods\/(pm_\w+)\/outcome$/)) && request.method === "POST") {
      controls.setPaymentMethodOutcome(m[1] ?? "", form.get("outcome") ?? "succeeds");
      return json({ ok: true });
    }
    if (path === "/_fake/interrupt" && request.method === "POST") {
      const when = form.get("when");
      const pattern = form.get("path");
      if (!pattern || (when !== "before" && when !== "after")) return json({ error: "path and when (before|after) are required" }, 400);
      controls.interrupt({ method: form.get("method") ?? "POST", path: pattern, when });
      return json({ ok: true });
    }
    if (path === "/_fake/interrupt/clear" && request.method === "POST") {
      controls.clearInterruptions();
      return json({ ok: true });
    }
    if ((m = path.match(/^\/_fake\/charges\/(ch_\w+)\/dispute$/)) && request.method === "POST")
      return json(controls.createDispute(m[1] ?? "", { reason: form.get("reason") ?? undefined }));
    if (path === "/_fake/balance_transactions/defer" && request.method === "POST") {
      controls.deferBalanceTransactions(form.get("defer") !== "false");
      return json({ ok: true });
    }
    if (path === "/_fake/charges/settle" && request.method === "POST") return json(controls.settleCharges().map((c) => c.id));

    // Connect onboarding (AccountLink.url): one use, five minutes, then back to refresh_url.
    if ((m = path.match(/^\/_fake\/connect\/onboarding\/(\w+)$/))) {
      const link = store.accountLinks.get(m[1] ?? "");
      if (!link) return page("Link not found", "<p>This onboarding link does not exist.</p>", 404);
      if (link.used || link.expiresAt < store.now()) return redirect(link.refreshUrl);
      if (request.method === "GET")
        return page(
          "Connect onboarding",
          `<p>Onboarding for account <code>${escape(link.account)}</code> (${escape(link.type)}).</p>
<form method="post"><button name="action" value="complete">Complete onboarding</button><button name="action" value="leave">Leave without finishing</button></form>`,
        );
      link.used = true;
      if (form.get("action") === "complete") controls.completeOnboarding(link.account);
      return redirect(link.returnUrl);
    }
    // Checkout's hosted page (CheckoutSession.url): pay with a test card, or go back to cancel_url.
    if ((m = path.match(/^\/_fake\/checkout\/(cs_\w+)$/))) {
      const session = store.state.checkoutSessions.get(m[1] ?? "");
      if (!session) return page("Checkout not found", "<p>This Checkout Session does not exist.</p>", 404);
      if (session.status !== "open") return redirect(session.success_url.replace("{CHECKOUT_SESSION_ID}", session.id));
      const items = store.checkoutInternals.get(session.id)?.items ?? [];
      const lines = items
        .map((item) => store.state.prices.get(item.price))
        .map((price) => (price ? `<li>${escape(store.state.products.get(price.product)?.name ?? price.product)}: ${escape(formatAmount(price.unit_amount, price.currency))} ${escape(price.currency.toUpperCase())} per ${escape(price.recurring?.interval ?? "once")}</li>` : ""))
        .join("");
      const cardForm = `<form method="post"><label>Test card <select name="card"><option value="pm_card_visa">Visa 4242 (succeeds)</option><option value="pm_card_chargeDeclined">Visa 0002 (declined)</option></select></label>
<p><button name="action" value="pay">Subscribe</button><button name="action" value="cancel">Back</button></p></form>`;
      if (request.method === "GET") return page("Subscribe", `<ul>${lines}</ul>${cardForm}`);
      if (form.get("action") === "cancel") return redirect(session.cancel_url ?? session.success_url);
      const result = controls.completeCheckout(session.id, form.get("card") ?? "pm_card_visa");
      if (result.declined) return page("Subscribe", `<p role="alert">${escape(result.declined)}</p><ul>${lines}</ul>${cardForm}`, 402);
      return redirect(session.success_url.replace("{CHECKOUT_SESSION_ID}", session.id));
    }
    if ((m = path.match(/^\/_fake\/subscriptions\/(sub_\w+)\/renew$/)) && request.method === "POST")
      return json(controls.renewSubscription(m[1] ?? "", form.get("outcome") === "failed" ? "failed" : "paid"));
    if ((m = path.match(/^\/_fake\/accounts\/(acct_\w+)\/complete_onboarding$/)) && request.method === "POST") return json(controls.completeOnboarding(m[1] ?? ""));
    if ((m = path.match(/^\/_fake\/accounts\/(acct_\w+)\/transfer_failure$/)) && request.method === "POST") {
      controls.failTransfers(m[1] ?? "", form.get("code") || null);
      return json({ ok: true });
    }
    if ((m = path.match(/^\/_fake\/connect\/dashboard\/(acct_\w+)$/))) return page("Express dashboard", `<p>Account <code>${escape(m[1] ?? "")}</code>.</p>`);

    if (path === "/_fake/webhooks" && request.method === "POST") {
      const endpoint = { url: form.get("url") ?? "", secret: form.get("secret") ?? "" };
      if (!endpoint.url || !endpoint.secret) return json({ error: "url and secret are required" }, 400);
      controls.addWebhookEndpoint(endpoint);
      return json({ ok: true, endpoints: controls.webhookEndpoints().map((e) => e.url) });
    }
    if (path === "/_fake/webhooks/deliver" && request.method === "POST") {
      const urlParam = form.get("url");
      const secret = form.get("secret");
      if (urlParam && secret) return json(await controls.deliverTo(urlParam, { secret }));
      await controls.flushWebhooks();
      return json({ ok: true });
    }
    if ((m = path.match(/^\/_fake\/receipts\/(ch_\w+)$/))) {
      const charge = store.state.charges.get(m[1] ?? "");
      if (!charge) return page("Receipt not found", "", 404);
      return page("Receipt", `<p>${escape(formatAmount(charge.amount_captured, charge.currency))} ${escape(charge.currency.toUpperCase())} — ${escape(charge.description ?? "")}</p>`);
    }
    return json({ error: `No fake route ${request.method} ${path}` }, 404);
  } catch (err) {
    return json({ error: err instanceof Error ? err.message : String(err) }, 400);
  }
}
