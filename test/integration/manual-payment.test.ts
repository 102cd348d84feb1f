import { createExecutionContext, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Customer, connectedChat, later, setRoom, team, type Agent } from "./live";
import { closeAllSockets, frames, type LiveSocket } from "./sockets";
import { STRIPE, connectStripe, stripeApi, stripeJsConfirm as confirmInBrowser, stripeJson } from "./stripe";
import app from "../../worker/index";
import { chatObject } from "../../worker/live/stubs";
import { mailTo } from "./mail";
import { openDb } from "../../worker/stores/db";
import { insertEndpoint } from "../../worker/stores/webhooks";
import { sealSecret } from "../../worker/webhooks/secret";
import { untilReceived } from "./webhook-receiver";

// Manual payment requests (spec: Business Revenue — Manual Payment Request) against the fake
// Stripe: the agent's invoice, the customer's Pay Now, the receipt, the fee in the ledger, and
// the countdown of the service time bought.

const ROOM = "ON_DEMAND";

type FakePI = { id: string; status: string; amount: number; amount_received: number; capture_method: string; application_fee_amount: number | null; metadata: Record<string, string> };
type FakeRequest = { method: string; path: string; idempotencyKey: string | null; status: number };

const stripeGet = async <T,>(path: string, account: string | null = null): Promise<T> => (await stripeApi(path, { account: account ?? undefined })).json() as Promise<T>;

/** The PaymentIntents of a chat's invoices: on the company's connected account, or on Parley's for a solo agent. */
async function invoicePayments(chatId: string, account: string | null): Promise<FakePI[]> {
  const list = await stripeGet<{ data: FakePI[] }>("/v1/payment_intents?limit=100", account);
  return list.data.filter((p) => p.metadata.chat_id === chatId);
}


const chatDO = (chatId: string) => chatObject(env, chatId);

/** A company with a room in manual payment request mode; Alice may send payment requests unless told otherwise. */
async function manualRoom(slug: string, { allowed = true, account = "company" }: { allowed?: boolean; account?: "solo" | "company" } = {}) {
  const { company, agents } = await team(slug, ["Alice Martin"], { rooms: [ROOM] });
  await setRoom(slug, ROOM, "charging_mode = 'manual'");
  const alice = agents[0] as Agent;
  await env.DB.prepare("update agent_profiles set manual_payment_allowed = ? where user_id = ?").bind(allowed ? 1 : 0, alice.id).run();
  await env.DB.prepare("update companies set account_type = ? where slug = ?").bind(account, slug).run();
  const stripeAccount = account === "company" ? await connectStripe(slug) : null;
  const console = await alice.online("browser", ["GENERAL", ROOM]);
  return { company, alice, console, stripeAccount };
}

const serviceInvoice = { type: "invoice", kind: "service", description: "30-minute consultation", amount: "50.00", currency: "EUR", minutes: "30" };
const goodsInvoice = { type: "invoice", kind: "goods", description: "Signed copy of the book", amount: "25.00", currency: "EUR", minutes: "" };

const invoicePanel = (chatId: string, text?: string) => (f: string) => f.includes(`id="invoices-${chatId}"`) && (text === undefined || f.includes(text));

/** The agent sends a payment request and both parties see it. */
async function sendInvoice(agentSocket: LiveSocket, customerSocket: LiveSocket, chatId: string, invoice = serviceInvoice) {
  agentSocket.send(invoice);
  await agentSocket.next(invoicePanel(chatId, "Payment request sent."), "the sent request on the agent's screen");
  return customerSocket.next(invoicePanel(chatId, "Pay Now"), "the payment request on the customer's screen");
}

/** The customer presses Pay Now with a test card, as htmx does (CSRF header, HX-Request). */
async function payNow(customer: Customer, chatId: string, paymentMethod: string, n = 1): Promise<Response> {
  return customer.browser.htmxPost(`/chats/${chatId}/invoices/${n}/pay`, { paymentMethod });
}

const rows = <T,>(sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args).all<T>().then((r) => r.results);

