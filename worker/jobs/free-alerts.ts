import { ALERT_LIFETIME_MS, alertFate, type AlertOutcome } from "../alerts/free-alert";
import { enqueueMail, type MailQueueEnv } from "../adapters/mail-queue";
import type { OutgoingMail } from "../mail/message";
import { openDb } from "../stores/db";
import { agentFreeMailFor, openAlerts, settleAlerts } from "../stores/free-alerts";

// An agent of a room became free (the room's object calls this): each open alert of the room is
// settled, the customers who left are emailed, and those still waiting on the page keep theirs.

/**
 * Settles the room's open alerts now that an agent is free, `waitingChatIds` being the chats
 * still in the room's queue. Returns when the alerts left open expire, or null when none is.
 */
export async function alertWhenFree(env: { DB: D1Database } & MailQueueEnv, roomKey: string, waitingChatIds: ReadonlySet<string>, now = Date.now()): Promise<number | null> {
  const db = openDb(env.DB);
  const settled: { id: string; outcome: AlertOutcome }[] = [];
  const mails: OutgoingMail[] = [];
  let openUntil: number | null = null;
  for (const alert of await openAlerts(db, roomKey)) {
    const fate = alertFate(alert, waitingChatIds, now);
    if (fate === "wait") {
      openUntil = Math.max(openUntil ?? 0, alert.createdAt + ALERT_LIFETIME_MS);
      continue;
    }
    const mail = fate === "notified" ? await agentFreeMailFor(db, alert) : null;
    if (mail) mails.push(mail);
    settled.push({ id: alert.id, outcome: fate });
  }
  await settleAlerts(db, settled, mails, now);
  await enqueueMail(env, mails.map((m) => m.id));
  return openUntil;
}
