import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { runPayouts } from "../../worker/jobs/payouts";
import { Browser, signUpAs } from "./client";
import { interruptStripe, restoreStripe } from "./paid-chats";
import { STRIPE, stripeApi, stripeJson } from "./stripe";

// Executing a solo professional's payouts (issue 4, "Fees, accounts and revenue") against the
// fake Stripe: the daily run and "Pay out now", a Transfer per Stripe payout to the solo's
// Express account, failures with their reason, crashes before and after Stripe did the work, and
// the payouts Parley sends by hand (PayPal, AliPay, WeChat Pay) marked paid by an operator.

type PayoutRow = { state: string; attempt: number; reference: string | null; destination: string | null; failure_code: string | null; failure_reason: string | null; paid_at: number | null };
type FakeTransfer = { id: string; amount: number; currency: string; destination: string; transfer_group: string; metadata: Record<string, string> };
type FakeRequest = { method: string; path: string; idempotencyKey: string | null; status: number; replayed: boolean };

const NOW = Date.UTC(2026, 5, 10, 6, 0);
const DAY = 86_400_000;

const payout = (id: string) =>
  env.DB.prepare("select state, attempt, reference, destination, failure_code, failure_reason, paid_at from payouts where id = ?").bind(id).first<PayoutRow>();

/** A payout as a paid chat schedules it (stores/charges.ts), due `dueAt`. */
async function schedulePayout(slug: string, id: string, amountMinor: number, dueAt: number, method = "stripe"): Promise<void> {
  await env.DB.prepare(
    `insert into payouts (id, company_id, user_id, method, amount_minor, currency, state, due_at)
     select ?, c.id, u.id, ?, ?, 'EUR', 'scheduled', ? from companies c join users u on u.company_id = c.id where c.slug = ?`,
  )
    .bind(id, method, amountMinor, dueAt, slug)
    .run();
}

const transfersOf = async (payoutId: string) => (await stripeJson<{ data: FakeTransfer[] }>(`/v1/transfers?transfer_group=payout:${payoutId}&limit=100`)).data;

/** Transfer requests that reached Stripe and did work (not replays), for one payout. */
async function transferRequests(payoutId: string): Promise<FakeRequest[]> {
  const state = (await (await fetch(`${STRIPE}/_fake/state`)).json()) as { requests: FakeRequest[] };
  return state.requests.filter((r) => r.path === "/v1/transfers" && r.idempotencyKey?.startsWith(`payout:${payoutId}:`));
}

const ledgerOf = (payoutId: string) =>
  env.DB.prepare("select kind, account, amount_minor from ledger_entries where txn_id = ? order by account").bind(`${payoutId}:paid`).all<{ kind: string; account: string; amount_minor: number }>();

/** A solo who chose Stripe and, unless `connect` is false, connected an Express account through onboarding. */
async function soloOnStripe(slug: string, { connect = true } = {}): Promise<{ solo: Browser; account: string | null }> {
  const solo = new Browser();
  await signUpAs(solo, { slug, email: `me@${slug}.test`, accountType: "solo" });
  expect((await solo.post("/admin/payments/payout", { payoutMethod: "stripe", payoutAccount: `me@${slug}.test` })).status).toBe(303);
  return { solo, account: connect ? await connectSolo(solo, slug) : null };
}

/** The solo presses Connect with Stripe and finishes Stripe's onboarding. */
async function connectSolo(solo: Browser, slug: string): Promise<string> {
  const toStripe = await solo.post("/admin/payments/connect", {}, { from: "/admin/payments" });
  expect(toStripe.status).toBe(303);
  const back = await fetch(toStripe.headers.get("location")!, { method: "POST", body: new URLSearchParams({ action: "complete" }), redirect: "manual" });
  expect(back.headers.get("location")).toBe("https://parley.test/admin/payments/return");
  expect((await solo.get("/admin/payments/return")).headers.get("location")).toBe("/admin/payments?onboarding=ready");
  const row = await env.DB.prepare("select stripe_account_id id, stripe_account_ready ready from companies where slug = ?").bind(slug).first<{ id: string; ready: number }>();
  expect(row!.ready).toBe(1);
  return row!.id;
}

afterEach(async () => {
  await restoreStripe();
});

