import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import app from "../../worker/index";
import { Customer } from "./live";
import { paidPath, paidRoom, type FakePI } from "./paid-chats";
import { STRIPE, stripeJsConfirm as confirmInBrowser, stripeJson } from "./stripe";

// Stripe's Payment Element for the customer's card (issue 4): the Worker makes the hold, Stripe.js
// confirms it in the browser with the client secret (here the test does what Stripe.js does, with
// the publishable key), and the Worker asks Stripe how the hold stands before the chat goes on.

const PK = "pk_test_parley_element";
const elementEnv = { ...env, STRIPE_PUBLISHABLE_KEY: PK };
const elementWorker = { fetch: async (request: Request) => app.fetch(request, elementEnv, createExecutionContext()) };

const stripeJsConfirm = (clientSecret: string, account: string, cardNumber: string) => confirmInBrowser<FakePI>(PK, clientSecret, account, cardNumber);

const secretIn = (html: string) => html.match(/data-payment-element-client-secret-value="([^"]+)"/)?.[1] ?? null;

describe("the customer's card in Stripe's Payment Element", () => {
  it("holds the amount only after the price is agreed, and lets the chat go on only when Stripe says the hold is in place", async () => {
    const { company } = await paidRoom("pe-hold");
    const account = (await env.DB.prepare("select stripe_account_id a from companies where slug = 'pe-hold'").first<{ a: string }>())!.a;
    const customer = new Customer();
    const chat = await customer.startChat(paidPath(company.slug));
    const browser = customer.browser.through(elementWorker);

    const first = await (await browser.get(`/chats/${chat.id}`)).text();
    expect(first).toContain("Agree and enter my card");
    expect(secretIn(first)).toBeNull();
    expect((await browser.post(`/chats/${chat.id}/hold`, {}, { from: `/chats/${chat.id}` })).status).toBe(422);

    expect((await browser.post(`/chats/${chat.id}/hold`, { agree: "on" }, { from: `/chats/${chat.id}` })).status).toBe(303);
    const page = await (await browser.get(`/chats/${chat.id}`)).text();
    const secret = secretIn(page)!;
    expect(secret).toMatch(/^pi_\w+_secret_\w+$/);
    expect(page).toContain('<script src="https://js.stripe.com/v3/"></script>');
    expect(page).toContain(`data-payment-element-publishable-key-value="${PK}"`);
    expect(page).toContain(`data-payment-element-stripe-account-value="${account}"`);
    const hold = await stripeJson<FakePI & { capture_method: string }>(`/v1/payment_intents/${secret.split("_secret_")[0]}`, { account });
    expect(hold).toMatchObject({ status: "requires_payment_method", amount: 5000, capture_method: "manual", metadata: { chat_id: chat.id } });

    // The browser says it is done before Stripe.js confirmed anything: the Worker asks Stripe and refuses.
    const early = await browser.get(`/chats/${chat.id}/authenticated`);
    expect(early.status).toBe(422);
    expect(await early.text()).toContain("Your card was not authorised. Please try again or use another card.");
    expect(await (await browser.get(`/chats/${chat.id}`)).text()).toContain("data-controller=\"payment-element\"");

    // A declined card in the element, then a good one: the same hold each time.
    await expect(stripeJsConfirm(secret, account, "4000000000009995")).rejects.toThrow(/402/);
    expect(await stripeJsConfirm(secret, account, "4242424242424242")).toMatchObject({ status: "requires_capture" });
    const done = await browser.get(`/chats/${chat.id}/authenticated`);
    expect(done.status).toBe(303);
    expect(await (await browser.get(`/chats/${chat.id}`)).text()).not.toContain("data-controller=\"payment-element\"");
  });

  it("is served as a stand-in of Stripe.js by the fake Stripe", async () => {
    const res = await fetch(`${STRIPE}/v3/`);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect(await res.text()).toContain("window.Stripe = function Stripe(key, options)");
  });
});
