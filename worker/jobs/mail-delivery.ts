import { newId } from "../accounts/tokens";
import { sendMail, SmtpError, smtpConfig } from "../adapters/mail";
import { enqueueMail, type MailMessage } from "../adapters/mail-queue";
import type { Bindings } from "../app-env";
import { afterFailure, type SendFailure } from "../mail/delivery";
import { openDb } from "../stores/db";
import { claimMail, mailToSweep, markMailFailed, markMailSent, releaseMailWithRoom } from "../stores/outbox";

// The mail queue's consumer and the sweep behind it. A message names an outbox row; delivering
// it is idempotent on the row: only a delivery that claims the row sends it, so a message
// delivered twice sends one mail, and a row already sent, failed or held is acknowledged as it is.

/** Every five minutes: rows the queue missed go on it again, and held mail once its company has room (wrangler.toml). */
export const MAIL_SWEEP_CRON = "*/5 * * * *";

/** When the next attempt is due, for a row that failed and will be tried again. */
export type Retry = { retryInSeconds: number };

/** Sends one outbox row, if it is this delivery's to send; a Retry when it failed and will be tried again. */
export async function deliverMail(env: Bindings, id: string, now = Date.now()): Promise<Retry | null> {
  const db = openDb(env.DB);
  const claim = newId();
  const row = await claimMail(db, id, claim, now);
  if (!row || row.status !== "sending") return null;
  try {
    const config = smtpConfig(env);
    if (!config) throw new SmtpError("Mail is not configured: SMTP_HOST is unset", false);
    await sendMail(config, {
      id: row.id,
      to: row.toAddress,
      fromName: row.fromName ?? "Parley",
      replyTo: row.replyTo,
      subject: row.subject,
      text: row.bodyText,
      html: row.bodyHtml,
      headers: row.headers ? (JSON.parse(row.headers) as Record<string, string>) : {},
    });
  } catch (err) {
    const failure: SendFailure = err instanceof SmtpError ? err : { reason: `Could not send: ${(err as Error).message}`, permanent: false };
    const after = afterFailure(row.attempts, failure, Date.now());
    await markMailFailed(db, id, claim, after);
    console.warn("mail", id, after.status, after.note);
    return after.status === "queued" ? { retryInSeconds: after.retryInSeconds } : null;
  }
  await markMailSent(db, id, claim, Date.now());
  return null;
}

/** The queue() handler: each message acknowledged once its row is settled, or retried after the row's backoff. */
export async function deliverMailBatch(batch: MessageBatch<MailMessage>, env: Bindings): Promise<void> {
  for (const message of batch.messages) {
    try {
      const retry = await deliverMail(env, message.body.id);
      if (retry) message.retry({ delaySeconds: retry.retryInSeconds });
      else message.ack();
    } catch (err) {
      // D1 failed us before the row was settled: the queue tries again (and the sweep, after it).
      console.error("mail", message.body.id, err);
      message.retry({ delaySeconds: 30 });
    }
  }
}

/**
 * Puts the rows the queue missed back on it, with the mail held at the quota whose company has
 * room again: the first sweep of a month sends what the month before held. Returns how many.
 */
export async function sweepOutbox(env: Bindings, now: number): Promise<number> {
  const db = openDb(env.DB);
  const missed = await mailToSweep(db, now);
  const released = await releaseMailWithRoom(db, now);
  // A row released just now may be old enough to be swept too: each goes on the queue once.
  const ids = [...new Set([...missed, ...released])];
  await enqueueMail(env, ids);
  return ids.length;
}
