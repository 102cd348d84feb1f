import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { entitlementPeriod } from "../../worker/accounts/entitlement";
import { HELD_NOTE } from "../../worker/mail/delivery";
import { settlePlans } from "../../worker/jobs/plan-subscriptions";
import { openDb } from "../../worker/stores/db";
import { mailInsert } from "../../worker/stores/outbox";
import { Browser, PASSWORD, signUpAs } from "./client";
import { addAgent, idOf, signedIn } from "./fixtures";
import { mailTo } from "./mail";
import { STRIPE, customerEvents, deliverCustomerEvents, postWebhook, stripeJson } from "./stripe";

// Plans as a company's admin meets them: chosen at sign-up, paid on Stripe Checkout, applied when
// Stripe's webhooks say the subscription is paid, kept through a grace period after a failed
// renewal, ended at the period's end. The fake Stripe plays Checkout and the renewals.

const DAY = 24 * 3600_000;

type Company = { id: string; plan: string; entitlement_quota: number };
const company = (slug: string) => env.DB.prepare("select id, plan, entitlement_quota from companies where slug = ?").bind(slug).first<Company>();
const subscriptionRow = (companyId: string) =>
  env.DB.prepare("select status, plan, stripe_customer_id, stripe_subscription_id, grace_until, cancel_at_period_end, carried_plan from plan_subscriptions where company_id = ?")
    .bind(companyId)
    .first<{ status: string; plan: string; stripe_customer_id: string; stripe_subscription_id: string; grace_until: number | null; cancel_at_period_end: number; carried_plan: string | null }>();

/** Signs up with this plan chosen; the answer to the sign-up form. */
function signUpChoosing(browser: Browser, slug: string, plan: string, accountType = "solo") {
  const fields = { accountType, companyName: `${slug} Ltd`, companySlug: slug, name: `Owner of ${slug}`, email: `owner@${slug}.test`, password: PASSWORD, plan };
  return browser.post("/signup", fields, { from: "/signup" });
}

/** Pays on the fake's Checkout page as the admin would; where Checkout sends the admin back. */
async function payOnCheckout(checkoutUrl: string, card = "pm_card_visa"): Promise<Response> {
  return fetch(checkoutUrl, { method: "POST", body: new URLSearchParams({ action: "pay", card }), headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
}

/** A solo company on `plan`, paid through Checkout and confirmed by the webhooks: its admin and ids. */
async function subscribed(slug: string, plan: "pro" | "enterprise") {
  const admin = new Browser();
  const res = await signUpChoosing(admin, slug, plan);
  expect(res.status).toBe(303);
  expect((await payOnCheckout(res.headers.get("location")!)).status).toBe(303);
  const { id } = (await company(slug))!;
  const row = (await subscriptionRow(id))!;
  const seen = new Set<string>();
  await deliverCustomerEvents(row.stripe_customer_id, seen);
  const sub = (await subscriptionRow(id))!;
  return { admin, companyId: id, customerId: sub.stripe_customer_id, subscriptionId: sub.stripe_subscription_id, seen };
}

const renew = (subscriptionId: string, outcome: "paid" | "failed") => fetch(`${STRIPE}/_fake/subscriptions/${subscriptionId}/renew`, { method: "POST", body: new URLSearchParams({ outcome }) });

describe("choosing a plan at sign-up", () => {
  it("starts on Forever Free by default, with its 500 chats and emails", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "plan-free", email: "boss@plan-free.test" });
    expect(await company("plan-free")).toMatchObject({ plan: "free", entitlement_quota: 500 });
    const page = await (await admin.get("/admin/plan")).text();
    expect(page).toContain("Forever Free <span class=\"badge\">Current plan</span>");
    expect(page).toContain("<strong>0</strong> of 500 chats and emails used");
    expect(page).toContain("Upgrade to Pro");
    expect(page).toContain("Upgrade to Large Enterprise");
  });

  it("offers the three plans on the sign-up form, Forever Free chosen", async () => {
    const html = await (await new Browser().get("/signup")).text();
    expect(html).toMatch(/<input type="radio" name="plan" value="free" checked/);
    expect(html).toContain("Large Enterprise");
    expect(html).toContain("until Stripe confirms it, you are on Forever Free");
  });

  it("makes the account on Free, sends the admin to Stripe Checkout, and gives Pro only when Stripe's webhook says the subscription is active", async () => {
    const admin = new Browser();
    const res = await signUpChoosing(admin, "plan-pro", "pro");
    expect(res.status).toBe(303);
    const checkout = res.headers.get("location")!;
    expect(checkout).toMatch(/^http:\/\/stripe\.fake\/_fake\/checkout\/cs_test_/);
    const { id } = (await company("plan-pro"))!;
    expect(await company("plan-pro")).toMatchObject({ plan: "free", entitlement_quota: 500 });
    // A solo's paid room stays locked on Free.
    expect((await new Browser().get("/c/plan-pro/PREAUTHORISED_CARD_AUTO_CHARGE_END")).status).toBe(403);

    const back = await payOnCheckout(checkout);
    expect(back.headers.get("location")).toBe("https://parley.test/admin/plan?checkout=done");
    // Back from Checkout, before Stripe's webhook: still Free, and the page says Stripe is confirming.
    const waiting = await (await admin.get("/admin/plan?checkout=done")).text();
    expect(waiting).toContain("Stripe is confirming your payment.");
    expect(await company("plan-pro")).toMatchObject({ plan: "free" });
    expect((await new Browser().get("/c/plan-pro/PREAUTHORISED_CARD_AUTO_CHARGE_END")).status).toBe(403);

    const row = (await subscriptionRow(id))!;
    await deliverCustomerEvents(row.stripe_customer_id);
    expect(await company("plan-pro")).toMatchObject({ plan: "pro", entitlement_quota: 5000 });
    expect(await subscriptionRow(id)).toMatchObject({ status: "active", plan: "pro" });
    expect((await new Browser().get("/c/plan-pro/PREAUTHORISED_CARD_AUTO_CHARGE_END")).status).toBe(200);
    const page = await (await admin.get("/admin/plan")).text();
    expect(page).toContain("Pro <span class=\"badge\">Current plan</span>");
    expect(page).toContain("of 5,000 chats and emails used this month");
    expect(page).toMatch(/Renews on \d{4}-\d{2}-\d{2}/);
  });

  it("refuses an unknown plan with a message and makes no account", async () => {
    const res = await signUpChoosing(new Browser(), "plan-bogus", "platinum");
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Choose Forever Free, Pro or Large Enterprise.");
    expect(await company("plan-bogus")).toBeNull();
  });

  it("keeps the account on Free when the card is declined on Checkout", async () => {
    const res = await signUpChoosing(new Browser(), "plan-declined", "pro");
    const page = await payOnCheckout(res.headers.get("location")!, "pm_card_chargeDeclined");
    expect(page.status).toBe(402);
    expect(await page.text()).toContain("Your card was declined.");
    const row = (await subscriptionRow((await company("plan-declined"))!.id))!;
    expect(await deliverCustomerEvents(row.stripe_customer_id)).toEqual([]);
    expect(await company("plan-declined")).toMatchObject({ plan: "free", entitlement_quota: 500 });
  });
});

