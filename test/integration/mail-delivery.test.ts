import { createExecutionContext, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { entitlementPeriod, periodEnd } from "../../worker/accounts/entitlement";
import type { MailMessage } from "../../worker/adapters/mail-queue";
import { utcLongDate } from "../../worker/format/utc";
import worker from "../../worker/index";
import { sweepOutbox } from "../../worker/jobs/mail-delivery";
import { HELD_NOTE } from "../../worker/mail/delivery";
import type { OutgoingMail } from "../../worker/mail/message";
import { seedDemo } from "../../worker/demo/seed";
import { openDb } from "../../worker/stores/db";
import { mailInsert } from "../../worker/stores/outbox";
import { Browser, signUpAs } from "./client";
import { count, idOf, signedIn } from "./fixtures";
import { inbox, source } from "./mail";

// The outbox delivered through the mail queue's consumer, by SMTP, to maildev (the catcher that
// `npm start` runs too), read back from its inbox at http://mail.fake; failures come from
// test/fakes/smtp.ts, which answers as a relay that refuses, defers or hangs up.

let n = 0;
/** A recipient of its own per test; the local part tells the failing fake what to do. */
const address = (local = "customer") => `${local}@t${++n}-${Date.now()}.mail.test`;

let demoId: string;

async function write(over: Partial<OutgoingMail> & { to: string }): Promise<OutgoingMail> {
  const mail = {
    id: crypto.randomUUID(),
    companyId: demoId,
    kind: "notice",
    sender: { name: "Acme Support", replyTo: "help@acme.test" },
    content: { subject: "Your question", greeting: "Hello Ann,", paragraphs: ["We <b>read</b> it & answer soon."], facts: [["Ticket", "#42"]] },
    ...over,
  } as OutgoingMail;
  const db = openDb(env.DB);
  await db.batch([mailInsert(db, mail)]);
  return mail;
}

/** What the handler did with each message: acknowledged, or retried after so many seconds. */
type Outcome = { acked: string[]; retried: { id: string; delaySeconds: number | undefined }[] };

/** Runs the Worker's queue() handler on one batch naming these rows, as the queue would. */
async function deliver(ids: string[], over: Record<string, string> = {}): Promise<Outcome> {
  const outcome: Outcome = { acked: [], retried: [] };
  const messages = ids.map((id, i) => ({
    id: `msg-${i}-${id}`,
    timestamp: new Date(),
    attempts: 1,
    body: { id },
    ack: () => void outcome.acked.push(`msg-${i}-${id}`),
    retry: (options?: QueueRetryOptions) => void outcome.retried.push({ id: `msg-${i}-${id}`, delaySeconds: options?.delaySeconds }),
  }));
  const batch = { queue: "parley-mail", messages, ackAll: () => {}, retryAll: () => {} } as unknown as MessageBatch<MailMessage>;
  await worker.queue(batch, { ...env, ...over }, createExecutionContext());
  return outcome;
}

const failingRelay = () => ({ SMTP_PORT: env.TEST_FAILING_SMTP_PORT });

const row = (id: string) => env.DB.prepare("select status, attempts, note, next_attempt_at, sent_at from email_outbox where id = ?").bind(id).first<Record<string, unknown>>();

const entitlement = (companyId: string) =>
  env.DB.prepare("select entitlement_used used, entitlement_emails emails from companies where id = ?").bind(companyId).first<{ used: number; emails: number }>();

beforeAll(async () => {
  await seedDemo(openDb(env.DB));
  demoId = await idOf("select id from companies where slug = 'demo'");
});

describe("the mail queue's consumer", () => {
  it("sends a row to the relay with a text and an HTML part from the same content, the sender's name and Reply-To, and marks it sent", async () => {
    const to = address();
    const mail = await write({ to });
    const before = await entitlement(demoId);

    const result = await deliver([mail.id]);

    expect(result.acked).toEqual([`msg-0-${mail.id}`]);
    const [caught, ...more] = await inbox(to);
    expect(more).toEqual([]);
    expect(caught!.subject).toBe("Your question");
    expect(caught!.from).toEqual([{ address: "mail@parley.test", name: "Acme Support" }]);
    expect(caught!.text).toContain("Hello Ann,\n\nWe <b>read</b> it & answer soon.\n\nTicket: #42\n\n-- \nSent by Acme Support through Parley.");
    // The same words in the HTML part, escaped.
    expect(caught!.html).toContain("We &lt;b&gt;read&lt;/b&gt; it &amp; answer soon.");
    expect(caught!.html).toContain("#42");
    const raw = await source(caught!.id);
    expect(raw).toMatch(/^Reply-To: help@acme\.test\r?$/m);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(raw).toMatch(new RegExp(`^Message-ID: <${mail.id}@parley\\.test>\\r?$`, "m"));
    expect(await row(mail.id)).toMatchObject({ status: "sent", attempts: 1, note: null });
    // Every email counts against the company's entitlement, beside its chats.
    expect(await entitlement(demoId)).toEqual({ used: before!.used + 1, emails: before!.emails + 1 });
  });

  it("sends one mail when the same message is delivered twice at once, and counts it once", async () => {
    const to = address();
    const mail = await write({ to });
    const before = await entitlement(demoId);

    const [first, second] = await Promise.all([deliver([mail.id]), deliver([mail.id])]);
    const again = await deliver([mail.id]);

    for (const result of [first, second, again]) expect(result.acked).toEqual([`msg-0-${mail.id}`]);
    expect(await inbox(to, 2)).toHaveLength(1);
    expect(await row(mail.id)).toMatchObject({ status: "sent", attempts: 1 });
    expect(await entitlement(demoId)).toEqual({ used: before!.used + 1, emails: before!.emails + 1 });
  });

  it("retries a relay's temporary refusal with growing delays, then gives the row up as failed with the reason", async () => {
    const mail = await write({ to: address("later") });
    const delays: (number | undefined)[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const result = await deliver([mail.id], failingRelay());
      expect(result.acked).toEqual([]);
      delays.push(...result.retried.map((m) => m.delaySeconds));
      const waiting = await row(mail.id);
      expect(waiting).toMatchObject({ status: "queued", attempts: attempt });
      expect(waiting!.note).toMatch(/451 4\.3\.0 Mailbox busy/);
      expect(waiting!.next_attempt_at).toBeGreaterThan(Date.now());
    }
    expect(delays).toEqual([30, 120, 480, 1920]);

    const last = await deliver([mail.id], failingRelay());
    expect(last.acked).toEqual([`msg-0-${mail.id}`]);
    const failed = await row(mail.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 5, next_attempt_at: null, sent_at: null });
    expect(failed!.note).toMatch(/answered RCPT with "451 4\.3\.0 Mailbox busy, try again later" \(after 5 attempts\)/);
    // A failed row stays failed: a late redelivery sends nothing.
    expect((await deliver([mail.id])).acked).toHaveLength(1);
    expect(await row(mail.id)).toMatchObject({ status: "failed", attempts: 5 });
  });

  it("fails a mail the relay refuses for good at once, without retrying", async () => {
    const mail = await write({ to: address("refused") });
    const result = await deliver([mail.id], failingRelay());
    expect(result.retried).toEqual([]);
    const failed = await row(mail.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed!.note).toMatch(/550 5\.1\.1 No such user here.*\(after 1 attempt\)/);
  });

  it("treats a relay that hangs up instead of answering as a temporary failure, and does not wait on it", async () => {
    const mail = await write({ to: address("dropped") });
    const started = Date.now();
    const result = await deliver([mail.id], failingRelay());
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.retried).toEqual([{ id: `msg-0-${mail.id}`, delaySeconds: 30 }]);
    expect((await row(mail.id))!.note).toMatch(/closed the connection before answering RCPT/);
  });

  it("retries when no relay answers, saying where it tried", async () => {
    const mail = await write({ to: address() });
    const result = await deliver([mail.id], { SMTP_PORT: "1" });
    expect(result.retried).toHaveLength(1);
    expect((await row(mail.id))!.note).toMatch(/127\.0\.0\.1:1/);
  });

  it("signs in to a relay that asks for it, and retries with the relay's answer when the password is wrong", async () => {
    const signedInMail = await write({ to: address() });
    await deliver([signedInMail.id], { ...failingRelay(), SMTP_USER: "parley", SMTP_PASSWORD: "secret" });
    expect(await row(signedInMail.id)).toMatchObject({ status: "sent" });
    const refused = await write({ to: address() });
    const result = await deliver([refused.id], { ...failingRelay(), SMTP_USER: "parley", SMTP_PASSWORD: "wrong" });
    expect(result.retried).toHaveLength(1);
    expect((await row(refused.id))!.note).toMatch(/answered AUTH with "535 5\.7\.8 Authentication credentials invalid" \(attempt 1; trying again\)/);
  });

  it("acknowledges a message whose row does not exist, and sends nothing", async () => {
    const result = await deliver(["no-such-mail"]);
    expect(result.acked).toEqual(["msg-0-no-such-mail"]);
  });
});

