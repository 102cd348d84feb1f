import { env } from "cloudflare:test";
import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../worker/stores/db";
import { webhookInsert } from "../../worker/stores/webhooks";
import { webhookEvent } from "../../worker/webhooks/events";
import type { Received } from "../fakes/webhook-receiver";
import { Browser, PASSWORD } from "./client";
import { count, idOf, signedIn, tableCounts } from "./fixtures";
import { liveCompany } from "./live";
import { received, untilReceived } from "./webhook-receiver";

// The admin's Webhooks page: adding an endpoint (its secret shown once), rotating the secret,
// the recent deliveries and resending one; only the company's own admin, only its own endpoints.

let companyId: string;
let n = 0;

beforeAll(async () => {
  companyId = (await liveCompany("hooks-admin", { agents: [{ name: "Alice Agent", email: "alice@hooks-admin.test" }] })).id;
});

const shownSecret = (html: string) => html.match(/data-secret[^>]*>\s*(whsec_[A-Za-z0-9_-]+)/)?.[1];

async function addEndpoint(admin: Browser, events = ["chat.started", "chat.ended"]) {
  const path = `/ok/admin-${++n}`;
  const res = await admin.post("/admin/webhooks", { url: `http://localhost${path}`, events });
  expect(res.status).toBe(201);
  const html = await res.text();
  const secret = shownSecret(html);
  expect(secret).toMatch(/^whsec_/);
  const id = await idOf("select id from webhook_endpoints where url = ?", `http://localhost${path}`);
  // Kept for the failing-endpoint mail's link back to this page.
  expect(await env.DB.prepare("select origin from webhook_endpoints where id = ?").bind(id).first("origin")).toBe("https://parley.test");
  return { id, path, secret: secret!, html, res };
}

const signedWith = (secret: string, r: Received) => {
  const { t, v1 } = Object.fromEntries(r.headers["parley-signature"]!.split(",").map((kv) => kv.split("=")));
  return createHmac("sha256", secret).update(`${t}.${r.body}`).digest("hex") === v1;
};

describe("POST /admin/webhooks", () => {
  it("adds an endpoint and shows its signing secret once, stored sealed, never on the page again", async () => {
    const admin = await signedIn("boss@hooks-admin.test");
    const { id, secret, res } = await addEndpoint(admin);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const row = await env.DB.prepare("select events, secret_sealed, status from webhook_endpoints where id = ?").bind(id).first<Record<string, string>>();
    expect(JSON.parse(row!.events!)).toEqual(["chat.started", "chat.ended"]);
    expect(row!.status).toBe("active");
    expect(row!.secret_sealed).not.toContain(secret);
    expect(row!.secret_sealed).toMatch(/^v1\./);

    const page = await (await admin.get("/admin/webhooks")).text();
    expect(page).toContain(`http://localhost/ok/admin-`);
    expect(page).not.toContain(secret);
    expect(shownSecret(page)).toBeUndefined();
  });

  it("refuses a URL that is no URL, plain http to a public host, a private address, or no event, with the message by the field", async () => {
    const admin = await signedIn("boss@hooks-admin.test");
    const before = await count("select count(*) n from webhook_endpoints");
    const cases: [Record<string, string | string[]>, string][] = [
      [{ url: "not a url", events: ["chat.started"] }, "Enter a full URL, such as https://example.com/parley/webhooks."],
      [{ url: "http://example.com/hook", events: ["chat.started"] }, "Use an https:// URL (http:// only for localhost)."],
      [{ url: "https://192.168.1.10/hook", events: ["chat.started"] }, "That address is on a private network; use a public one."],
      [{ url: "https://169.254.169.254/latest", events: ["chat.started"] }, "That address is on a private network; use a public one."],
      [{ url: "https://[fd00::1]/hook", events: ["chat.started"] }, "That address is on a private network; use a public one."],
      [{ url: "https://example.com/hook" }, "Choose at least one event."],
      [{ url: "https://example.com/hook", events: ["chat.exploded"] }, "Choose events from the list."],
    ];
    for (const [fields, message] of cases) {
      const res = await admin.post("/admin/webhooks", fields);
      expect(res.status, JSON.stringify(fields)).toBe(422);
      const html = await res.text();
      // The message sits by the field it is about: the URL's input, or the events' checkboxes.
      const field = message.startsWith("Choose") ? "events" : "url";
      expect(html).toContain(`<p class="error" id="f-${field}-error" role="alert">${message}`);
    }
    expect(await count("select count(*) n from webhook_endpoints")).toBe(before);
  });
});

describe("POST /admin/webhooks/:id/rotate", () => {
  it("shows a new secret once; deliveries from then on are signed with it", async () => {
    const admin = await signedIn("boss@hooks-admin.test");
    const { id, path, secret } = await addEndpoint(admin, ["message.left"]);
    const res = await admin.post(`/admin/webhooks/${id}/rotate`, {}, { from: "/admin/webhooks" });
    expect(res.status).toBe(200);
    const rotated = shownSecret(await res.text());
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);

    const db = openDb(env.DB);
    await db.batch([webhookInsert(db, companyId, webhookEvent("message.left", { note: "after rotation" }, Date.now()))]);
    const ids = (await env.DB.prepare("select id from webhook_deliveries where endpoint_id = ?").bind(id).all<{ id: string }>()).results.map((r) => r.id);
    const { enqueueWebhookDeliveries } = await import("../../worker/adapters/webhook-queue");
    await enqueueWebhookDeliveries(env, ids);
    const [got] = await untilReceived(path);
    expect(signedWith(rotated!, got!)).toBe(true);
    expect(signedWith(secret, got!)).toBe(false);
  });
});

