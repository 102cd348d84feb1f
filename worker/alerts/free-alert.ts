import type { MailContent } from "../mail/message";

// "Email me when someone is free" (spec: Email Alert): a customer waiting for a room asks to be
// told once when an agent of that room is free again. What becomes of such an alert, and what
// the two mails it causes say; the store and the room's object do the rest.

/** An alert nobody could answer within a day is dropped: by then the customer has moved on. */
export const ALERT_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * How an alert ended: the customer was emailed (`notified`), an agent answered their chat anyway
 * (`served`), no one was free within a day (`expired`), or the customer stopped their alerts
 * from the mail's link (`unsubscribed`).
 */
export const ALERT_OUTCOMES = ["notified", "served", "expired", "unsubscribed"] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];

/** An open alert, as the room sees it when one of its agents becomes free. */
export type OpenAlert = { id: string; chatId: string | null; createdAt: number; chatAnswered: boolean };

/**
 * What an agent coming free does to an open alert: the customer still waiting on the page is
 * rung like anyone in the queue and needs no mail yet (`wait`); one an agent answered needs none
 * at all.
 */
export function alertFate(alert: OpenAlert, waitingChatIds: ReadonlySet<string>, now: number): AlertOutcome | "wait" {
  if (now - alert.createdAt >= ALERT_LIFETIME_MS) return "expired";
  if (alert.chatAnswered) return "served";
  if (alert.chatId && waitingChatIds.has(alert.chatId)) return "wait";
  return "notified";
}

/** The customer's mail: someone is free now, with the way back to the room. */
export function agentFreeMail(to: { name: string | null }, place: { companyName: string; roomName: string; roomUrl: string }): MailContent {
  return {
    subject: `Someone is free to talk at ${place.companyName}`,
    greeting: to.name ? `Hello ${to.name},` : undefined,
    paragraphs: [
      `You asked us to email you when someone in ${place.roomName} was free. An agent is available now.`,
      "Agents come and go: if everyone is busy again by the time you arrive, you can wait in line or leave a message.",
    ],
    action: { label: "Start a chat", url: place.roomUrl },
  };
}

/** An agent's mail: a customer who found nobody free is waiting to hear from the room. */
export function customerWaitingMail(agent: { name: string }, customer: { name: string | null; email: string }, roomName: string, consoleUrl: string): MailContent {
  const who = customer.name || customer.email;
  return {
    subject: `${who} is waiting for someone to be free`,
    greeting: `Hello ${agent.name},`,
    paragraphs: [
      `${who} found nobody free in ${roomName} and asked to be emailed when an agent is. Going ONLINE tells them.`,
    ],
    facts: [
      ["Name", customer.name ?? "—"],
      ["Email", customer.email],
      ["Room", roomName],
    ],
    action: { label: "Open the console", url: consoleUrl },
  };
}
