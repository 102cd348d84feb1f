import { recordingConsents } from "../db/schema";
import { auditInsert } from "./audit";
import { openDb } from "./db";

// The customer's answer when a chat's agent asked to record it: what lets the agent's recordings
// be uploaded (stores/chat-records.ts reads it).

export type RecordingConsent = {
  chatId: string;
  companyId: string;
  /** The agent who asked. */
  agentId: string;
  answer: "allowed" | "refused";
  askedAt: number;
  answeredAt: number;
};

/** The answer and its audit line, in one batch; a chat's first answer is the one kept. */
export async function saveRecordingConsent(d1: D1Database, c: RecordingConsent): Promise<void> {
  const db = openDb(d1);
  await db.batch([
    db
      .insert(recordingConsents)
      .values({ chatId: c.chatId, agentId: c.agentId, answer: c.answer, askedAt: c.askedAt, answeredAt: c.answeredAt })
      .onConflictDoNothing(),
    // The customer is anonymous: the event names the agent who asked.
    auditInsert(db, { companyId: c.companyId, userId: null, action: `recording.${c.answer}`, subject: c.chatId, detail: { agentId: c.agentId } }),
  ]);
}
