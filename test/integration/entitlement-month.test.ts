import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { newId } from "../../worker/accounts/tokens";
import { deliverMail, sweepOutbox } from "../../worker/jobs/mail-delivery";
import { HELD_NOTE, OUTDATED_NOTE } from "../../worker/mail/delivery";
import { markChatConnected } from "../../worker/stores/chats";
import { openDb } from "../../worker/stores/db";
import { claimMail, mailInsert, markMailSent } from "../../worker/stores/outbox";
import { count, idOf, signedIn } from "./fixtures";
import { Customer, connectedChat, team } from "./live";
import { inbox, mailTo } from "./mail";
import { closeAllSockets, frames } from "./sockets";

// The company entitlement counts per calendar month in UTC (worker/accounts/entitlement.ts): a
// company at its quota in November takes chats and sends mail again from 1 December, without any
// job having run at midnight; counts that land together at the turn of the month are all kept.
// The Worker's and the objects' clock is this isolate's Date, set here (as live.ts's later() does).

const at = (iso: string) => Date.parse(iso);
const setClock = (iso: string) => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(at(iso));
};

afterEach(() => {
  closeAllSockets();
  vi.useRealTimers();
});

type Counts = { used: number; emails: number; period: string };
const counts = (companyId: string) =>
  env.DB.prepare("select entitlement_used used, entitlement_emails emails, entitlement_period period from companies where id = ?").bind(companyId).first<Counts>();
const setCounts = (companyId: string, c: Counts & { quota: number }) =>
  env.DB.prepare("update companies set entitlement_used = ?, entitlement_emails = ?, entitlement_period = ?, entitlement_quota = ? where id = ?")
    .bind(c.used, c.emails, c.period, c.quota, companyId)
    .run();

/** A company of its own with no chats, for the store-level tests. */
async function company(slug: string): Promise<string> {
  await team(slug, []);
  return idOf("select id from companies where slug = ?", slug);
}

/**
 * A mail to the company's customer, written to the outbox at the isolate's (set) time: a notice,
 * or an alert ("someone is free to talk").
 */
async function outboxMail(companyId: string, to: string, subject: string, kind: "notice" | "alert" = "notice"): Promise<string> {
  const id = crypto.randomUUID();
  const db = openDb(env.DB);
  const mail = { id, companyId, to, sender: { name: "Month Co", replyTo: null }, content: { subject, paragraphs: ["Sent in the new month."] } };
  await db.batch([mailInsert(db, kind === "alert" ? { ...mail, kind, unsubscribeUrl: "https://parley.test/alerts/x/unsubscribe" } : { ...mail, kind })]);
  await env.DB.prepare("update email_outbox set created_at = ? where id = ?").bind(Date.now(), id).run();
  return id;
}

const mailRow = (id: string) => env.DB.prepare("select status, note from email_outbox where id = ?").bind(id).first<{ status: string; note: string | null }>();

