import type { Db } from "../stores/db";
import { auditEvents } from "../db/schema";
import { newId } from "./tokens";

export type AuditEvent = {
  companyId: string | null;
  userId: string | null;
  action: string;
  subject?: string;
  detail?: Record<string, unknown>;
};

export const auditInsert = (db: Db, e: AuditEvent) =>
  db.insert(auditEvents).values({
    id: newId(),
    companyId: e.companyId,
    userId: e.userId,
    action: e.action,
    subject: e.subject ?? null,
    detail: e.detail ? JSON.stringify(e.detail) : null,
  });
