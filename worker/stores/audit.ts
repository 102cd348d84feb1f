import { newId } from "../accounts/tokens";
import { auditEvents } from "../db/schema";
import type { Db } from "./db";

// The audit trail: who did what to which subject, and when.

export type AuditEvent = {
  companyId: string | null;
  userId: string | null;
  action: string;
  subject?: string;
  detail?: Record<string, unknown>;
};

/** One audit line, as a statement to run alone or in the caller's batch. */
export const auditInsert = (db: Db, e: AuditEvent) =>
  db.insert(auditEvents).values({
    id: newId(),
    companyId: e.companyId,
    userId: e.userId,
    action: e.action,
    subject: e.subject ?? null,
    detail: e.detail ? JSON.stringify(e.detail) : null,
  });
