// A small stand-in of Stripe.js v3 (https://js.stripe.com/v3/), served by the fake at GET /v3/,
// so the Payment Element path runs offline in Chromium. It has the calls Parley's page makes —
// Stripe(pk, {stripeAccount}), elements({clientSecret}), elements.create("payment"), mount,
// unmount, confirmPayment({elements, redirect: "if_required", confirmParams}) — and talks to the
// fake with the publishable key as Stripe.js does: it creates a PaymentMethod from the card
// number typed in, confirms the PaymentIntent with its client secret, and shows a 3-D Secure step
// of its own (Complete / Fail) when the PaymentIntent requires action.

export function stripeJs(origin: string): string {
  return `(() => {
  "use strict";
  const API = ${JSON.stringify(origin)};
  const css = ".fake-stripe-element{display:grid;gap:.5rem;font:15px system-ui,sans-serif}.fake-stripe-element label{display:grid;gap:.2rem;font-size:.85rem;color:#30313d}" +
    ".fake-stripe-element input{font:inherit;padding:.6rem .7rem;border:1px solid #e0e0e0;border-radius:6px;box-sizing:border-box;width:100%;min-width:0}.fake-stripe-row{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}" +
    ".fake-stripe-3ds{position:fixed;inset:0;background:rgb(0 0 0 / 45%);display:grid;place-items:center;z-index:9999}" +
    ".fake-stripe-3ds>div{background:#fff;border-radius:10px;padding:1.5rem;max-width:22rem;font:15px system-ui,sans-serif}.fake-stripe-3ds button{margin:.5rem .5rem 0 0;padding:.5rem 1rem;font:inherit}";

  async function call(stripe, method, path, params) {
    const headers = { Authorization: "Bearer " + stripe.key, "Content-Type": "application/x-www-form-urlencoded" };
    if (stripe.account) headers["Stripe-Account"] = stripe.account;
    const body = new URLSearchParams(params).toString();
    const res = await fetch(API + path + (method === "GET" ? "?" + body : ""), { method, headers, body: method === "GET" ? undefined : body });
    const json = await res.json();
    return res.ok ? { ok: json } : { error: json.error };
  }

  const secretOf = (clientSecret) => ({ id: clientSecret.split("_secret_")[0], clientSecret });

  function threeDSecure(pi) {
    return new Promise((resolve) => {
      const box = document.createElement("div");
      box.className = "fake-stripe-3ds";
      box.setAttribute("role", "dialog");
      box.setAttribute("aria-label", "3-D Secure authentication");
      const amount = (pi.amount / 100).toFixed(2) + " " + pi.currency.toUpperCase();
      box.innerHTML = '<div><p><strong>3-D Secure</strong> (fake Stripe)</p><p>Authorise a payment of ' + amount + '?</p>' +
        '<button type="button" data-outcome="complete">Complete authentication</button><button type="button" data-outcome="fail">Fail authentication</button></div>';
      box.addEventListener("click", async (event) => {
        const outcome = event.target.getAttribute && event.target.getAttribute("data-outcome");
        if (!outcome) return;
        await fetch(API + "/_fake/payment_intents/" + pi.id + "/authenticate", { method: "POST", body: new URLSearchParams({ outcome }) });
        box.remove();
        resolve();
      });
      document.body.append(box);
    });
  }

  function PaymentElement() {
    this.node = null;
  }
  PaymentElement.prototype.mount = function (target) {
    const host = typeof target === "string" ? document.querySelector(target) : target;
    // A constructed style sheet, not a <style> element: Parley's CSP allows no inline styles
    // (the real Stripe.js keeps its styles inside its own frames).
    if (!window.__fakeStripeStyle) {
      window.__fakeStripeStyle = new CSSStyleSheet();
      window.__fakeStripeStyle.replaceSync(css);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, window.__fakeStripeStyle];
    }
    this.node = document.createElement("div");
    this.node.className = "fake-stripe-element";
    this.node.innerHTML = '<label>Card number<input name="fake-card-number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234"></label>' +
      '<div class="fake-stripe-row"><label>Expiration date<input name="fake-card-expiry" placeholder="MM / YY" value="12 / 34"></label>' +
      '<label>Security code<input name="fake-card-cvc" placeholder="CVC" value="123"></label></div>';
    host.append(this.node);
  };
  PaymentElement.prototype.unmount = function () {
    if (this.node) this.node.remove();
    this.node = null;
  };
  PaymentElement.prototype.on = function () {
    return this;
  };

  function Elements(stripe, options) {
    if (!options || !options.clientSecret) throw new Error("IntegrationError: elements() needs a clientSecret (fake Stripe.js).");
    this.stripe = stripe;
    this.clientSecret = options.clientSecret;
    this.element = null;
  }
  Elements.prototype.create = function (type) {
    if (type !== "payment") throw new Error("IntegrationError: the fake Stripe.js only has the 'payment' element.");
    this.element = new PaymentElement();
    return this.element;
  };
  Elements.prototype.getElement = function () {
    return this.element;
  };

  function FakeStripe(key, options) {
    if (!/^pk_(test|live)_/.test(key || "")) throw new Error("IntegrationError: Stripe() needs a publishable key (fake Stripe.js).");
    this.key = key;
    this.account = (options && options.stripeAccount) || null;
  }
  FakeStripe.prototype.elements = function (options) {
    return new Elements(this, options);
  };
  FakeStripe.prototype.confirmPayment = async function ({ elements, redirect, confirmParams }) {
    const node = elements.element && elements.element.node;
    const number = node ? node.querySelector("[name=fake-card-number]").value.replace(/\\s+/g, "") : "";
    if (!/^\\d{12,19}$/.test(number)) return { error: { type: "validation_error", code: "incomplete_number", message: "Your card number is incomplete." } };
    const [month, year] = (node.querySelector("[name=fake-card-expiry]").value || "").split("/").map((v) => v.trim());
    const pm = await call(this, "POST", "/v1/payment_methods", {
      type: "card", "card[number]": number, "card[exp_month]": month || "12", "card[exp_year]": year || "34", "card[cvc]": node.querySelector("[name=fake-card-cvc]").value,
    });
    if (pm.error) return { error: pm.error };
    const { id, clientSecret } = secretOf(elements.clientSecret);
    const returnUrl = confirmParams && confirmParams.return_url;
    const confirmed = await call(this, "POST", "/v1/payment_intents/" + id + "/confirm", {
      client_secret: clientSecret, payment_method: pm.ok.id, ...(returnUrl ? { return_url: returnUrl } : {}),
    });
    if (confirmed.error) return { error: confirmed.error };
    let pi = confirmed.ok;
    if (pi.status === "requires_action") {
      await threeDSecure(pi);
      const again = await call(this, "GET", "/v1/payment_intents/" + id, { client_secret: clientSecret });
      if (again.error) return { error: again.error };
      pi = again.ok;
      if (pi.status === "requires_payment_method")
        return { error: { type: "card_error", code: "payment_intent_authentication_failure", message: (pi.last_payment_error && pi.last_payment_error.message) || "We are unable to authenticate your payment method.", payment_intent: pi } };
    }
    if (redirect !== "if_required" && returnUrl) {
      window.location.assign(returnUrl + (returnUrl.includes("?") ? "&" : "?") + "payment_intent=" + pi.id + "&redirect_status=succeeded");
      return {};
    }
    return { paymentIntent: pi };
  };

  window.Stripe = function Stripe(key, options) {
    return new FakeStripe(key, options);
  };
})();
`;
}
