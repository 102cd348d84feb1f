import type { MailKind, MailStatus } from "../worker/mail/message";
import { utcDateTime } from "../worker/format/utc";
import type { MailLogRow } from "../worker/stores/outbox";
import { Layout } from "./Layout";

// The admin's mail log: every mail the company's events wrote to the outbox, newest first, with
// where it stands and, for one that failed or is held, why.

const KINDS: Record<MailKind, string> = {
  receipt: "Receipt",
  revenue: "New revenue",
  notice: "Notice",
  alert: "Alert",
  transcript: "Transcript",
};

const STATUS: Record<MailStatus, { label: string; badge: string }> = {
  queued: { label: "Queued", badge: "badge badge-muted" },
  sending: { label: "Sending", badge: "badge badge-warn" },
  sent: { label: "Sent", badge: "badge badge-ok" },
  failed: { label: "Failed", badge: "badge badge-danger" },
  held: { label: "Held", badge: "badge badge-warn" },
};

export function MailLogPage({ mails, held }: { mails: MailLogRow[]; held: number }) {
  return (
    <Layout title="Mail log">
      <div class="page-head">
        <div>
          <h1>Mail log</h1>
          <p class="muted">
            Receipts, notices and alerts your company's chats send, newest first. Each email counts against the company's monthly entitlement; receipts are always sent.
          </p>
        </div>
      </div>
      {held ? (
        <p class="alert alert-warn" role="status">
          <strong>{held === 1 ? "1 email is held" : `${held} emails are held`}</strong>: the company's entitlement for this month is used up. Held mail goes out when the next month begins or a higher plan raises the quota; receipts for money taken are still sent.
        </p>
      ) : null}
      <section class="card">
        {mails.length ? (
          <div class="table-scroll">
            <table class="table mail-log" id="mail-log">
              <thead>
                <tr>
                  <th>Time (UTC)</th>
                  <th>Kind</th>
                  <th>To</th>
                  <th>Subject</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {mails.map((m) => (
                  <tr data-mail={m.id} data-status={m.status}>
                    <td class="nowrap">{utcDateTime(m.createdAt)}</td>
                    <td class="nowrap">{KINDS[m.kind]}</td>
                    <td>{m.toAddress}</td>
                    <td>{m.subject}</td>
                    <td>
                      <span class={STATUS[m.status].badge}>{STATUS[m.status].label}</span>
                      {m.note ? <p class="small muted mail-note">{m.note}</p> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="muted">No mail yet: receipts, notices and alerts appear here as they are sent.</p>
        )}
      </section>
    </Layout>
  );
}
