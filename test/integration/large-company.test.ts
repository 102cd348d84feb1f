import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { listChargeLedgers } from "../../worker/stores/charges";
import { openDb } from "../../worker/stores/db";
import { companyChatIds, companyPayoutIds, paidPayouts } from "../../worker/stores/reconciliations";
import { PASSWORD } from "./client";
import { signedIn } from "./fixtures";
import { liveCompany } from "./live";

// A contact centre: hundreds of agents, up to Large Enterprise's 200 rooms. D1 binds at most 100
// parameters a statement, so every list that grows with the company must still be one request
// that works (worker/stores/in-list.ts).

const ROOMS = Array.from({ length: 149 }, (_, i) => `DESK_${String(i + 1).padStart(3, "0")}`);
const AGENTS = 120;

/** 120 agents more, written straight to D1 (each would otherwise hash a password), serving GENERAL. */
async function manyAgents(companyId: string, generalId: string) {
  const rows = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i + 1).padStart(3, "0")}`);
  await env.DB.batch(
    rows.flatMap((id) => [
      env.DB.prepare("insert into users (id, company_id, email, name, handle, password_hash, is_agent) values (?, ?, ?, ?, ?, 'x', 1)").bind(
        id,
        companyId,
        `${id}@contact-centre.test`,
        `Agent ${id.slice(6)}`,
        id,
      ),
      env.DB.prepare("insert into room_agents (room_id, user_id) values (?, ?)").bind(generalId, id),
    ]),
  );
}

const roomCount = async (email: string) =>
  (await env.DB.prepare("select count(*) n from room_agents join users on users.id = room_agents.user_id where users.email = ?").bind(email).first<{ n: number }>())!.n;

describe("a company of 120 agents and 150 rooms", () => {
  it("lists its agents, adds one who serves every room, and lets its admin take chats in all of them", { timeout: 60_000 }, async () => {
    const co = await liveCompany("contact-centre", { plan: "enterprise", rooms: ROOMS, agents: [] });
    await manyAgents(co.id, co.rooms.GENERAL!);
    const admin = await signedIn("boss@contact-centre.test");

    const staff = await admin.get("/admin/agents");
    expect(staff.status).toBe(200);
    const list = await staff.text();
    expect(list).toContain("agent-001@contact-centre.test");
    expect(list).toContain("agent-120@contact-centre.test");

    const allRooms = Object.values(co.rooms);
    expect(allRooms).toHaveLength(150);
    const added = await admin.post("/admin/agents", { name: "Zoe Everywhere", email: "zoe@contact-centre.test", password: PASSWORD, roomIds: allRooms }, { from: "/admin/agents/new" });
    expect(added.status).toBe(303);
    expect(await roomCount("zoe@contact-centre.test")).toBe(150);
    const zoe = (await env.DB.prepare("select id from users where email = 'zoe@contact-centre.test'").first<{ id: string }>())!.id;
    const form = await (await admin.get(`/admin/agents/${zoe}`)).text();
    expect(form.match(/name="roomIds"[^>]*checked/g)).toHaveLength(150);

    const takes = await admin.post("/admin/takes-chats", { takesChats: "on" }, { from: "/admin/agents" });
    expect(takes.status).toBe(303);
    expect(await roomCount("boss@contact-centre.test")).toBe(150);
  });
});

describe("the nightly reconciliation of a busy day", () => {
  it("finds the company's chats, payouts and transfers among 150 ids each, the last of them too", async () => {
    const co = await liveCompany("busy-day", { agents: [] });
    const db = openDb(env.DB);
    const ids = (prefix: string) => Array.from({ length: 150 }, (_, i) => `${prefix}-${String(i + 1).padStart(3, "0")}`);
    const chatIds = ids("busy-chat");
    await env.DB.batch(
      chatIds.slice(0, 120).map((id) =>
        env.DB.prepare("insert into chats (id, company_id, room_id) values (?, ?, ?)").bind(id, co.id, co.rooms.GENERAL),
      ),
    );
    expect((await companyChatIds(db, co.id, chatIds)).size).toBe(120);

    // A Stripe payout paid on another day, found by its transfer: the 150th Stripe names that day.
    const boss = (await env.DB.prepare("select id from users where email = 'boss@busy-day.test'").first<{ id: string }>())!.id;
    const paidAt = Date.parse("2026-11-02T10:00:00Z");
    await env.DB.batch([
      env.DB.prepare("insert into payouts (id, company_id, user_id, method, amount_minor, currency, state, due_at, reference, paid_at) values ('busy-payout', ?, ?, 'stripe', 800, 'EUR', 'paid', ?, 'tr_busy_150', ?)").bind(co.id, boss, paidAt, paidAt),
      env.DB.prepare("insert into ledger_entries (id, txn_id, company_id, kind, account, amount_minor, currency) values ('busy-line', 'busy-payout:paid', ?, 'payout', 'payout', 800, 'EUR')").bind(co.id),
    ]);
    const transfers = [...ids("tr_other").slice(0, 149), "tr_busy_150"];
    const day = { from: Date.parse("2026-11-20T00:00:00Z"), to: Date.parse("2026-11-21T00:00:00Z") };
    expect(await paidPayouts(db, co.id, day, transfers)).toEqual([{ payoutId: "busy-payout", transferId: "tr_busy_150", currency: "EUR", amountMinor: 800 }]);
    expect(await companyPayoutIds(db, co.id, [...ids("po_other"), "busy-payout"])).toEqual(new Set(["busy-payout"]));
    expect(await listChargeLedgers(db, co.id, { chargeIds: ids("ch_none"), paymentIntentIds: ids("pi_none") })).toEqual([]);
  });
});
