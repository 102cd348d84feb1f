// The events Parley tells integrators about, in the shape every webhook body has:
// {"id":"evt_…","type":"…","created":<unix seconds>,"data":{…}}. Pure: the stores write them to
// the webhook outbox (worker/stores/webhooks.ts) in the batch of what happened.

export const WEBHOOK_EVENTS = [
  "chat.queued",
  "chat.started",
  "chat.ended",
  "message.left",
  "payment.succeeded",
  "payment.failed",
  "invoice.paid",
  "rating.created",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** What the admin reads beside each event's checkbox. */
export const EVENT_LABELS: Record<WebhookEventType, string> = {
  "chat.queued": "A customer asks for a chat and waits for an agent",
  "chat.started": "An agent answers a chat",
  "chat.ended": "A chat ends (who ended it, duration, amount)",
  "message.left": "A customer leaves a message by email",
  "payment.succeeded": "A customer's payment succeeds",
  "payment.failed": "A customer's payment fails",
  "invoice.paid": "An invoice sent in a chat is paid",
  "rating.created": "A customer rates a chat",
};

export type WebhookEvent = { id: string; type: WebhookEventType; created: number; data: Record<string, unknown> };

/** Receivers drop duplicates by this id: the same event may arrive more than once. */
export const newEventId = (): string => `evt_${crypto.randomUUID().replace(/-/g, "")}`;

export const webhookEvent = (type: WebhookEventType, data: Record<string, unknown>, now: number, id = newEventId()): WebhookEvent => ({
  id,
  type,
  created: Math.floor(now / 1000),
  data,
});
