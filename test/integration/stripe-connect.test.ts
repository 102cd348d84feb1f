import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openDb } from "../../worker/stores/db";
import type { StripeEnv } from "../../worker/adapters/stripe";
import { seedDemo } from "../../worker/demo/seed";
import { connectDemoStripe } from "../../worker/demo/seed-stripe";
import { Browser, signUpAs } from "./client";
import { count, signedIn, tableCounts } from "./fixtures";
import { Customer, answer, later, liveCompany, setRoom, team } from "./live";
import { closeAllSockets } from "./sockets";
import { STRIPE, connectStripe, stripeJson } from "./stripe";

// Stripe Connect for company accounts (issue 4, "Fees, accounts and revenue"), against the fake
// Stripe: the admin's Payments page, Stripe's hosted onboarding and the way back, account.updated,
// direct charges with Parley's application fee, and paid rooms of a company that is not connected.

type FakeAccount = { id: string; type: string; charges_enabled: boolean; metadata: Record<string, string> };
type FakeRequest = { method: string; path: string; account: string | null; idempotencyKey: string | null; params: Record<string, unknown>; status: number };

const companyRow = (slug: string) =>
  env.DB.prepare("select stripe_account_id id, stripe_account_ready ready from companies where slug = ?").bind(slug).first<{ id: string | null; ready: number }>();

const accountsOf = async (slug: string) => {
  const companyId = (await env.DB.prepare("select id from companies where slug = ?").bind(slug).first<{ id: string }>())!.id;
  const list = await stripeJson<{ data: FakeAccount[] }>("/v1/accounts?limit=100");
  return list.data.filter((a) => a.metadata.company_id === companyId);
};

const fakeRequests = async () => ((await (await fetch(`${STRIPE}/_fake/state`)).json()) as { requests: FakeRequest[] }).requests;

/** Where the Worker sent the admin: the Location of a redirect. */
const location = (res: Response) => res.headers.get("location") ?? "";

/** The admin presses the Connect button and is sent to Stripe's onboarding. */
async function pressConnect(admin: Browser): Promise<string> {
  const res = await admin.post("/admin/payments/connect", {}, { from: "/admin/payments" });
  expect(res.status).toBe(303);
  expect(location(res)).toMatch(new RegExp(`^${STRIPE}/_fake/connect/onboarding/\\w+$`));
  return location(res);
}

/** What Stripe's onboarding page does when the admin finishes (or leaves): back to our return_url. */
async function finishOnboarding(link: string, action: "complete" | "leave"): Promise<string> {
  const res = await fetch(link, { method: "POST", body: new URLSearchParams({ action }), redirect: "manual" });
  expect(res.status).toBe(303);
  return location(res);
}

/** The path of one of our URLs that Stripe redirects to. */
const ourPath = (url: string) => {
  const u = new URL(url);
  expect(u.origin).toBe("https://parley.test");
  return u.pathname + u.search;
};

afterEach(async () => {
  await closeAllSockets();
  vi.useRealTimers();
});