describe("the entitlement", () => {
  it("holds mail that is not a receipt once the quota is used up, with a note, and still sends and counts a receipt", async () => {
    const admin = new Browser();
    await signUpAs(admin, { slug: "quota-co", email: "boss@quota-co.test" });
    const companyId = await idOf("select id from companies where slug = 'quota-co'");
    await env.DB.prepare("update companies set entitlement_quota = 3, entitlement_used = 3, entitlement_period = ? where id = ?").bind(entitlementPeriod(Date.now()), companyId).run();
    const noticeTo = address();
    const receiptTo = address();
    const notice = await write({ to: noticeTo, companyId });
    const receipt = await write({ to: receiptTo, companyId, kind: "receipt" });

    const result = await deliver([notice.id, receipt.id]);

    expect(result.acked).toHaveLength(2);
    expect(await row(notice.id)).toMatchObject({ status: "held", note: HELD_NOTE, attempts: 0 });
    expect(await row(receipt.id)).toMatchObject({ status: "sent" });
    expect(await inbox(receiptTo)).toHaveLength(1);
    expect(await inbox(noticeTo, 0)).toEqual([]);
    expect(await entitlement(companyId)).toEqual({ used: 4, emails: 1 });

    // The admin sees it on the home page and in the mail log.
    const home = await (await admin.get("/admin")).text();
    expect(home).toContain("<strong>4</strong> of 3 used this month");
    expect(home).toContain("3 chats · 1 email");
    expect(home).toContain("1 email held</a>: the entitlement is used up.");
    expect(home).toContain(`Starts again at 0 on ${utcLongDate(periodEnd(entitlementPeriod(Date.now())))}, 00:00\u00a0UTC`);
    const log = await (await admin.get("/admin/mail")).text();
    expect(log).toContain("<strong>1 email is held</strong>");
    const line = log.match(new RegExp(`<tr data-mail="${notice.id}"[\\s\\S]*?</tr>`))?.[0] ?? "";
    expect(line).toContain('data-status="held"');
    expect(line).toContain("Held: the company&#39;s entitlement (chats and emails) for this month is used up; sent when the next month begins");
  });
});