/** Signs a webhook body as Stripe does and delivers it to the Worker. */
async function deliverWebhook(event: unknown): Promise<Response> {
  const body = JSON.stringify(event);
  const t = Math.floor(Date.now() / 1000);
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("whsec_parley_test"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`)));
  const signature = `t=${t},v1=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  return exports.default.fetch(new Request("https://parley.test/webhooks/stripe", { method: "POST", body, headers: { "stripe-signature": signature, "content-type": "application/json" } }));
}

async function succeededEvent(paymentIntentId: string, account: string | null) {
  const events = await stripeGet<{ data: { id: string; data: { object: { id: string } } }[] }>("/v1/events?type=payment_intent.succeeded&limit=100", account);
  return events.data.find((e) => e.data.object.id === paymentIntentId)!;
}

afterEach(async () => {
  await closeAllSockets();
  vi.useRealTimers();
});

describe("the agent's credit-card button", () => {
  it("is shown only to an agent whose Manual Payment Request the administrator enabled, in a manual room", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-a");
    const { agentSocket, customerSocket, chat } = await connectedChat(alice, console, `/c/invoice-a/${ROOM}`);
    expect(agentSocket.log.find(frames.snapshot(chat.id))).toContain("Payment request");
    expect(agentSocket.log.find(frames.snapshot(chat.id))).toContain('name="type" value="invoice"');
    expect(customerSocket.log.some((f) => f.includes('value="invoice"'))).toBe(false);
  });

  it("is not shown, and the message is refused, in a room without manual payment requests", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-a2");
    const { agentSocket, customerSocket, chat } = await connectedChat(alice, console, "/c/invoice-a2/GENERAL");
    expect(agentSocket.log.find(frames.snapshot(chat.id))).not.toContain("Payment request");
    agentSocket.send(serviceInvoice);
    await agentSocket.next(frames.error("Payment requests are not enabled for you in this room."), "the refusal in GENERAL");
    await customerSocket.nothing(invoicePanel(chat.id), "a payment request in GENERAL");
  });

  it("is not shown, and the message is refused, when the administrator has not enabled the agent", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-b", { allowed: false });
    const { agentSocket, customerSocket, chat } = await connectedChat(alice, console, `/c/invoice-b/${ROOM}`);
    expect(agentSocket.log.find(frames.snapshot(chat.id))).not.toContain("Payment request");
    agentSocket.send(serviceInvoice);
    await agentSocket.next(frames.error("Payment requests are not enabled for you in this room."), "the refusal");
    await customerSocket.nothing(invoicePanel(chat.id), "a payment request");
    expect(await rows("select id from invoices where chat_id = ?", chat.id)).toEqual([]);
  });

  it("is refused to the customer, who cannot send themselves an invoice", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-c");
    const { customerSocket, agentSocket, chat } = await connectedChat(alice, console, `/c/invoice-c/${ROOM}`);
    customerSocket.send(serviceInvoice);
    await customerSocket.next(frames.error("Only the agent can send a payment request."), "the refusal");
    await agentSocket.nothing(invoicePanel(chat.id, "Payment request sent."), "a request the customer made up");
  });
});

describe("the invoice form", () => {
  it("says what is wrong with each field and sends nothing to the customer", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-d");
    const { agentSocket, customerSocket, chat } = await connectedChat(alice, console, `/c/invoice-d/${ROOM}`);
    agentSocket.send({ type: "invoice", kind: "service", description: " ", amount: "12,50", currency: "EUR", minutes: "0" });
    const refused = await agentSocket.next(invoicePanel(chat.id, "has-error"), "the form with its errors");
    expect(refused).toContain("Describe what the customer pays for.");
    expect(refused).toContain("Use a dot for decimals and no thousands separators, for example 1250.50.");
    expect(refused).toContain("Enter the minutes of service bought, a whole number from 1 to 1440.");
    expect(refused).toContain('value="12,50"'); // the form comes back as it was typed

    agentSocket.send({ type: "invoice", kind: "goods", description: "Stickers", amount: "0.20", currency: "EUR", minutes: "" });
    expect(await agentSocket.next(invoicePanel(chat.id, "has-error"), "the minimum charge")).toContain("Stripe cannot take less than EUR 0.50 in one payment; enter at least 0.50.");
    agentSocket.send({ type: "invoice", description: "Stickers", amount: "5", currency: "EUR" });
    expect(await agentSocket.next(invoicePanel(chat.id, "has-error"), "the missing kind")).toContain("Choose Online Service Performance or Physical Goods.");

    await customerSocket.nothing(invoicePanel(chat.id), "a refused request");
    expect(await rows("select id from invoices where chat_id = ?", chat.id)).toEqual([]);
  });

  it("stores the invoice in the chat and in D1, and shows it to the customer at once", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-e");
    const { agentSocket, customerSocket, chat } = await connectedChat(alice, console, `/c/invoice-e/${ROOM}`);
    const shown = await sendInvoice(agentSocket, customerSocket, chat.id);
    expect(shown).toContain("Online Service Performance");
    expect(shown).toContain("30-minute consultation");
    expect(shown).toContain("30 minutes");
    expect(shown).toContain("Pay Now · EUR 50.00");
    expect(shown).toContain('value="pm_card_visa"');
    const stored = await runInDurableObject(chatDO(chat.id), (_, state) => state.storage.kv.get<{ invoices: { n: number; status: string; terms: unknown }[] }>("invoicing"));
    expect(stored?.invoices).toMatchObject([{ n: 1, status: "open", terms: { kind: "service", amountMinor: 5000, currency: "EUR", durationSeconds: 1800 } }]);
    expect(await rows("select kind, description, amount_minor, currency, duration_seconds, status from invoices where chat_id = ?", chat.id)).toEqual([
      { kind: "service", description: "30-minute consultation", amount_minor: 5000, currency: "EUR", duration_seconds: 1800, status: "open" },
    ]);
  });
});