describe("the admin's Payments page", () => {
  it("connects the company's Stripe account through Stripe's onboarding and shows it connected", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "conn-a", email: "boss@conn-a.test" });
    const before = await (await admin.get("/admin/payments")).text();
    expect(before).toContain("Not connected");
    expect(before).toContain("Connect with Stripe");
    expect(before).toContain('href="/admin/payments" class="nav-link active"');

    const link = await pressConnect(admin);
    const [account] = await accountsOf("conn-a");
    expect(account).toMatchObject({ type: "standard", charges_enabled: false });
    expect(await companyRow("conn-a")).toEqual({ id: account!.id, ready: 0 });

    const onboarding = await fetch(link);
    expect(onboarding.status).toBe(200);
    expect(await onboarding.text()).toContain(account!.id);
    const back = await finishOnboarding(link, "complete");
    expect(back).toBe("https://parley.test/admin/payments/return");

    const returned = await admin.get(ourPath(back));
    expect(returned.status).toBe(303);
    expect(location(returned)).toBe("/admin/payments?onboarding=ready");
    expect(await companyRow("conn-a")).toEqual({ id: account!.id, ready: 1 });
    const after = await (await admin.get(location(returned))).text();
    expect(after).toContain("Your Stripe account is connected.");
    expect(after).toContain(">Connected<");
    expect(after).toContain(account!.id);
    expect(after).not.toContain("Connect with Stripe");
  });

  it("creates the account once: Continue setup after leaving half-way reuses it with a fresh link", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "conn-b", email: "boss@conn-b.test" });
    const first = await pressConnect(admin);
    const back = await finishOnboarding(first, "leave");
    const returned = await admin.get(ourPath(back));
    expect(location(returned)).toBe("/admin/payments?onboarding=incomplete");
    expect((await companyRow("conn-b"))!.ready).toBe(0);
    const page = await (await admin.get(location(returned))).text();
    expect(page).toContain("Setup incomplete");
    expect(page).toContain("Stripe needs a few more details");
    expect(page).toContain("Continue setup");

    const second = await pressConnect(admin);
    expect(second).not.toBe(first);
    expect(await accountsOf("conn-b")).toHaveLength(1);
    const companyId = (await env.DB.prepare("select id from companies where slug = 'conn-b'").first<{ id: string }>())!.id;
    const creations = (await fakeRequests()).filter((r) => r.path === "/v1/accounts" && r.method === "POST" && r.idempotencyKey === `company:${companyId}:connect-account`);
    expect(creations).toHaveLength(1);
  });

  it("sends an expired or used link's refresh back to a fresh onboarding link", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "conn-c", email: "boss@conn-c.test" });
    const link = await pressConnect(admin);
    await finishOnboarding(link, "leave");
    // A used link answers with its refresh_url, as Stripe does.
    const used = await fetch(link, { redirect: "manual" });
    expect(location(used)).toBe("https://parley.test/admin/payments/refresh");
    const refreshed = await admin.get(ourPath(location(used)));
    expect(refreshed.status).toBe(303);
    expect(location(refreshed)).toMatch(new RegExp(`^${STRIPE}/_fake/connect/onboarding/\\w+$`));
    expect(location(refreshed)).not.toBe(link);
  });

  it("marks the company ready when Stripe's account.updated webhook says the account can take charges", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "conn-d", email: "boss@conn-d.test" });
    await pressConnect(admin);
    const { id } = (await companyRow("conn-d"))!;
    // Onboarding finished without the admin coming back to us (closed the tab): only the webhook tells.
    expect((await fetch(`${STRIPE}/_fake/accounts/${id}/complete_onboarding`, { method: "POST" })).status).toBe(200);
    const events = await stripeJson<{ data: { id: string; account?: string }[] }>("/v1/events?type=account.updated", { account: id! });
    expect(events.data[0]!.account).toBe(id);
    const body = JSON.stringify(events.data[0]);
    const res = await exports.default.fetch(
      new Request("https://parley.test/webhooks/stripe", { method: "POST", body, headers: { "stripe-signature": await sign(body), "content-type": "application/json" } }),
    );
    expect(res.status).toBe(200);
    expect(await companyRow("conn-d")).toEqual({ id, ready: 1 });
    expect(await (await admin.get("/admin/payments")).text()).toContain(">Connected<");
  });

  it("is for the administrator only: an agent can neither see it nor connect an account", async () => {
    const company = await liveCompany("conn-e", { agents: [{ name: "Alice Martin", email: "alice@conn-e.test" }] });
    const agent = await signedIn("alice@conn-e.test");
    expect((await agent.get("/admin/payments")).status).toBe(403);
    expect(await (await agent.get("/agent")).text()).not.toContain('href="/admin/payments"');
    const before = await tableCounts();
    const refused = await agent.post("/admin/payments/connect", {}, { from: "/agent" });
    expect(refused.status).toBe(403);
    expect((await agent.get("/admin/payments/return")).status).toBe(403);
    expect(await tableCounts()).toEqual(before);
    expect(await accountsOf(company.slug)).toEqual([]);
  });

  it("refuses a Connect without the form's CSRF token, and creates nothing", async () => {
    await liveCompany("conn-f", { agents: [] });
    const admin = await signedIn("boss@conn-f.test");
    const res = await admin.post("/admin/payments/connect", {}, { from: "/admin/payments", csrf: false });
    expect(res.status).toBe(403);
    expect(await companyRow("conn-f")).toEqual({ id: null, ready: 0 });
    expect(await accountsOf("conn-f")).toEqual([]);
  });
});