describe("header fields", () => {
  it("turns line breaks in a subject or a sender's name into spaces, so they cannot add a header or a recipient", async () => {
    const to = address();
    const victim = address("victim");
    const mail = await write({
      to,
      sender: { name: "Acme\r\nX-Injected: yes", replyTo: "help@acme.test\r\nBcc: " + victim },
      content: { subject: `Hello\r\nBcc: ${victim}`, paragraphs: ["Hi"] },
    });
    await deliver([mail.id]);

    const [caught] = await inbox(to);
    expect(caught!.subject).toBe(`Hello Bcc: ${victim}`);
    const headers = (await source(caught!.id)).split(/\r?\n\r?\n/)[0]!;
    expect(headers).not.toMatch(/^(Bcc|X-Injected):/im);
    expect(headers).toMatch(/^From: "Acme X-Injected: yes" <mail@parley\.test>\r?$/m);
    // A Reply-To that is no address is left out rather than mended.
    expect(headers).not.toMatch(/^Reply-To:/im);
    expect(await inbox(victim, 0)).toEqual([]);
  });

  it("writes a mail to a malformed address as failed with the reason, and never sends it", async () => {
    const mail = await write({ to: "ann@@example.com\r\nRCPT TO:<x@y.test>" });
    expect(await row(mail.id)).toMatchObject({ status: "failed", attempts: 0 });
    expect((await row(mail.id))!.note).toBe('"ann@@example.com RCPT TO:<x@y.test>" is not a valid email address.');
    expect((await deliver([mail.id])).acked).toHaveLength(1);
    expect(await row(mail.id)).toMatchObject({ status: "failed", attempts: 0 });
  });

  it("refuses an unsubscribe link that could break its header, and puts a good one in List-Unsubscribe on an alert", async () => {
    await expect(write({ to: address(), kind: "alert", unsubscribeUrl: "https://parley.test/u/1\r\nBcc: x@y.test" } as OutgoingMail)).rejects.toThrow();
    const to = address();
    await deliver([(await write({ to, kind: "alert", unsubscribeUrl: "https://parley.test/alerts/abc/unsubscribe" } as OutgoingMail)).id]);
    const [caught] = await inbox(to);
    expect(await source(caught!.id)).toMatch(/^List-Unsubscribe: <https:\/\/parley\.test\/alerts\/abc\/unsubscribe>\r?$/m);
  });
});