describe("POST /admin/webhooks/:id/delete", () => {
  it("removes the endpoint and its deliveries: the page no longer lists it, and a queued delivery is never sent", async () => {
    const admin = await signedIn("boss@hooks-admin.test");
    const { id, path } = await addEndpoint(admin, ["chat.ended"]);
    const db = openDb(env.DB);
    await db.batch([webhookInsert(db, companyId, webhookEvent("chat.ended", { note: "before removal" }, Date.now()))]);
    const queued = await idOf("select id from webhook_deliveries where endpoint_id = ?", id);

    const res = await admin.post(`/admin/webhooks/${id}/delete`, {}, { from: "/admin/webhooks" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/webhooks?done=deleted");
    const page = await (await admin.get("/admin/webhooks?done=deleted")).text();
    expect(page).toContain("The endpoint was removed");
    expect(page).not.toContain(`data-endpoint="${id}"`);
    expect(await count("select count(*) n from webhook_deliveries where endpoint_id = ?", id)).toBe(0);
    expect(await count("select count(*) n from audit_events where action = 'webhook.endpoint.deleted' and subject = ?", id)).toBe(1);

    // The delivery's id was already on the queue: the consumer finds nothing and sends nothing.
    const { enqueueWebhookDeliveries } = await import("../../worker/adapters/webhook-queue");
    await enqueueWebhookDeliveries(env, [queued]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await received(path)).toEqual([]);

    expect((await admin.post(`/admin/webhooks/${id}/delete`, {}, { from: "/admin/webhooks" })).status).toBe(404);
  });
});

describe("recent deliveries and POST /admin/webhooks/deliveries/:id/resend", () => {
  it("lists a delivery with its status and response code, and resends the same event as a new delivery", async () => {
    const admin = await signedIn("boss@hooks-admin.test");
    const { id, path } = await addEndpoint(admin, ["rating.created"]);
    const db = openDb(env.DB);
    const event = webhookEvent("rating.created", { stars: 5 }, Date.now());
    await db.batch([webhookInsert(db, companyId, event)]);
    const delivery = await idOf("select id from webhook_deliveries where endpoint_id = ?", id);
    const { enqueueWebhookDeliveries } = await import("../../worker/adapters/webhook-queue");
    await enqueueWebhookDeliveries(env, [delivery]);
    await untilReceived(path);
    for (let i = 0; i < 50 && (await env.DB.prepare("select status from webhook_deliveries where id = ?").bind(delivery).first("status")) !== "delivered"; i++) await new Promise((r) => setTimeout(r, 50));

    const page = await (await admin.get("/admin/webhooks")).text();
    const row = page.match(new RegExp(`<tr data-delivery="${delivery}"[\\s\\S]*?</tr>`))?.[0];
    expect(row).toContain("Delivered");
    expect(row).toContain("<td class=\"nowrap\">HTTP 200</td>");
    expect(row).toContain(event.id);

    const res = await admin.post(`/admin/webhooks/deliveries/${delivery}/resend`, {}, { from: "/admin/webhooks" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/webhooks?done=resent");
    const [first, again] = await untilReceived(path, 2);
    expect(JSON.parse(again!.body)).toEqual(JSON.parse(first!.body));
    expect(await count("select count(*) n from webhook_deliveries where event_id = ?", event.id)).toBe(2);
  });
});

describe("who may use the Webhooks page", () => {
  it("sends a visitor to sign in and refuses an agent who is not an administrator", async () => {
    const visitor = await new Browser().get("/admin/webhooks");
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toContain("/login");
    const agent = await signedIn("alice@hooks-admin.test");
    expect((await agent.get("/admin/webhooks")).status).toBe(403);
    const before = await tableCounts();
    expect((await agent.post("/admin/webhooks", { url: "https://example.com/x", events: ["chat.started"] }, { from: "/agent" })).status).toBe(403);
    expect(await tableCounts()).toEqual(before);
  });

  it("answers 404 to another company's admin for its endpoint and delivery, and changes nothing", async () => {
    const admin = await signedIn("boss@hooks-admin.test");
    const { id } = await addEndpoint(admin, ["chat.queued"]);
    const db = openDb(env.DB);
    await db.batch([webhookInsert(db, companyId, webhookEvent("chat.queued", {}, Date.now()))]);
    const delivery = await idOf("select id from webhook_deliveries where endpoint_id = ?", id);
    await liveCompany("other-hooks", { agents: [] });
    const other = await signedIn("boss@other-hooks.test", PASSWORD);
    const sealed = await env.DB.prepare("select secret_sealed from webhook_endpoints where id = ?").bind(id).first("secret_sealed");
    const before = await tableCounts();

    expect((await other.post(`/admin/webhooks/${id}/rotate`, {}, { from: "/admin/webhooks" })).status).toBe(404);
    expect((await other.post(`/admin/webhooks/deliveries/${delivery}/resend`, {}, { from: "/admin/webhooks" })).status).toBe(404);
    expect((await other.post(`/admin/webhooks/${id}/delete`, {}, { from: "/admin/webhooks" })).status).toBe(404);
    const page = await (await other.get("/admin/webhooks")).text();
    expect(page).not.toContain(id);
    expect(page).toContain("No endpoints yet.");
    expect(await tableCounts()).toEqual(before);
    expect(await env.DB.prepare("select secret_sealed from webhook_endpoints where id = ?").bind(id).first("secret_sealed")).toBe(sealed);
  });

  it("refuses a form without the CSRF token", async () => {
    const admin = await signedIn("boss@hooks-admin.test");
    const before = await count("select count(*) n from webhook_endpoints");
    const res = await admin.post("/admin/webhooks", { url: "http://localhost/ok/no-csrf", events: ["chat.started"] }, { csrf: false });
    expect(res.status).toBe(403);
    expect(await count("select count(*) n from webhook_endpoints")).toBe(before);
  });
});