describe("paid rooms of a company without a ready Stripe account", () => {
  it("tell the customer clearly, write no chat, and warn the admin on the room's settings page", async () => {
    const company = await liveCompany("conn-g", { rooms: ["PAID", "INVOICES"], agents: [{ name: "Alice Martin", email: "alice@conn-g.test" }] });
    await setRoom("conn-g", "PAID", "charging_mode = 'automatic'");
    await setRoom("conn-g", "INVOICES", "charging_mode = 'manual'");
    for (const room of ["PAID", "INVOICES"]) {
      const res = await new Customer().submit(`/c/conn-g/${room}`, { name: "Erin", email: "erin@example.com", message: "Hi", mode: "chat" });
      expect(res.status, room).toBe(503);
      expect(await res.text()).toContain("conn-g Ltd takes card payments in this room and has not finished setting them up");
    }
    expect(await count("select count(*) n from chats where company_id = ?", company.id)).toBe(0);

    const admin = await signedIn("boss@conn-g.test");
    const settings = await (await admin.get(`/admin/rooms/${company.rooms.PAID}`)).text();
    expect(settings).toContain("Customers cannot pay in this room yet.");
    expect(settings).toContain('href="/admin/payments"');
    expect(await (await admin.get(`/admin/rooms/${company.rooms.GENERAL}`)).text()).not.toContain("Customers cannot pay in this room yet.");
    expect(await (await admin.get("/admin/payments")).text()).toContain("PAID, INVOICES take payments");

    await connectStripe("conn-g");
    expect(await (await admin.get(`/admin/rooms/${company.rooms.PAID}`)).text()).not.toContain("Customers cannot pay in this room yet.");
    const customer = new Customer();
    const chat = await customer.startChat("/c/conn-g/PAID");
    expect(chat.id).toBeTruthy();
  });
});

describe("direct charges on a company's connected account", () => {
  it("holds and captures on the company's account with Parley's 10 % application fee, and the ledger sums", async () => {
    const { company, agents } = await team("conn-h", ["Alice Martin"], { rooms: ["PAID"] });
    await setRoom("conn-h", "PAID", "charging_mode = 'automatic', pricing_currency = 'EUR', pricing_block_price_minor = 1000, pricing_block_minutes = 5, authorisation_amount_minor = 5000, phone_timer_start = 0");
    const accountId = await connectStripe("conn-h");
    const console = await agents[0].online("browser", ["GENERAL", "PAID"]);
    const customer = new Customer();
    const chat = await customer.startChat("/c/conn-h/PAID");
    await customer.browser.get(`/chats/${chat.id}`);
    const authorised = await customer.browser.post(`/chats/${chat.id}/authorise`, { paymentMethod: "pm_card_visa", agree: "on" }, { from: `/chats/${chat.id}` });
    expect(authorised.status).toBe(303);
    const socket = await chat.socket();
    await answer(console, chat.id);
    later(330); // 5:30 → EUR 11.00
    socket.send({ type: "hangup" });
    await socket.next((f) => f.includes("charged to the card"), "the final amount");

    // On the company's account: invisible from Parley's own, with the application fee on it.
    type PI = { id: string; status: string; amount_received: number; application_fee_amount: number | null; metadata: Record<string, string>; latest_charge: string };
    const mine = await stripeJson<{ data: PI[] }>("/v1/payment_intents?limit=100");
    expect(mine.data.some((p) => p.metadata.chat_id === chat.id)).toBe(false);
    const theirs = await stripeJson<{ data: PI[] }>("/v1/payment_intents?limit=100", { account: accountId });
    const pi = theirs.data.find((p) => p.metadata.chat_id === chat.id)!;
    expect(pi).toMatchObject({ status: "succeeded", amount_received: 1100, application_fee_amount: 110 });
    const charge = await stripeJson<{ application_fee: string | null }>(`/v1/charges/${pi.latest_charge}`, { account: accountId });
    const fee = await stripeJson<{ amount: number; account: string }>(`/v1/application_fees/${charge.application_fee}`);
    expect(fee).toMatchObject({ amount: 110, account: accountId });
    const calls = (await fakeRequests()).filter((r) => r.path.startsWith("/v1/payment_intents") && r.method === "POST" && String(r.idempotencyKey).startsWith(`chat:${chat.id}:`));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every((r) => r.account === accountId)).toBe(true);

    // The ledger: the customer paid 11.00, Parley took 1.10, the company bears Stripe's fee:
    // estimated at 0.62, then corrected to the 0.42 of the capture's balance transaction.
    const ledger = await env.DB.prepare("select kind, account, sum(amount_minor) amount_minor from ledger_entries where chat_id = ? group by kind, account order by kind, account")
      .bind(chat.id)
      .all<{ kind: string; account: string; amount_minor: number }>();
    expect(ledger.results).toEqual([
      { kind: "charge", account: "customer", amount_minor: -1100 },
      { kind: "charge", account: "merchant", amount_minor: 1100 },
      { kind: "platform_fee", account: "merchant", amount_minor: -110 },
      { kind: "platform_fee", account: "platform", amount_minor: 110 },
      { kind: "processing_fee", account: "merchant", amount_minor: -42 },
      { kind: "processing_fee", account: "processor", amount_minor: 42 },
    ]);
    expect(await count("select count(*) n from payouts where company_id = ?", company.id)).toBe(0);
  });
});

