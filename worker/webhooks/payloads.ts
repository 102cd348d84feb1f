import { webhookEvent, type WebhookEvent } from "./events";

// The `data` of each event, from what the stores read. Event ids of chat events derive from the
// chat, so that a step written twice (a retried alarm) is one event: its deliveries are written once.

/** A chat as the events tell it: its room, its agent, and the customer's contact form fields. */
export type ChatFacts = {
  chatId: string;
  companyId: string;
  room: string;
  privateRoom: boolean;
  mode: string;
  agent: { id: string; name: string; email: string } | null;
  customer: { name: string | null; email: string | null; phone: string | null; message: string | null };
  createdAt: number;
  answeredAt: number | null;
};

/** What a chat's meter came to when it ended; none for a free chat. */
export type EndedMeter = { chargeableSeconds: number; amountMinor: number; currency: string };

const seconds = (ms: number) => Math.floor(ms / 1000);

const chatData = (chat: ChatFacts) => ({
  chat: chat.chatId,
  room: chat.room,
  privateRoom: chat.privateRoom,
  mode: chat.mode,
  agent: chat.agent,
  customer: chat.customer,
  created: seconds(chat.createdAt),
});

/** A customer asked for a chat and waits for an agent (in a paid room: once the form was sent, before the card). */
export const chatQueued = (chat: Omit<ChatFacts, "agent" | "answeredAt">, now: number): WebhookEvent =>
  webhookEvent("chat.queued", chatData({ ...chat, agent: null, answeredAt: null }), now, eventIdOf("chat.queued", chat.chatId));

export const ratingCreated = (chat: ChatFacts, rating: { rating: number; comment: string | null }, now: number): WebhookEvent =>
  webhookEvent("rating.created", { ...chatData(chat), rating: rating.rating, comment: rating.comment, rated: seconds(now) }, now, eventIdOf("rating.created", chat.chatId));

export const chatStarted = (chat: ChatFacts, now: number): WebhookEvent =>
  webhookEvent("chat.started", { ...chatData(chat), started: seconds(now) }, now, eventIdOf("chat.started", chat.chatId));

/** `durationSeconds` from the answer to the end (0 for a chat nobody answered). */
export const chatEnded = (chat: ChatFacts, ending: { status: "ended" | "missed"; endedBy: string; meter: EndedMeter | null }, now: number): WebhookEvent =>
  webhookEvent(
    "chat.ended",
    {
      ...chatData(chat),
      status: ending.status,
      endedBy: ending.endedBy,
      ended: seconds(now),
      durationSeconds: chat.answeredAt ? Math.max(0, seconds(now - chat.answeredAt)) : 0,
      chargeableSeconds: ending.meter?.chargeableSeconds ?? 0,
      amount: ending.meter ? { minor: ending.meter.amountMinor, currency: ending.meter.currency } : null,
    },
    now,
    eventIdOf("chat.ended", chat.chatId),
  );

export const messageLeft = (
  message: { id: string; room: string; privateRoom: boolean; name: string | null; email: string; body: string | null },
  now: number,
): WebhookEvent =>
  webhookEvent(
    "message.left",
    { message: message.id, room: message.room, privateRoom: message.privateRoom, customer: { name: message.name, email: message.email }, body: message.body },
    now,
    eventIdOf("message.left", message.id),
  );

/** A payment taken from a customer's card: an automatic charge of the meter, or an invoice paid in the chat. */
export type PaymentFacts = { charge: string; chat: string; kind: "service" | "goods"; amountMinor: number; currency: string; paymentIntent: string | null; invoice: string | null };

const paymentData = (p: PaymentFacts) => ({
  charge: p.charge,
  chat: p.chat,
  kind: p.kind,
  amount: { minor: p.amountMinor, currency: p.currency },
  paymentIntent: p.paymentIntent,
  invoice: p.invoice,
});

export const paymentSucceeded = (p: PaymentFacts, now: number): WebhookEvent =>
  webhookEvent("payment.succeeded", { ...paymentData(p), paid: seconds(now) }, now, eventIdOf("payment.succeeded", p.charge));

/** Each failure of a charge is its own event (a charge fails, is retried on a new card, may fail again). */
export const paymentFailed = (p: PaymentFacts, failureCode: string, now: number): WebhookEvent =>
  webhookEvent("payment.failed", { ...paymentData(p), failureCode, failed: seconds(now) }, now, eventIdOf("payment.failed", `${p.charge}:${failureCode}:${now}`));

export const invoicePaid = (p: PaymentFacts & { invoice: string; description: string }, now: number): WebhookEvent =>
  webhookEvent("invoice.paid", { ...paymentData(p), description: p.description, paid: seconds(now) }, now, eventIdOf("invoice.paid", p.invoice));

/** `evt_chat_started_<id>`: one event per thing that happened, whoever writes it and how often. */
export const eventIdOf = (type: string, subjectId: string): string => `evt_${type.replace(".", "_")}_${subjectId.replace(/-/g, "").replace(/[^A-Za-z0-9]/g, "_")}`;