describe("Pay Now", () => {
  it("charges the card once with the invoice's key, records the charge and the 10 % fee, mails a receipt, and tells the agent", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-f");
    const { agentSocket, customerSocket, chat, customer } = await connectedChat(alice, console, `/c/invoice-f/${ROOM}`);
    await sendInvoice(agentSocket, customerSocket, chat.id);

    const res = await payNow(customer, chat.id, "pm_card_visa");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Paid: EUR 50.00. A receipt is on its way to carla@example.com.");
    expect(await agentSocket.next(invoicePanel(chat.id, "New revenue"), "the agent's receipt")).toContain("New revenue: EUR 50.00 paid by Carla Customer.");
    await customerSocket.next(invoicePanel(chat.id, "Paid: EUR 50.00"), "the customer's receipt");

    const [pi, ...others] = await invoicePayments(chat.id, stripeAccount);
    expect(others).toEqual([]);
    // A direct charge on the company's own account, with Parley's 10 % as the application fee.
    expect(pi).toMatchObject({ status: "succeeded", amount_received: 5000, capture_method: expect.stringMatching(/^automatic/), application_fee_amount: 500, metadata: { invoice: "1" } });
    const { requests } = await stripeGet<{ requests: FakeRequest[] }>("/_fake/state");
    expect(requests.filter((r) => r.method === "POST" && r.path === "/v1/payment_intents" && r.idempotencyKey === `chat:${chat.id}:invoice:1`)).toHaveLength(1);

    expect(await rows("select kind, amount_minor, currency, status, idempotency_key, invoice_id from charges where chat_id = ?", chat.id)).toEqual([
      { kind: "service", amount_minor: 5000, currency: "EUR", status: "succeeded", idempotency_key: `chat:${chat.id}:invoice:1`, invoice_id: `${chat.id}:1` },
    ]);
    const ledger = await rows<{ kind: string; account: string; amount_minor: number }>("select kind, account, amount_minor from ledger_entries where chat_id = ?", chat.id);
    expect(ledger.reduce((t, l) => t + l.amount_minor, 0)).toBe(0);
    expect(ledger.find((l) => l.kind === "platform_fee" && l.account === "platform")?.amount_minor).toBe(500);
    expect(await rows("select status, payment_intent_id from invoices where chat_id = ?", chat.id)).toEqual([{ status: "paid", payment_intent_id: pi!.id }]);
    expect(await rows("select paid_minor, currency from chats where id = ?", chat.id)).toEqual([{ paid_minor: 5000, currency: "EUR" }]);
    expect(await rows("select to_address, subject from email_outbox where id like ? order by to_address", `${chat.id}:%`)).toEqual([
      { to_address: "alice@invoice-f.test", subject: "New revenue: EUR 50.00" },
      { to_address: "carla@example.com", subject: "Your receipt from invoice-f Ltd" },
    ]);

    // Stripe's webhook about the same payment changes nothing: one charge, one set of lines, two mails.
    const hook = await deliverWebhook(await succeededEvent(pi!.id, stripeAccount));
    expect(await hook.json()).toEqual({ received: true, duplicate: false });
    expect(await rows("select id from charges where chat_id = ?", chat.id)).toHaveLength(1);
    expect(await rows("select id from ledger_entries where chat_id = ?", chat.id)).toHaveLength(ledger.length);
    expect(await rows("select id from email_outbox where id like ?", `${chat.id}:%`)).toHaveLength(2);

    // The mail queue delivers both: the receipt says what was paid, to whom and where, in both parts.
    const receipt = await mailTo("carla@example.com", "Your receipt from invoice-f Ltd");
    expect(receipt?.text).toContain(`You paid EUR 50.00 for Online Service Performance: 30-minute consultation (30 minutes) (chat ${chat.id}). Thank you.`);
    expect(receipt?.text).toMatch(/Agent: +Alice/);
    expect(receipt?.text).toMatch(new RegExp(`Room: +${ROOM}`));
    expect(receipt?.html).toContain("EUR 50.00");
    expect(receipt?.text).toMatch(/Company: +invoice-f Ltd/);
    expect(receipt?.text).toMatch(/Currency: +EUR/);
    expect(receipt?.text).toMatch(/Duration: +30:00 min/);
    expect(receipt?.text).toMatch(/Chat started: +.+ UTC/);
    expect(await mailTo("alice@invoice-f.test", "New revenue: EUR 50.00")).toBeDefined();

    // A second press (a double click) pays nothing more.
    expect((await payNow(customer, chat.id, "pm_card_visa")).status).toBe(200);
    expect(await invoicePayments(chat.id, stripeAccount)).toHaveLength(1);
    expect((await invoicePayments(chat.id, stripeAccount))[0]!.amount_received).toBe(5000);
  });

  it("posts invoice.paid and payment.succeeded to the company's webhook endpoints", async () => {
    const { company, alice, console } = await manualRoom("invoice-hook");
    const endpointId = crypto.randomUUID();
    await insertEndpoint(openDb(env.DB), {
      id: endpointId,
      companyId: company.id,
      url: "http://localhost/ok/invoice-hook",
      events: ["invoice.paid", "payment.succeeded"],
      secretSealed: await sealSecret(env.WEBHOOK_SECRET_KEY!, endpointId, "whsec_invoice_hook"),
    });
    const { agentSocket, customerSocket, chat, customer } = await connectedChat(alice, console, `/c/invoice-hook/${ROOM}`);
    await sendInvoice(agentSocket, customerSocket, chat.id);
    expect((await payNow(customer, chat.id, "pm_card_visa")).status).toBe(200);

    const events = (await untilReceived("/ok/invoice-hook", 2)).map((r) => JSON.parse(r.body));
    expect(events.find((e) => e.type === "invoice.paid")).toMatchObject({
      id: expect.stringMatching(/^evt_invoice_paid_/),
      data: { chat: chat.id, amount: { minor: 5000, currency: "EUR" }, description: "30-minute consultation" },
    });
    expect(events.find((e) => e.type === "payment.succeeded")).toMatchObject({ data: { chat: chat.id, amount: { minor: 5000, currency: "EUR" } } });
  });

  it("takes 4 % for physical goods on a company account, and 20 % with a payout from a solo agent", async () => {
    const company = await manualRoom("invoice-g");
    const c1 = await connectedChat(company.alice, company.console, `/c/invoice-g/${ROOM}`);
    await sendInvoice(c1.agentSocket, c1.customerSocket, c1.chat.id, goodsInvoice);
    expect((await payNow(c1.customer, c1.chat.id, "pm_card_visa")).status).toBe(200);
    expect(await rows("select amount_minor from ledger_entries where chat_id = ? and kind = 'platform_fee' and account = 'platform'", c1.chat.id)).toEqual([{ amount_minor: 100 }]);
    expect(await rows("select kind from charges where chat_id = ?", c1.chat.id)).toEqual([{ kind: "goods" }]);

    const solo = await manualRoom("invoice-h", { account: "solo" });
    const c2 = await connectedChat(solo.alice, solo.console, `/c/invoice-h/${ROOM}`);
    await sendInvoice(c2.agentSocket, c2.customerSocket, c2.chat.id, goodsInvoice);
    expect((await payNow(c2.customer, c2.chat.id, "pm_card_visa")).status).toBe(200);
    expect(await rows("select amount_minor from ledger_entries where chat_id = ? and kind = 'platform_fee' and account = 'platform'", c2.chat.id)).toEqual([{ amount_minor: 500 }]);
    expect(await rows("select amount_minor, state from payouts where id = ?", `${c2.chat.id}:invoice:1:payout`)).toEqual([{ amount_minor: 2000, state: "scheduled" }]);
  });

  it("asks for another card after a decline, on the same PaymentIntent, and tells the agent", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-i");
    const { agentSocket, customerSocket, chat, customer } = await connectedChat(alice, console, `/c/invoice-i/${ROOM}`);
    await sendInvoice(agentSocket, customerSocket, chat.id);

    const declined = await payNow(customer, chat.id, "pm_card_chargeDeclinedInsufficientFunds");
    expect(declined.status).toBe(422);
    expect(await declined.text()).toContain("Please try another card.");
    expect(await agentSocket.next(invoicePanel(chat.id, "was not charged"), "the decline on the agent's screen")).toContain("insufficient funds");
    expect(await rows("select id from charges where chat_id = ?", chat.id)).toEqual([]);

    expect((await payNow(customer, chat.id, "pm_card_mastercard")).status).toBe(200);
    await agentSocket.next(invoicePanel(chat.id, "New revenue: EUR 50.00"), "the payment after the second card");
    const payments = await invoicePayments(chat.id, stripeAccount);
    expect(payments.map((p) => p.status)).toEqual(["succeeded"]);
  });

  it("sends the customer through 3-D Secure and records the payment when they come back", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-j");
    const { agentSocket, customerSocket, chat, customer } = await connectedChat(alice, console, `/c/invoice-j/${ROOM}`);
    await sendInvoice(agentSocket, customerSocket, chat.id);

    const res = await payNow(customer, chat.id, "pm_card_authenticationRequiredOnSetup");
    expect(res.status).toBe(204);
    const bank = res.headers.get("hx-redirect")!;
    expect(bank).toContain(`${STRIPE}/_fake/3ds/pi_`);
    await agentSocket.next(invoicePanel(chat.id, "confirming the payment with their bank"), "the agent told of 3-D Secure");
    const pi = (await invoicePayments(chat.id, stripeAccount))[0]!;
    await fetch(`${STRIPE}/_fake/payment_intents/${pi.id}/authenticate`, { method: "POST", body: new URLSearchParams({ outcome: "complete" }) });

    const back = await customer.browser.get(`/chats/${chat.id}/invoices/1/authenticated`);
    expect(back.status).toBe(303);
    expect(back.headers.get("location")).toBe(`/chats/${chat.id}`);
    await agentSocket.next(invoicePanel(chat.id, "New revenue: EUR 50.00"), "the payment after 3-D Secure");
    expect(await rows("select status from charges where chat_id = ?", chat.id)).toEqual([{ status: "succeeded" }]);
  });

  it("records a payment Stripe reports by webhook when the customer never came back from 3-D Secure, once", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-k");
    const { agentSocket, customerSocket, chat, customer } = await connectedChat(alice, console, `/c/invoice-k/${ROOM}`);
    await sendInvoice(agentSocket, customerSocket, chat.id);
    expect((await payNow(customer, chat.id, "pm_card_authenticationRequiredOnSetup")).status).toBe(204);
    const pi = (await invoicePayments(chat.id, stripeAccount))[0]!;
    await fetch(`${STRIPE}/_fake/payment_intents/${pi.id}/authenticate`, { method: "POST", body: new URLSearchParams({ outcome: "complete" }) });

    const event = await succeededEvent(pi.id, stripeAccount);
    expect(await (await deliverWebhook(event)).json()).toEqual({ received: true, duplicate: false });
    await agentSocket.next(invoicePanel(chat.id, "New revenue: EUR 50.00"), "the payment the webhook reported");
    expect(await (await deliverWebhook(event)).json()).toEqual({ received: true, duplicate: true });
    expect(await rows("select status from charges where chat_id = ?", chat.id)).toEqual([{ status: "succeeded" }]);
    // The charge's six lines and the two that correct the estimated processing fee to Stripe's.
    expect(await rows("select id from ledger_entries where chat_id = ?", chat.id)).toHaveLength(8);
  });

  it("is refused to anyone without this chat's cookie", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-l");
    const { agentSocket, customerSocket, chat } = await connectedChat(alice, console, `/c/invoice-l/${ROOM}`);
    await sendInvoice(agentSocket, customerSocket, chat.id);
    const stranger = new Customer();
    await stranger.browser.get("/c/invoice-l/GENERAL");
    expect((await payNow(stranger, chat.id, "pm_card_visa")).status).toBe(404);
    expect(await invoicePayments(chat.id, stripeAccount)).toEqual([]);
  });
});