describe("a solo's Stripe payout", () => {
  it("connects an Express account that receives transfers, then sends each due payout as one Transfer to it", async () => {
    const { solo, account } = await soloOnStripe("po-stripe");
    const acct = await stripeJson<{ type: string; capabilities: Record<string, string> }>(`/v1/accounts/${account}`);
    expect(acct.type).toBe("express");
    expect(acct.capabilities).toEqual({ transfers: "active" });
    await schedulePayout("po-stripe", "po-s1", 880, NOW - DAY);
    await schedulePayout("po-stripe", "po-s2", 1600, NOW + 2 * DAY);

    expect(await runPayouts(env, NOW)).toMatchObject({ paid: 1 });
    expect(await payout("po-s1")).toMatchObject({ state: "paid", attempt: 1, destination: account, paid_at: NOW, failure_reason: null });
    const [transfer, ...more] = await transfersOf("po-s1");
    expect(more).toEqual([]);
    expect(transfer).toMatchObject({ amount: 880, currency: "eur", destination: account, metadata: { payout_id: "po-s1" } });
    expect((await payout("po-s1"))!.reference).toBe(transfer!.id);
    expect((await transferRequests("po-s1")).map((r) => r.idempotencyKey)).toEqual(["payout:po-s1:transfer:1"]);
    // The one not due yet waits.
    expect(await payout("po-s2")).toMatchObject({ state: "scheduled", attempt: 0 });
    // The ledger moves the 80 % out of the solo's balance: two lines that sum to zero.
    expect((await ledgerOf("po-s1")).results).toEqual([
      { kind: "payout", account: "merchant", amount_minor: -880 },
      { kind: "payout", account: "payout", amount_minor: 880 },
    ]);

    // Another run (the next day's, or a second click) pays nothing twice.
    await runPayouts(env, NOW + DAY);
    expect(await transfersOf("po-s1")).toHaveLength(1);

    const page = await (await solo.get("/revenue")).text();
    const row = page.match(/<tr data-payout="po-s1">([\s\S]*?)<\/tr>/)?.[1] ?? "";
    expect(row).toContain("Paid out");
    expect(row).toContain(`Transfer ${transfer!.id}`);
  });

  it("fails with the reason when the solo has not connected a Stripe account, and pays once it is connected", async () => {
    const { solo } = await soloOnStripe("po-noacct", { connect: false });
    await schedulePayout("po-noacct", "po-n1", 1200, NOW - DAY);
    await runPayouts(env, NOW);
    expect(await payout("po-n1")).toMatchObject({ state: "failed", attempt: 0, failure_code: "no_connected_account" });
    expect(await transferRequests("po-n1")).toEqual([]);
    const page = await (await solo.get("/admin/payments")).text();
    expect(page).toContain("Connect your Stripe account on the Payments page to receive Stripe payouts.");
    expect(page).toContain("Stripe account for payouts");

    const account = await connectSolo(solo, "po-noacct");
    await runPayouts(env, NOW + DAY);
    expect(await payout("po-n1")).toMatchObject({ state: "paid", attempt: 1, destination: account });
    expect(await transfersOf("po-n1")).toHaveLength(1);
  });

  it("records Stripe's refusal with its reason, and a later run pays it with a new attempt", async () => {
    const { solo, account } = await soloOnStripe("po-refused");
    await schedulePayout("po-refused", "po-r1", 2400, NOW - DAY);
    expect((await stripeApi(`/_fake/accounts/${account}/transfer_failure`, { method: "POST", body: new URLSearchParams({ code: "balance_insufficient" }) })).status).toBe(200);

    await runPayouts(env, NOW);
    expect(await payout("po-r1")).toMatchObject({ state: "failed", attempt: 1, failure_code: "balance_insufficient" });
    expect(await transfersOf("po-r1")).toEqual([]);
    const revenue = await (await solo.get("/revenue")).text();
    const row = revenue.match(/<tr data-payout="po-r1">([\s\S]*?)<\/tr>/)?.[1] ?? "";
    expect(row).toContain("Failed");
    expect(row).toContain("Parley&#39;s Stripe balance did not cover this payout yet");

    // Stripe would take it now; the solo presses "Pay out now".
    await stripeApi(`/_fake/accounts/${account}/transfer_failure`, { method: "POST", body: new URLSearchParams({ code: "" }) });
    const run = await solo.post("/admin/payments/payouts/run", {}, { from: "/admin/payments" });
    expect(run.status).toBe(303);
    const after = await (await solo.get(run.headers.get("location")!)).text();
    expect(after).toContain("Payout run: 1 paid out.");
    expect(await payout("po-r1")).toMatchObject({ state: "paid", attempt: 2, failure_code: null });
    expect(await transfersOf("po-r1")).toHaveLength(1);
    expect((await transferRequests("po-r1")).map((r) => [r.idempotencyKey, r.status])).toEqual([
      ["payout:po-r1:transfer:1", 400],
      ["payout:po-r1:transfer:2", 200],
    ]);
  });

  it("survives losing Stripe's answer after the Transfer was made: the next run finishes it with the same key", async () => {
    const { account } = await soloOnStripe("po-after");
    await schedulePayout("po-after", "po-a1", 960, NOW - DAY);
    await interruptStripe("^/v1/transfers$", "after");
    expect(await runPayouts(env, NOW)).toMatchObject({ paid: 0, pending: 1 });
    // Stripe made the Transfer; we only know that we asked.
    expect(await payout("po-a1")).toMatchObject({ state: "sending", attempt: 1, destination: account });
    expect(await transfersOf("po-a1")).toHaveLength(1);

    await restoreStripe();
    await runPayouts(env, NOW + 60_000);
    const [transfer, ...more] = await transfersOf("po-a1");
    expect(more).toEqual([]);
    expect(await payout("po-a1")).toMatchObject({ state: "paid", attempt: 1, reference: transfer!.id });
    expect((await transferRequests("po-a1")).every((r) => r.idempotencyKey === "payout:po-a1:transfer:1")).toBe(true);
  });

  it("survives a crash before the request reached Stripe: sent once on the next run", async () => {
    await soloOnStripe("po-before");
    await schedulePayout("po-before", "po-b1", 720, NOW - DAY);
    await interruptStripe("^/v1/transfers$", "before");
    await runPayouts(env, NOW);
    expect(await payout("po-b1")).toMatchObject({ state: "sending", attempt: 1 });
    expect(await transfersOf("po-b1")).toEqual([]);
    await restoreStripe();
    await runPayouts(env, NOW);
    expect(await payout("po-b1")).toMatchObject({ state: "paid", attempt: 1 });
    expect(await transfersOf("po-b1")).toHaveLength(1);
  });

  it("is sent by the Worker's cron trigger", async () => {
    await soloOnStripe("po-cron");
    await schedulePayout("po-cron", "po-c1", 500, Date.now() - DAY);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "0 6 * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await payout("po-c1")).toMatchObject({ state: "paid" });
    expect(await transfersOf("po-c1")).toHaveLength(1);
  });
});