describe("a company at its quota in November", () => {
  it("refuses chats until the month ends and takes one on 1 December, counted as December's first, with no job run at midnight", async () => {
    setClock("2026-11-30T23:50:00Z");
    const { company: co, agents: [alice] } = await team("month-co", ["Alice Martin"]);
    const console = await alice.online();
    const first = await connectedChat(alice, console);
    expect(await counts(co.id)).toEqual({ used: 1, emails: 0, period: "2026-11" });
    first.customerSocket.send({ type: "hangup" });
    await console.next(frames.status("REMOTE_CUSTOMER_HANGUP"), "the hang-up");
    await env.DB.prepare("update companies set entitlement_quota = 1 where id = ?").bind(co.id).run();

    const refused = await new Customer().submit("/c/month-co/GENERAL", { name: "Late Larry", mode: "chat" });
    expect(refused.status).toBe(503);
    expect(await refused.text()).toContain("its 1 chats for this month are used up");
    const admin = await signedIn("boss@month-co.test");
    const november = await (await admin.get("/admin")).text();
    expect(november).toContain("<strong>1</strong> of 1 used this month");
    expect(november).toContain("Starts again at 0 on 1 December 2026, 00:00\u00a0UTC");

    setClock("2026-12-01T00:00:01Z");
    await alice.choose(console, "WAITING_NEW_CALL");
    const chats = await count("select count(*) n from chats where company_id = ?", co.id);
    await connectedChat(alice, console);
    expect(await count("select count(*) n from chats where company_id = ?", co.id)).toBe(chats + 1);
    expect(await counts(co.id)).toEqual({ used: 1, emails: 0, period: "2026-12" });

    const december = await (await admin.get("/admin")).text();
    expect(december).toContain("<strong>1</strong> of 1 used this month");
    expect(december).toContain("1 chat · 0 emails");
    expect(december).toContain("Starts again at 0 on 1 January 2027, 00:00\u00a0UTC");
    const plan = await (await admin.get("/admin/plan")).text();
    expect(plan).toContain("<strong>1</strong> of 1 chats and emails used this month");
    expect(plan).toContain("The count starts again at 0 on 1 January 2027, 00:00\u00a0UTC, on every plan.");
  });

  it("shows 0 used this month on 1 December before anything counted in it", async () => {
    setClock("2026-12-01T08:00:00Z");
    const id = await company("month-shown-co");
    await setCounts(id, { used: 500, emails: 40, period: "2026-11", quota: 500 });
    const home = await (await signedIn("boss@month-shown-co.test")).get("/admin");
    const page = await home.text();
    expect(page).toContain("<strong>0</strong> of 500 used this month");
    expect(page).toContain("0 chats · 0 emails");
    expect(await counts(id)).toEqual({ used: 500, emails: 40, period: "2026-11" });
  });

  it("sends the mail held at the quota at the first sweep of December, and counts it there", async () => {
    setClock("2026-11-30T23:58:00Z");
    const id = await company("month-mail-co");
    await setCounts(id, { used: 500, emails: 40, period: "2026-11", quota: 500 });
    const to = `ann@month-mail-${Date.now()}.mail.test`;
    const mailId = await outboxMail(id, to, "Held over the month's end");
    await deliverMail(env, mailId, Date.now());
    expect(await mailRow(mailId)).toEqual({ status: "held", note: HELD_NOTE });
    // A sweep while November lasts leaves it held.
    await sweepOutbox(env, at("2026-11-30T23:59:59.999Z"));
    expect(await mailRow(mailId)).toEqual({ status: "held", note: HELD_NOTE });

    setClock("2026-12-01T00:00:00Z");
    // Between midnight and the sweep the admin reads that it is on its way.
    expect(await (await (await signedIn("boss@month-mail-co.test")).get("/admin")).text()).toContain("1 email held</a>: going out within minutes.");
    expect(await sweepOutbox(env, Date.now())).toBeGreaterThanOrEqual(1);
    expect((await mailTo(to, "Held over the month's end"))?.text).toContain("Sent in the new month.");
    expect(await mailRow(mailId)).toEqual({ status: "sent", note: null });
    expect(await counts(id)).toEqual({ used: 1, emails: 1, period: "2026-12" });
  });

  it("does not send an alert that waited over an hour for the new month: it is out of date, and the admin reads why", async () => {
    setClock("2026-11-30T22:30:00Z");
    const id = await company("month-alert-co");
    await setCounts(id, { used: 500, emails: 40, period: "2026-11", quota: 500 });
    const to = `cy@month-alert-${Date.now()}.mail.test`;
    const stale = await outboxMail(id, to, "Someone is free at 22:30", "alert");
    await deliverMail(env, stale, Date.now());
    setClock("2026-11-30T23:30:00Z");
    const fresh = await outboxMail(id, to, "Someone is free at 23:30", "alert");
    await deliverMail(env, fresh, Date.now());
    expect((await mailRow(stale))?.status).toBe("held");

    setClock("2026-12-01T00:00:00Z");
    await sweepOutbox(env, Date.now());
    expect(await mailRow(stale)).toEqual({ status: "failed", note: OUTDATED_NOTE });
    expect((await mailTo(to, "Someone is free at 23:30"))?.text).toContain("Sent in the new month.");
    expect(await mailRow(fresh)).toEqual({ status: "sent", note: null });
    // The inbox has the fresh alert: the stale one would have gone out in the same sweep.
    expect((await inbox(to, 0)).map((m) => m.subject)).toEqual(["Someone is free at 23:30"]);
    const log = await (await (await signedIn("boss@month-alert-co.test")).get("/admin/mail")).text();
    expect(log).toContain("waited over an hour for the entitlement and was out of date by then.");
  });
});