// Pay Now in Stripe's Payment Element: the same Worker with a publishable key, and what Stripe.js
// does in the customer's browser with the card typed in (a PaymentMethod, then confirm with the
// PaymentIntent's client secret and the publishable key).
const PK = "pk_test_parley_invoice_element";
const elementWorker = { fetch: async (request: Request) => app.fetch(request, { ...env, STRIPE_PUBLISHABLE_KEY: PK }, createExecutionContext()) };

const stripeJsConfirm = (clientSecret: string, account: string | null, cardNumber: string) => confirmInBrowser<FakePI>(PK, clientSecret, account, cardNumber);

const elementValue = (html: string, name: string) => html.match(new RegExp(`data-payment-element-${name}-value="([^"]*)"`))?.[1] ?? null;

describe("Pay Now in Stripe's Payment Element", () => {
  it("confirms the invoice's one PaymentIntent in the browser, and records nothing until Stripe says it succeeded", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-pe");
    const { agentSocket, customerSocket, chat, customer } = await connectedChat(alice, console, `/c/invoice-pe/${ROOM}`);
    await sendInvoice(agentSocket, customerSocket, chat.id);
    const browser = customer.browser.through(elementWorker);

    const page = await browser.get(`/chats/${chat.id}/invoices/1/pay`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("30-minute consultation");
    expect(html).toContain("Pay Now · EUR 50.00");
    expect(html).toContain('<script src="https://js.stripe.com/v3/"></script>');
    expect(elementValue(html, "publishable-key")).toBe(PK);
    expect(elementValue(html, "stripe-account")).toBe(stripeAccount);
    expect(elementValue(html, "return-url")).toBe(`https://parley.test/chats/${chat.id}/invoices/1/authenticated`);
    const secret = elementValue(html, "client-secret")!;
    expect(secret).toMatch(/^pi_\w+_secret_\w+$/);

    // Opening the page again shows the same PaymentIntent: one per invoice, with Parley's 10 % on the company's account.
    expect(elementValue(await (await browser.get(`/chats/${chat.id}/invoices/1/pay`)).text(), "client-secret")).toBe(secret);
    const [pi, ...others] = await invoicePayments(chat.id, stripeAccount);
    expect(others).toEqual([]);
    expect(pi).toMatchObject({ id: secret.split("_secret_")[0], status: "requires_payment_method", amount: 5000, application_fee_amount: 500, metadata: { invoice: "1" } });

    // The browser comes back before Stripe.js confirmed anything: the Worker asks Stripe, and nothing is paid.
    const early = await browser.get(`/chats/${chat.id}/invoices/1/authenticated`);
    expect(early.status).toBe(422);
    expect(await early.text()).toContain("Please try again or use another card.");
    await agentSocket.nothing(invoicePanel(chat.id, "New revenue"), "revenue from an unconfirmed payment");
    expect(await rows("select id from charges where chat_id = ?", chat.id)).toEqual([]);
    expect(await rows("select status from invoices where chat_id = ?", chat.id)).toEqual([{ status: "open" }]);

    // A declined card, then a good one, on the same PaymentIntent.
    await expect(stripeJsConfirm(secret, stripeAccount, "4000000000009995")).rejects.toThrow(/402/);
    const declined = await browser.get(`/chats/${chat.id}/invoices/1/authenticated`);
    expect(declined.status).toBe(422);
    expect(await declined.text()).toContain("insufficient funds");
    expect(await agentSocket.next(invoicePanel(chat.id, "insufficient funds"), "the decline on the agent's screen")).toContain("The customer&#39;s card was not charged");

    expect(await stripeJsConfirm(secret, stripeAccount, "4242424242424242")).toMatchObject({ status: "succeeded" });
    const back = await browser.get(`/chats/${chat.id}/invoices/1/authenticated`);
    expect(back.status).toBe(303);
    expect(back.headers.get("location")).toBe(`/chats/${chat.id}`);
    expect(await agentSocket.next(invoicePanel(chat.id, "New revenue"), "the agent's receipt")).toContain("New revenue: EUR 50.00 paid by Carla Customer.");
    await customerSocket.next(invoicePanel(chat.id, "Paid: EUR 50.00. A receipt is on its way to carla@example.com."), "the customer's receipt");
    expect((await invoicePayments(chat.id, stripeAccount)).map((p) => [p.id, p.status])).toEqual([[pi!.id, "succeeded"]]);
    expect(await rows("select amount_minor, status, idempotency_key from charges where chat_id = ?", chat.id)).toEqual([
      { amount_minor: 5000, status: "succeeded", idempotency_key: `chat:${chat.id}:invoice:1` },
    ]);

    // Paid: the card page is gone, and coming back again records nothing more.
    const after = await browser.get(`/chats/${chat.id}/invoices/1/pay`);
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toBe(`/chats/${chat.id}`);
    expect((await browser.get(`/chats/${chat.id}/invoices/1/authenticated`)).status).toBe(303);
    expect(await rows("select id from charges where chat_id = ?", chat.id)).toHaveLength(1);
  });

  it("cancels a replaced request's PaymentIntent, so its card page takes no money; one paid first is still recorded", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-pe-replaced");
    const { agentSocket, customerSocket, chat, customer } = await connectedChat(alice, console, `/c/invoice-pe-replaced/${ROOM}`);
    const browser = customer.browser.through(elementWorker);
    await sendInvoice(agentSocket, customerSocket, chat.id);
    const first = elementValue(await (await browser.get(`/chats/${chat.id}/invoices/1/pay`)).text(), "client-secret")!;

    // The agent sends another request while the first one's card page is open.
    await sendInvoice(agentSocket, customerSocket, chat.id, goodsInvoice);
    const statusOf = async (id: string) => (await invoicePayments(chat.id, stripeAccount)).find((p) => p.id === id)?.status;
    await expect.poll(() => statusOf(first.split("_secret_")[0]!)).toBe("canceled");
    await expect(stripeJsConfirm(first, stripeAccount, "4242424242424242")).rejects.toThrow(/400/);
    expect(await rows("select id from charges where chat_id = ?", chat.id)).toEqual([]);

    // The customer pays the second request in the browser and never comes back; the agent then
    // sends a third: the payment Stripe took is recorded, not lost.
    const second = elementValue(await (await browser.get(`/chats/${chat.id}/invoices/2/pay`)).text(), "client-secret")!;
    expect(await stripeJsConfirm(second, stripeAccount, "4242424242424242")).toMatchObject({ status: "succeeded" });
    await sendInvoice(agentSocket, customerSocket, chat.id);
    await expect.poll(() => rows("select amount_minor, idempotency_key from charges where chat_id = ?", chat.id)).toEqual([
      { amount_minor: 2500, idempotency_key: `chat:${chat.id}:invoice:2` },
    ]);
    expect(await rows("select status from invoices where chat_id = ? order by created_at, id", chat.id)).toEqual([{ status: "canceled" }, { status: "paid" }, { status: "open" }]);
  });

  it("is refused to anyone without this chat's cookie, and makes no PaymentIntent for them", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-pe2");
    const { agentSocket, customerSocket, chat } = await connectedChat(alice, console, `/c/invoice-pe2/${ROOM}`);
    await sendInvoice(agentSocket, customerSocket, chat.id);
    const stranger = new Customer().browser.through(elementWorker);
    await stranger.get("/c/invoice-pe2/GENERAL");
    expect((await stranger.get(`/chats/${chat.id}/invoices/1/pay`)).status).toBe(404);
    expect((await stranger.get(`/chats/${chat.id}/invoices/1/authenticated`)).status).toBe(404);
    expect(await invoicePayments(chat.id, stripeAccount)).toEqual([]);
  });
});