describe("the subscription's webhooks", () => {
  it("keeps the plan for 7 days after a failed renewal, says so, falls back to Free after, and restores it when Stripe's retry is paid", async () => {
    const { admin, companyId, customerId, subscriptionId, seen } = await subscribed("plan-grace", "pro");
    expect((await renew(subscriptionId, "failed")).status).toBe(200);
    const delivered = await deliverCustomerEvents(customerId, seen);
    expect(delivered.map((e) => e.type)).toEqual(["customer.subscription.updated", "invoice.payment_failed", "customer.subscription.updated"]);
    const failedAt = delivered[0]!.created * 1000;

    const row = (await subscriptionRow(companyId))!;
    expect(row.status).toBe("past_due");
    expect(row.grace_until).toBe(failedAt + 7 * DAY);
    expect(await company("plan-grace")).toMatchObject({ plan: "pro" });
    const until = new Date(row.grace_until!).toISOString().slice(0, 16).replace("T", " ");
    for (const path of ["/admin/plan", "/admin"]) {
      const html = await (await admin.get(path)).text();
      expect(html, path).toContain("Your last payment for Pro failed.");
      expect(html, path).toContain(`The plan stays until ${until} UTC`);
    }

    // The cron, a day before the end and then after it.
    await settlePlans(env, openDb(env.DB), row.grace_until! - DAY);
    expect(await company("plan-grace")).toMatchObject({ plan: "pro" });
    await settlePlans(env, openDb(env.DB), row.grace_until! + 60_000);
    expect(await company("plan-grace")).toMatchObject({ plan: "free", entitlement_quota: 500 });

    // Stripe's retry succeeds after all: Pro again, and no grace period left.
    await renew(subscriptionId, "paid");
    await deliverCustomerEvents(customerId, seen);
    expect(await company("plan-grace")).toMatchObject({ plan: "pro", entitlement_quota: 5000 });
    expect(await subscriptionRow(companyId)).toMatchObject({ status: "active", grace_until: null });
  });

  it("lets the admin pay a failed renewal with another card: the unpaid subscription ends, a new one starts on Checkout", async () => {
    const { admin, companyId, customerId, subscriptionId, seen } = await subscribed("plan-newcard", "pro");
    await renew(subscriptionId, "failed");
    await deliverCustomerEvents(customerId, seen);
    expect(await (await admin.get("/admin/plan")).text()).toContain("Pay with another card");
    const res = await admin.post("/admin/plan", { plan: "pro" });
    expect(res.headers.get("location")).toMatch(/^http:\/\/stripe\.fake\/_fake\/checkout\/cs_test_/);
    expect((await stripeJson<{ status: string }>(`/v1/subscriptions/${subscriptionId}`)).status).toBe("canceled");
    await payOnCheckout(res.headers.get("location")!);
    await deliverCustomerEvents(customerId, seen);
    const row = (await subscriptionRow(companyId))!;
    expect(row).toMatchObject({ status: "active", plan: "pro", grace_until: null });
    expect(row.stripe_subscription_id).not.toBe(subscriptionId);
    expect(await company("plan-newcard")).toMatchObject({ plan: "pro" });
  });

  it("cancels at the period's end: the plan stays, the page says until when, and Free follows Stripe's subscription.deleted", async () => {
    const { admin, companyId, customerId, subscriptionId, seen } = await subscribed("plan-cancel", "pro");
    const res = await admin.post("/admin/plan", { plan: "free" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/plan?requested=1");
    expect(await (await admin.get("/admin/plan?requested=1")).text()).toContain("Stripe is confirming the change.");
    await deliverCustomerEvents(customerId, seen);
    expect(await subscriptionRow(companyId)).toMatchObject({ cancel_at_period_end: 1, status: "active" });
    expect(await company("plan-cancel")).toMatchObject({ plan: "pro" });
    const page = await (await admin.get("/admin/plan")).text();
    expect(page).toMatch(/Pro ends on \d{4}-\d{2}-\d{2}\.<\/strong> Your company is on Forever Free after that\./);
    expect(page).toContain("Keep Pro");

    await renew(subscriptionId, "paid"); // the period ends
    const delivered = await deliverCustomerEvents(customerId, seen);
    expect(delivered.map((e) => e.type)).toEqual(["customer.subscription.deleted"]);
    expect(await company("plan-cancel")).toMatchObject({ plan: "free", entitlement_quota: 500 });
    expect(await subscriptionRow(companyId)).toMatchObject({ status: "canceled" });
  });

  it("upgrades at once when Stripe confirms, and a downgrade keeps the higher plan until the paid period ends", async () => {
    const { admin, companyId, customerId, subscriptionId, seen } = await subscribed("plan-up", "pro");
    expect((await admin.post("/admin/plan", { plan: "enterprise" })).status).toBe(303);
    expect(await company("plan-up")).toMatchObject({ plan: "pro" });
    const delivered = await deliverCustomerEvents(customerId, seen);
    expect(delivered.map((e) => e.type)).toEqual(["customer.subscription.updated", "invoice.paid"]);
    expect(await company("plan-up")).toMatchObject({ plan: "enterprise", entitlement_quota: 50000 });

    expect((await admin.post("/admin/plan", { plan: "pro" })).status).toBe(303);
    await deliverCustomerEvents(customerId, seen);
    const sub = await stripeJson<{ items: { data: { price: { lookup_key: string }; current_period_end: number }[] } }>(`/v1/subscriptions/${subscriptionId}`);
    expect(sub.items.data[0]!.price.lookup_key).toBe("parley_pro_monthly");
    expect(await subscriptionRow(companyId)).toMatchObject({ plan: "pro", carried_plan: "enterprise" });
    expect(await company("plan-up")).toMatchObject({ plan: "enterprise" });
    expect(await (await admin.get("/admin/plan")).text()).toMatch(/Large Enterprise until \d{4}-\d{2}-\d{2},<\/strong> already paid for; Pro from then on\./);

    const periodEnd = sub.items.data[0]!.current_period_end * 1000;
    await settlePlans(env, openDb(env.DB), periodEnd + 60_000);
    expect(await company("plan-up")).toMatchObject({ plan: "pro", entitlement_quota: 5000 });
  });

  it("applies a replayed event once", async () => {
    const { companyId, customerId, subscriptionId, seen } = await subscribed("plan-replay", "pro");
    await stripeJson(`/v1/subscriptions/${subscriptionId}`, { method: "DELETE" });
    const [deleted] = await deliverCustomerEvents(customerId, seen);
    expect(deleted!.type).toBe("customer.subscription.deleted");
    expect(await postWebhook(deleted!)).toEqual({ received: true, duplicate: true });
    expect(await company("plan-replay")).toMatchObject({ plan: "free" });
    const changes = await env.DB.prepare("select count(*) n from audit_events where company_id = ? and action = 'plan.changed'").bind(companyId).first<{ n: number }>();
    expect(changes!.n).toBe(2); // Free → Pro, Pro → Free
  });

  it("ignores a subscription of a customer Parley did not make for a company", async () => {
    const stranger = await stripeJson<{ id: string }>("/v1/customers", { method: "POST", body: "email=someone@else.test" });
    const price = await stripeJson<{ id: string }>("/v1/prices", { method: "POST", body: "currency=eur&unit_amount=100&recurring[interval]=month&product_data[name]=Other" });
    const session = await stripeJson<{ url: string }>("/v1/checkout/sessions", {
      method: "POST",
      body: `mode=subscription&customer=${stranger.id}&line_items[0][price]=${price.id}&success_url=https://x.test/&subscription_data[metadata][company_id]=${(await company("plan-free"))!.id}`,
    });
    await payOnCheckout(session.url);
    const events = await customerEvents(stranger.id);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(await postWebhook(event)).toEqual({ received: true, duplicate: false });
    expect(await company("plan-free")).toMatchObject({ plan: "free" });
  });
});

describe("who may change the plan", () => {
  it("lets only the company's admin see or change it, and only with the form's CSRF token", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "plan-staff", email: "boss@plan-staff.test" });
    await addAgent(admin, { name: "Agnes Agent", email: "agnes@plan-staff.test" });
    const agent = await signedIn("agnes@plan-staff.test");
    expect((await agent.get("/admin/plan")).status).toBe(403);
    expect((await agent.post("/admin/plan", { plan: "pro" }, { from: "/agent" })).status).toBe(403);
    const stranger = await new Browser().get("/admin/plan");
    expect(stranger.headers.get("location")).toMatch(/^\/login/);
    const forged = await admin.post("/admin/plan", { plan: "pro" }, { csrf: false });
    expect(forged.status).toBe(403);
    expect(await env.DB.prepare("select count(*) n from plan_subscriptions where company_id = ?").bind(await idOf("select id from companies where slug = 'plan-staff'")).first()).toEqual({ n: 0 });
  });

  it("refuses an unknown plan and the plan already held, with words", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "plan-words", email: "boss@plan-words.test" });
    const unknown = await admin.post("/admin/plan", { plan: "gold" });
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain("Choose Forever Free, Pro or Large Enterprise.");
    const same = await admin.post("/admin/plan", { plan: "free" });
    expect(same.status).toBe(422);
    expect(await same.text()).toContain("Your company is on Forever Free already.");
  });

  it("leaves the demo's complimentary Pro alone", async () => {
    const { seedDemo } = await import("../../worker/demo/seed");
    await seedDemo(openDb(env.DB));
    const admin = await signedIn("admin@demo.test", "parley-demo");
    const page = await (await admin.get("/admin/plan")).text();
    expect(page).toContain("Pro <span class=\"badge\">Complimentary</span>");
    const res = await admin.post("/admin/plan", { plan: "free" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Your plan is given by Parley");
    expect(await company("demo")).toMatchObject({ plan: "pro" });
  });
});