describe("counting at the turn of the month", () => {
  const agent = newId();

  it("starts the new month at the first count in it, and counts a late one of the old month in the new one rather than moving back", async () => {
    const id = await company("turn-co");
    await setCounts(id, { used: 500, emails: 40, period: "2026-11", quota: 500 });
    await markChatConnected(env.DB, { chatId: newId(), companyId: id }, agent, at("2026-12-01T00:00:00.000Z"));
    expect(await counts(id)).toEqual({ used: 1, emails: 0, period: "2026-12" });
    await markChatConnected(env.DB, { chatId: newId(), companyId: id }, agent, at("2026-11-30T23:59:59.999Z"));
    expect(await counts(id)).toEqual({ used: 2, emails: 0, period: "2026-12" });
  });

  it("keeps every one of many chats and emails counted at once across New Year, starting January once", async () => {
    const id = await company("new-year-co");
    await setCounts(id, { used: 5000, emails: 300, period: "2026-12", quota: 5000 });
    const db = openDb(env.DB);
    const midnight = at("2027-01-01T00:00:00Z");
    const mails = await Promise.all(Array.from({ length: 10 }, (_, i) => outboxMail(id, `c${i}@new-year.mail.test`, "Happy new year")));
    const claim = newId();
    for (const mailId of mails) expect((await claimMail(db, mailId, claim, midnight))?.status).toBe("sending");

    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => markChatConnected(env.DB, { chatId: newId(), companyId: id }, agent, midnight + i)),
      ...mails.map((mailId, i) => markMailSent(db, mailId, claim, midnight + i)),
    ]);
    expect(await counts(id)).toEqual({ used: 20, emails: 10, period: "2027-01" });
  });

  it("holds mail at the quota of this month only", async () => {
    const id = await company("hold-co");
    await setCounts(id, { used: 3, emails: 0, period: "2026-12", quota: 3 });
    const db = openDb(env.DB);
    const december = await outboxMail(id, "late@hold.mail.test", "Still December");
    expect((await claimMail(db, december, newId(), at("2026-12-31T23:59:59.999Z")))?.status).toBe("held");
    const january = await outboxMail(id, "early@hold.mail.test", "Already January");
    expect((await claimMail(db, january, newId(), at("2027-01-01T00:00:00Z")))?.status).toBe("sending");
  });
});

describe("migration 0019", () => {
  it("starts every company's count at what its records show for this month, not its count of all time", async () => {
    const { company: co } = await team("recount-co", []);
    const room = co.rooms.GENERAL!;
    const now = Date.now();
    const lastMonth = Date.parse(`${new Date(now).toISOString().slice(0, 7)}-01T00:00:00Z`) - 1;
    const chat = (answeredAt: number | null) =>
      env.DB.prepare("insert into chats (id, company_id, room_id, answered_at) values (?, ?, ?, ?)").bind(newId(), co.id, room, answeredAt).run();
    const mail = (status: string, sentAt: number | null) =>
      env.DB.prepare("insert into email_outbox (id, company_id, to_address, subject, body_text, status, sent_at) values (?, ?, 'a@b.test', 's', 't', ?, ?)").bind(newId(), co.id, status, sentAt).run();
    await Promise.all([chat(now), chat(now), chat(lastMonth), chat(null), mail("sent", now), mail("sent", lastMonth), mail("queued", null)]);
    await setCounts(co.id, { used: 900, emails: 120, period: "", quota: 500 });

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0019_"))!;
    await env.DB.prepare(migration.queries.at(-1)!).run();

    expect(await counts(co.id)).toEqual({ used: 3, emails: 1, period: new Date(now).toISOString().slice(0, 7) });
  });
});