describe("the paid service", () => {
  it("counts the purchased time down on both screens from Service Starts, across a refresh, and offers another session when it runs out", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-m");
    const { agentSocket, customerSocket, chat, customer } = await connectedChat(alice, console, `/c/invoice-m/${ROOM}`);
    await sendInvoice(agentSocket, customerSocket, chat.id);
    expect((await payNow(customer, chat.id, "pm_card_visa")).status).toBe(200);
    const receipt = await agentSocket.next(invoicePanel(chat.id, "New revenue"), "the agent's receipt");
    expect(receipt).toContain("Service Starts");
    expect(receipt).toContain("Service Finished");
    expect(receipt).toContain("30:00");

    customerSocket.send({ type: "service", action: "start", invoice: "1" });
    await customerSocket.next(frames.error("There is no paid service to start or finish."), "the customer refused the agent's button");

    agentSocket.send({ type: "service", action: "start", invoice: "1" });
    for (const socket of [agentSocket, customerSocket]) {
      const running = await socket.next(invoicePanel(chat.id, 'data-controller="countdown"'), "the running countdown");
      expect(running).toContain('data-countdown-seconds-value="1800"');
    }

    // Ten minutes later the customer's page is refreshed: the countdown goes on where it was.
    later(600);
    customerSocket.close();
    const again = await chat.socket();
    expect(again.log.find(frames.snapshot(chat.id))).toContain('data-countdown-seconds-value="1200"');

    // The time runs out: the clock shows the purchased 30:00 again and the customer may buy more.
    later(1200);
    expect(await runDurableObjectAlarm(chatDO(chat.id))).toBe(true);
    const spent = await again.next(invoicePanel(chat.id, "The session time is up."), "the end of the session");
    expect(spent).toContain("30:00");
    expect(spent).not.toContain('data-controller="countdown"');
    expect(spent).toContain("Buy another session · EUR 50.00");
    await agentSocket.next(invoicePanel(chat.id, "The customer may buy another session."), "the agent told");

    again.send({ type: "buyAgain", invoice: "1" });
    expect(await again.next(invoicePanel(chat.id, "Pay Now"), "the new request")).toContain("Pay Now · EUR 50.00");
    expect(await agentSocket.next(invoicePanel(chat.id, "asked for another session"), "the agent told of it")).toContain("30-minute consultation");
    expect(await rows("select id, status, duration_seconds from invoices where chat_id = ? order by created_at, id", chat.id)).toEqual([
      { id: `${chat.id}:1`, status: "paid", duration_seconds: 1800 },
      { id: `${chat.id}:2`, status: "open", duration_seconds: 1800 },
    ]);
    expect((await payNow(customer, chat.id, "pm_card_visa", 2)).status).toBe(200);
    expect(await rows("select idempotency_key from charges where chat_id = ? order by seq", chat.id)).toEqual([
      { idempotency_key: `chat:${chat.id}:invoice:1` },
      { idempotency_key: `chat:${chat.id}:invoice:2` },
    ]);
  });

  it("stops the countdown at Service Finished", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-n");
    const { agentSocket, customerSocket, chat, customer } = await connectedChat(alice, console, `/c/invoice-n/${ROOM}`);
    await sendInvoice(agentSocket, customerSocket, chat.id);
    expect((await payNow(customer, chat.id, "pm_card_visa")).status).toBe(200);
    agentSocket.send({ type: "service", action: "start", invoice: "1" });
    await customerSocket.next(invoicePanel(chat.id, 'data-controller="countdown"'), "the running countdown");
    agentSocket.send({ type: "service", action: "finish", invoice: "1" });
    const finished = await customerSocket.next(invoicePanel(chat.id, "Service finished."), "the finished service");
    expect(finished).not.toContain('data-controller="countdown"');
    expect(finished).not.toContain("Buy another session");
    // Only the chat's own tick is left: the countdown's deadline is gone.
    expect(await runInDurableObject(chatDO(chat.id), (_, state) => Object.keys(state.storage.kv.get<Record<string, number>>("deadlines") ?? {}))).toEqual(["tick"]);
  });

  it("shows a receipt and no countdown for physical goods, which Service Finished ends", async () => {
    const { alice, console, stripeAccount } = await manualRoom("invoice-o");
    const { agentSocket, customerSocket, chat, customer } = await connectedChat(alice, console, `/c/invoice-o/${ROOM}`);
    await sendInvoice(agentSocket, customerSocket, chat.id, goodsInvoice);
    expect((await payNow(customer, chat.id, "pm_card_visa")).status).toBe(200);
    const receipt = await agentSocket.next(invoicePanel(chat.id, "New revenue: EUR 25.00"), "the agent's receipt");
    expect(receipt).toContain("Physical Goods");
    expect(receipt).not.toContain("Service Starts");
    expect(receipt).not.toContain("service-clock");
    agentSocket.send({ type: "service", action: "start", invoice: "1" });
    await agentSocket.next(frames.error("This service cannot be started now."), "no start for goods");
    agentSocket.send({ type: "service", action: "finish", invoice: "1" });
    const finished = await customerSocket.next(invoicePanel(chat.id, "Service finished."), "the finished sale");
    expect(finished).toContain("Paid: EUR 25.00");
  });
});