describe("the sweep", () => {
  it("puts back on the queue the rows it missed: queued a minute past their time, or sending past the claim's lease", async () => {
    const now = Date.now();
    const missed = await write({ to: address() });
    const fresh = await write({ to: address() });
    const stuck = await write({ to: address() });
    const dueLater = await write({ to: address() });
    await env.DB.prepare("update email_outbox set created_at = ? where id = ?").bind(now - 2 * 60_000, missed.id).run();
    await env.DB.prepare("update email_outbox set status = 'sending', claim = 'gone', claimed_at = ? where id = ?").bind(now - 11 * 60_000, stuck.id).run();
    await env.DB.prepare("update email_outbox set created_at = ?, next_attempt_at = ? where id = ?").bind(now - 2 * 60_000, now + 60_000, dueLater.id).run();
    const sent: string[] = [];
    const queue = { sendBatch: async (messages: { body: MailMessage }[]) => void sent.push(...messages.map((m) => m.body.id)) } as unknown as Queue<MailMessage>;

    await sweepOutbox({ ...env, MAIL_QUEUE: queue }, now);

    expect(sent).toContain(missed.id);
    expect(sent).toContain(stuck.id);
    expect(sent).not.toContain(fresh.id);
    expect(sent).not.toContain(dueLater.id);
    // The stuck row is taken over from the vanished delivery, and sent once.
    await deliver([stuck.id]);
    expect(await row(stuck.id)).toMatchObject({ status: "sent", attempts: 1 });
  });
});