describe("a solo professional's payouts", () => {
  it("records the chosen payout method and shows it with each payout's state on the revenue page", async () => {
    const solo = new Browser();
    await signUpAs(solo, { slug: "solo-pay", email: "me@solo-pay.test", accountType: "solo" });
    const page = await (await solo.get("/admin/payments")).text();
    expect(page).toContain("Pay me through");
    expect(page).not.toContain("Connect with Stripe");
    const noWhere = await (await solo.get("/revenue")).text();
    expect(noWhere).toContain("Where should we pay you?");

    const wrong = await solo.post("/admin/payments/payout", { payoutMethod: "paypal", payoutAccount: "not an email" });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain("Enter the email address of your PayPal account.");
    const unknown = await solo.post("/admin/payments/payout", { payoutMethod: "cash", payoutAccount: "x" });
    expect(unknown.status).toBe(422);
    expect(await env.DB.prepare("select payout_method m from agent_profiles p join users u on u.id = p.user_id where u.email = 'me@solo-pay.test'").first()).toEqual({ m: null });

    const saved = await solo.post("/admin/payments/payout", { payoutMethod: "wechat_pay", payoutAccount: "solo_pay_wx" });
    expect(saved.status).toBe(303);
    expect(location(saved)).toBe("/admin/payments?saved=1");
    expect(await env.DB.prepare("select payout_method m, payout_account a from agent_profiles p join users u on u.id = p.user_id where u.email = 'me@solo-pay.test'").first()).toEqual({
      m: "wechat_pay",
      a: "solo_pay_wx",
    });

    // Two payouts as paid chats schedule them (durable-objects/chat/billing.ts): one still due, one paid.
    await env.DB.prepare(
      `insert into payouts (id, company_id, user_id, method, amount_minor, currency, state, due_at)
       select 'po-1', c.id, u.id, 'wechat_pay', 880, 'EUR', 'scheduled', 1767225600000 from companies c join users u on u.company_id = c.id where c.slug = 'solo-pay'`,
    ).run();
    await env.DB.prepare(
      `insert into payouts (id, company_id, user_id, method, amount_minor, currency, state, due_at)
       select 'po-2', c.id, u.id, 'paypal', 1600, 'EUR', 'paid', 1764547200000 from companies c join users u on u.company_id = c.id where c.slug = 'solo-pay'`,
    ).run();
    const revenue = await (await solo.get("/revenue")).text();
    expect(revenue).toContain("Paid out to <strong>WeChat Pay</strong>");
    const row = (id: string) => revenue.match(new RegExp(`<tr data-payout="${id}">([\\s\\S]*?)</tr>`))?.[1] ?? "";
    expect(row("po-1")).toContain("2026-01-01");
    expect(row("po-1")).toContain("EUR 8.80");
    expect(row("po-1")).toContain("Scheduled");
    expect(row("po-2")).toContain("PayPal");
    expect(row("po-2")).toContain("Paid out");
  });

  it("has no Connect for a solo account paid out by another method than Stripe", async () => {
    const solo = new Browser();
    await signUpAs(solo, { slug: "solo-nc", email: "me@solo-nc.test", accountType: "solo" });
    const res = await solo.post("/admin/payments/connect", {}, { from: "/admin/payments" });
    expect(res.status).toBe(400);
    expect(await accountsOf("solo-nc")).toEqual([]);
  });
});

describe("the local demo", () => {
  it("connects company demo to the fake Stripe at every start, and again after the fake forgot its account", async () => {
    const db = openDb(env.DB);
    const stripeEnv = env as typeof env & StripeEnv; // the test bindings of vitest.config.ts
    await seedDemo(db);
    expect(await connectDemoStripe(db, stripeEnv)).toBe("connected");
    const first = (await companyRow("demo"))!;
    expect(first.ready).toBe(1);
    expect(await stripeJson<FakeAccount>(`/v1/accounts/${first.id}`)).toMatchObject({ charges_enabled: true });
    expect(await connectDemoStripe(db, stripeEnv)).toBe("already connected");

    // A restarted fake has no such account: a new one is made and recorded.
    await env.DB.prepare("update companies set stripe_account_id = 'acct_forgotten' where slug = 'demo'").run();
    expect(await connectDemoStripe(db, stripeEnv)).toBe("connected");
    const again = (await companyRow("demo"))!;
    expect(again.id).not.toBe("acct_forgotten");
    expect(again.ready).toBe(1);
  });
});

/** Signs a body the way Stripe does: t=…,v1=HMAC-SHA256(secret, "t.body") in hex. */
async function sign(body: string, secret = "whsec_parley_test", t = Math.floor(Date.now() / 1000)): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`)));
  return `t=${t},v1=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