describe("mail held at the quota", () => {
  it("is sent once an upgrade raises the quota", async () => {
    const admin = new Browser();
    const res = await signUpChoosing(admin, "plan-held", "pro", "company");
    const { id } = (await company("plan-held"))!;
    await env.DB.prepare("update companies set entitlement_used = 500, entitlement_period = ? where id = ?").bind(entitlementPeriod(Date.now()), id).run();
    const to = `ann@plan-held-${Date.now()}.mail.test`;
    const mailId = crypto.randomUUID();
    const db = openDb(env.DB);
    await db.batch([
      mailInsert(db, { id: mailId, companyId: id, kind: "notice", to, sender: { name: "Held Co", replyTo: null }, content: { subject: "Held until the upgrade", greeting: "Hello Ann,", paragraphs: ["Thanks for waiting."] } }),
    ]);
    // What the queue's consumer does at the quota (worker/stores/outbox.ts claimMail).
    await env.DB.prepare("update email_outbox set status = 'held', note = ? where id = ?").bind(HELD_NOTE, mailId).run();
    expect(await (await admin.get("/admin/plan")).text()).toContain("1 email held</a> until the entitlement is raised");

    await payOnCheckout(res.headers.get("location")!);
    await deliverCustomerEvents((await subscriptionRow(id))!.stripe_customer_id);
    expect(await company("plan-held")).toMatchObject({ plan: "pro", entitlement_quota: 5000 });
    const caught = await mailTo(to, "Held until the upgrade");
    expect(caught?.text).toContain("Thanks for waiting.");
    expect(await env.DB.prepare("select status, note from email_outbox where id = ?").bind(mailId).first()).toEqual({ status: "sent", note: null });
  });
});