describe("mail the product writes", () => {
  it("delivers the profile-edited notice to the admin through the queue, from the company", async () => {
    const alice = await signedIn("alice@demo.test", "parley-demo");
    const general = await idOf("select r.id from rooms r join companies c on c.id = r.company_id where c.slug = 'demo' and r.name = 'GENERAL'");
    const before = (await inbox("admin@demo.test", 0)).length;
    const res = await alice.post(
      "/agent/profile",
      { photo: "initials", photoUrl: "", greeting: "Hello!", ringtone: "chime", whatsappNumber: "", privateRoomId: general, pricingCurrency: "EUR", pricingFreeMinutes: "0", pricingBlockPrice: "10.00", pricingBlockMinutes: "5", pricingSplitThreshold: "" },
      { from: "/agent/profile" },
    );
    expect(res.status).toBe(303);
    // The route put the row on the queue; the queue's consumer sends it.
    const mails = await inbox("admin@demo.test", before + 1);
    const notice = mails.find((m) => m.subject === "Alice Martin updated their private profile");
    expect(notice?.from[0]?.name).toBe("Parley Demo");
    expect(await count("select count(*) n from email_outbox where to_address = 'admin@demo.test' and status = 'sent'")).toBeGreaterThan(0);
  });
  it("tells the admin which agent changed what: old and new greeting, ringtone and alerts, and only that the photo changed", async () => {
    const alice = await signedIn("alice@demo.test", "parley-demo");
    const general = await idOf("select r.id from rooms r join companies c on c.id = r.company_id where c.slug = 'demo' and r.name = 'GENERAL'");
    const profile = { photo: "initials", photoUrl: "", greeting: "Hello!", ringtone: "chime", whatsappNumber: "", notificationAlert: "on", privateRoomId: general, pricingCurrency: "EUR", pricingFreeMinutes: "0", pricingBlockPrice: "10.00", pricingBlockMinutes: "5", pricingSplitThreshold: "" };
    expect((await alice.post("/agent/profile", profile, { from: "/agent/profile" })).status).toBe(303);
    const greeting = `Bonjour <b>${Date.now()}</b>`;
    const { notificationAlert: _, ...alertOff } = profile;
    const edit = { ...alertOff, greeting, ringtone: "soft", photo: "url", photoUrl: "https://photos.example/alice.png" };
    expect((await alice.post("/agent/profile", edit, { from: "/agent/profile" })).status).toBe(303);
    let notice: Awaited<ReturnType<typeof inbox>>[number] | undefined;
    for (let i = 0; i < 50 && !notice; i++) {
      notice = (await inbox("admin@demo.test", 0)).find((m) => m.text.includes(greeting));
      if (!notice) await new Promise((r) => setTimeout(r, 100));
    }
    expect(notice?.subject).toBe("Alice Martin updated their private profile");
    expect(notice?.text).toContain("Alice Martin changed their agent profile in Parley:");
    expect(notice?.text).toMatch(/Agent: +Alice Martin <alice@demo.test>/);
    expect(notice?.text).toMatch(new RegExp(`Greeting: +“Hello!” → “${greeting}”`));
    expect(notice?.text).toMatch(/Ringtone: +Chime → Soft/);
    expect(notice?.text).toMatch(/Notification alert: +on → off/);
    expect(notice?.text).toMatch(/Photo: +added/);
    expect(notice?.text).not.toContain("photos.example");
    expect(notice?.text).not.toContain("Email alert");
    // The greeting is the agent's text: escaped in the HTML part.
    expect(notice?.html).toContain("Bonjour &lt;b&gt;");
  });
});

describe("GET /admin/mail", () => {
  it("lists the company's own mail with time, kind, recipient, subject, status and the failure reason", async () => {
    const to = address("refused");
    const mail = await write({ to, content: { subject: "A notice that fails", paragraphs: ["x"] } });
    await deliver([mail.id], failingRelay());
    const admin = await signedIn("admin@demo.test", "parley-demo");
    const res = await admin.get("/admin/mail");
    expect(res.status).toBe(200);
    const html = await res.text();
    const line = html.match(new RegExp(`<tr data-mail="${mail.id}"[\\s\\S]*?</tr>`))?.[0] ?? "";
    expect(line).toContain("data-status=\"failed\"");
    expect(line).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(line).toContain("Notice");
    expect(line).toContain(to);
    expect(line).toContain("A notice that fails");
    expect(line).toContain("Failed");
    expect(line).toContain("550 5.1.1 No such user here");
  });

  it("shows an admin none of another company's mail", async () => {
    const other = new Browser();
    await signUpAs(other, { slug: "other-mail-co", email: "boss@other-mail-co.test" });
    const mine = await write({ to: address(), content: { subject: "Only for demo's admin", paragraphs: ["x"] } });
    const html = await (await other.get("/admin/mail")).text();
    expect(html).not.toContain(mine.id);
    expect(html).not.toContain("Only for demo");
    expect(html).toContain("No mail yet");
  });

  it("is for administrators only: an agent is refused and a visitor is sent to sign in", async () => {
    const alice = await signedIn("alice@demo.test", "parley-demo");
    const res = await alice.get("/admin/mail");
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("data-mail=");
    const visitor = await new Browser().get("/admin/mail");
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toBe("/login?next=%2Fadmin%2Fmail");
  });
});
