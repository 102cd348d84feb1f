import { and, desc, eq, lt, not, notInArray, or, sql, type SQL } from "drizzle-orm";
import { renderMail } from "../../views/mail/render";
import { companies, emailOutbox, rooms } from "../db/schema";
import { ALERT_OUTDATED_AFTER_MS, CLAIM_LEASE_MS, HELD_NOTE, OUTDATED_NOTE, SENT_AT_QUOTA, SWEEP_AFTER_MS, type AfterFailure } from "../mail/delivery";
import { checkMail, type OutgoingMail, type Sender } from "../mail/message";
import type { Db } from "./db";
import { countEntitlement, usedUp } from "./entitlements";

// The email outbox: the one way mail leaves. A caller writes the row in the batch of the event
// that causes it (mailInsert) and, once that batch committed, puts its id on the mail queue
// (enqueueMail, worker/adapters/mail-queue.ts); the queue's consumer claims, sends and settles it
// (worker/jobs/mail-delivery.ts). Each row ends sent, failed with the reason, or held.

export type OutboxRow = typeof emailOutbox.$inferSelect;

/**
 * The statement that puts one mail in the outbox, for the caller's batch: both parts rendered
 * from its content, header fields checked. A recipient that is no email address is written
 * failed with the reason (the event still happens, the admin sees why no mail went). The same id
 * written twice adds nothing.
 */
export function mailInsert(db: Db, mail: OutgoingMail) {
  const checked = checkMail(mail);
  const { text, html } = renderMail(mail.content, { name: checked.fromName, replyTo: checked.replyTo });
  return db
    .insert(emailOutbox)
    .values({
      id: mail.id,
      companyId: mail.companyId,
      kind: mail.kind,
      toAddress: checked.to,
      fromName: checked.fromName,
      replyTo: checked.replyTo,
      subject: checked.subject,
      bodyText: text,
      bodyHtml: html,
      headers: Object.keys(checked.headers).length ? JSON.stringify(checked.headers) : null,
      ...(checked.refused ? { status: "failed" as const, note: checked.refused } : {}),
    })
    .onConflictDoNothing();
}

/**
 * Who a company's mail is from: the room's public profile (company name, contact email), else
 * the company's own name and contact email (spec: Public Profile @ chat room).
 */
export async function senderOf(db: Db, companyId: string, roomId?: string | null): Promise<Sender> {
  const row = await db
    .select({ name: companies.name, contactEmail: companies.contactEmail, roomName: rooms.publicCompanyName, roomEmail: rooms.publicContactEmail })
    .from(companies)
    .leftJoin(rooms, and(eq(rooms.id, roomId ?? ""), eq(rooms.companyId, companies.id)))
    .where(eq(companies.id, companyId))
    .get();
  return { name: row?.roomName || row?.name || "Parley", replyTo: row?.roomEmail || row?.contactEmail || null };
}

/** The row's company, as the statements on email_outbox name it inside a subquery of companies. */
const rowCompany = sql`email_outbox.company_id`;

/** The row is held: its company used up this month's entitlement and it is not always sent; in SQL, so that the claim decides in one statement. */
const atQuota = (now: number) => sql`(${notInArray(emailOutbox.kind, [...SENT_AT_QUOTA])} and ${usedUp(rowCompany, now)})`;

/**
 * Takes a row for one delivery: a queued row (or one whose earlier delivery vanished past its
 * lease) becomes `sending` under this claim, or `held` when the entitlement is used up and it is
 * no receipt. Undefined when the row is not there to take: sent, failed, held, or being sent by
 * another delivery of the same message.
 */
export async function claimMail(db: Db, id: string, claim: string, now: number): Promise<OutboxRow | undefined> {
  const held = atQuota(now);
  const [row] = await db
    .update(emailOutbox)
    .set({
      status: sql`case when ${held} then 'held' else 'sending' end`,
      note: sql`case when ${held} then ${HELD_NOTE} else ${emailOutbox.note} end`,
      attempts: sql`case when ${held} then ${emailOutbox.attempts} else ${emailOutbox.attempts} + 1 end`,
      claim,
      claimedAt: now,
    })
    .where(and(eq(emailOutbox.id, id), or(eq(emailOutbox.status, "queued"), and(eq(emailOutbox.status, "sending"), lt(emailOutbox.claimedAt, now - CLAIM_LEASE_MS)))))
    .returning();
  return row;
}