describe("a payout Parley sends by hand", () => {
  const ops = (path: string, token: string | null, reference: string, opsEnv: object = { ...env, OPS_API_TOKEN: "ops-secret-1" }) =>
    worker.fetch(
      new Request(`https://parley.test${path}`, {
        method: "POST",
        body: new URLSearchParams({ reference }),
        headers: { "content-type": "application/x-www-form-urlencoded", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      }),
      opsEnv as typeof env,
      createExecutionContext(),
    );

  it("is due to be paid by hand to the PayPal account, and an operator with the token marks it paid with a reference", async () => {
    const solo = new Browser();
    await signUpAs(solo, { slug: "po-paypal", email: "me@po-paypal.test", accountType: "solo" });
    await solo.post("/admin/payments/payout", { payoutMethod: "paypal", payoutAccount: "tutor@paypal.test" });
    await schedulePayout("po-paypal", "po-p1", 4000, NOW - DAY, "paypal");
    expect(await runPayouts(env, NOW)).toMatchObject({ manual: 1 });
    expect(await payout("po-p1")).toMatchObject({ state: "manual", destination: "tutor@paypal.test", attempt: 0 });
    expect(await transferRequests("po-p1")).toEqual([]);
    const page = await (await solo.get("/revenue")).text();
    const row = page.match(/<tr data-payout="po-p1">([\s\S]*?)<\/tr>/)?.[1] ?? "";
    expect(row).toContain("Due — paid by hand");
    expect(row).toContain("Parley pays this to PayPal tutor@paypal.test by hand");
    // The solo cannot mark it paid: only Parley's operators, with their token.
    expect((await ops("/ops/payouts/po-p1/paid", null, "x", env)).status).toBe(404);
    expect((await ops("/ops/payouts/po-p1/paid", "wrong", "PP-1")).status).toBe(401);
    expect((await ops("/ops/payouts/po-p1/paid", "ops-secret-1", " ")).status).toBe(422);
    const paid = await ops("/ops/payouts/po-p1/paid", "ops-secret-1", "PP-7781");
    expect(paid.status).toBe(200);
    expect(await payout("po-p1")).toMatchObject({ state: "paid", reference: "PP-7781" });
    expect((await ledgerOf("po-p1")).results.map((l) => l.amount_minor)).toEqual([-4000, 4000]);
    // A Stripe payout is the run's to send, not an operator's to mark.
    await schedulePayout("po-paypal", "po-p2", 100, NOW + DAY, "stripe");
    expect((await ops("/ops/payouts/po-p2/paid", "ops-secret-1", "PP-1")).status).toBe(409);
  });
});

describe("Pay out now", () => {
  it("is refused to a company, which is paid straight into its own Stripe account", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "po-company", email: "boss@po-company.test" });
    expect((await admin.post("/admin/payments/payouts/run", {}, { from: "/admin/payments" })).status).toBe(400);
  });

  it("lets a solo connect Stripe only once Stripe is the chosen payout method", async () => {
    const solo = new Browser();
    await signUpAs(solo, { slug: "po-wechat", email: "me@po-wechat.test", accountType: "solo" });
    await solo.post("/admin/payments/payout", { payoutMethod: "wechat_pay", payoutAccount: "wx_me" });
    expect((await solo.post("/admin/payments/connect", {}, { from: "/admin/payments" })).status).toBe(400);
  });
});
