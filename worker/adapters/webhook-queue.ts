import { openDb } from "../stores/db";
import { deliveriesOfEvents } from "../stores/webhooks";

// The webhook queue's producer side: after the batch that wrote an event's deliveries committed,
// their ids go on the queue (wrangler.toml, WEBHOOK_QUEUE), whose consumer sends them
// (worker/jobs/webhook-delivery.ts).

/** A queue message: the delivery to attempt. */
export type WebhookMessage = { id: string };

export type WebhookQueueEnv = { DB: D1Database; WEBHOOK_QUEUE: Queue<WebhookMessage> };

/** Queues.sendBatch takes at most 100 messages. */
const BATCH = 100;

/** Puts deliveries on the queue. It never throws: the rows are written, and the five-minute sweep sends what this missed. */
export async function enqueueWebhookDeliveries(env: Pick<WebhookQueueEnv, "WEBHOOK_QUEUE">, ids: string[]): Promise<void> {
  try {
    for (let i = 0; i < ids.length; i += BATCH) {
      await env.WEBHOOK_QUEUE.sendBatch(ids.slice(i, i + BATCH).map((id) => ({ body: { id } })));
    }
  } catch (err) {
    console.error("webhook queue: could not enqueue; the sweep will", ids, err);
  }
}

/** Puts the deliveries of these events (written in a batch that committed) on the queue. */
export async function enqueueWebhooks(env: WebhookQueueEnv, eventIds: string[]): Promise<void> {
  if (!eventIds.length) return;
  try {
    await enqueueWebhookDeliveries(env, await deliveriesOfEvents(openDb(env.DB), eventIds));
  } catch (err) {
    console.error("webhook queue: could not read the events' deliveries; the sweep will", eventIds, err);
  }
}