/** Still this delivery's to settle. */
const claimed = (id: string, claim: string) => and(eq(emailOutbox.id, id), eq(emailOutbox.claim, claim), eq(emailOutbox.status, "sending"));

/** Sent: the row says so and the company's entitlement counts one more email this month, once per claim. */
export async function markMailSent(db: Db, id: string, claim: string, now: number): Promise<void> {
  await db.batch([
    countEntitlement(db, sql`companies.id = (select company_id from email_outbox where id = ${id} and claim = ${claim} and status = 'sending')`, "email", now),
    db.update(emailOutbox).set({ status: "sent", sentAt: now, note: null, nextAttemptAt: null }).where(claimed(id, claim)),
  ]);
}

/** The attempt failed: the row waits for its retry, or is given up with the reason. */
export async function markMailFailed(db: Db, id: string, claim: string, after: AfterFailure): Promise<void> {
  await db
    .update(emailOutbox)
    .set({ status: after.status, note: after.note, nextAttemptAt: after.status === "queued" ? after.nextAttemptAt : null })
    .where(claimed(id, claim));
}

/**
 * Rows the queue missed: queued and a minute past their time (written, or due to retry), or
 * `sending` under a claim whose lease ran out. Oldest first.
 */
export async function mailToSweep(db: Db, now: number, limit = 500): Promise<string[]> {
  const rows = await db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(
      or(
        and(eq(emailOutbox.status, "queued"), lt(sql`coalesce(${emailOutbox.nextAttemptAt}, ${emailOutbox.createdAt})`, now - SWEEP_AFTER_MS)),
        and(eq(emailOutbox.status, "sending"), lt(emailOutbox.claimedAt, now - CLAIM_LEASE_MS)),
      ),
    )
    .orderBy(emailOutbox.createdAt)
    .limit(limit);
  return rows.map((r) => r.id);
}

export type MailLogRow = Pick<OutboxRow, "id" | "createdAt" | "sentAt" | "kind" | "toAddress" | "subject" | "status" | "attempts" | "note">;

/** The company's mail, newest first: what its admin's mail log lists. */
export const mailLog = (db: Db, companyId: string, limit = 200): Promise<MailLogRow[]> =>
  db
    .select({
      id: emailOutbox.id,
      createdAt: emailOutbox.createdAt,
      sentAt: emailOutbox.sentAt,
      kind: emailOutbox.kind,
      toAddress: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      status: emailOutbox.status,
      attempts: emailOutbox.attempts,
      note: emailOutbox.note,
    })
    .from(emailOutbox)
    .where(eq(emailOutbox.companyId, companyId))
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
    .limit(limit);

/**
 * The held mail `which` picks, queued again (alerts held too long failed instead: they are out of
 * date), as a statement returning the rows for the caller to enqueue those queued once it ran
 * (queuedIds): the claim holds a row anew if its company still has no room.
 */
export const releaseHeldMail = (db: Db, which: SQL, now: number) => {
  const outdated = sql`(${emailOutbox.kind} = 'alert' and ${emailOutbox.createdAt} < ${now - ALERT_OUTDATED_AFTER_MS})`;
  return db
    .update(emailOutbox)
    .set({
      status: sql`case when ${outdated} then 'failed' else 'queued' end`,
      note: sql`case when ${outdated} then ${OUTDATED_NOTE} else null end`,
      nextAttemptAt: null,
    })
    .where(and(eq(emailOutbox.status, "held"), which))
    .returning({ id: emailOutbox.id, status: emailOutbox.status });
};

/** The rows releaseHeldMail queued again. */
export const queuedIds = (rows: { id: string; status: string }[]): string[] => rows.filter((r) => r.status === "queued").map((r) => r.id);

/** Held mail whose company has room again this month (a new month began): queued again. Returns the ids to enqueue. */
export async function releaseMailWithRoom(db: Db, now: number): Promise<string[]> {
  return queuedIds(await releaseHeldMail(db, not(usedUp(rowCompany, now)), now));
}

/** How many of the company's mails wait because its entitlement is used up. */
export async function heldMailCount(db: Db, companyId: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.companyId, companyId), eq(emailOutbox.status, "held")))
    .get();
  return row?.n ?? 0;
}
