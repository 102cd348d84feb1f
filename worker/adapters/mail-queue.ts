// The mail queue's producer side: after the batch that wrote outbox rows committed, their ids go
// on the queue (wrangler.toml, MAIL_QUEUE), whose consumer sends them (worker/jobs/mail-delivery.ts).

/** A queue message: the outbox row to send. */
export type MailMessage = { id: string };

/** What enqueueMail needs of the environment. */
export type MailQueueEnv = { MAIL_QUEUE: Queue<MailMessage> };

/** Queues.sendBatch takes at most 100 messages. */
const BATCH = 100;

/**
 * Puts the rows on the queue. It never throws: the rows are already written, and a send that
 * fails here is made good by the sweep that re-enqueues rows the queue missed (a minute later, at
 * the next five-minute cron).
 */
export async function enqueueMail(env: MailQueueEnv, ids: string[]): Promise<void> {
  try {
    for (let i = 0; i < ids.length; i += BATCH) {
      await env.MAIL_QUEUE.sendBatch(ids.slice(i, i + BATCH).map((id) => ({ body: { id } })));
    }
  } catch (err) {
    console.error("mail queue: could not enqueue; the sweep will", ids, err);
  }
}
