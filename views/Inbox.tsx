import { utcDateTime } from "../worker/format/utc";
import type { InboxMessage, InboxStatus } from "../worker/stores/customer-requests";
import type { Errors } from "./Form";
import { CsrfField, Layout } from "./Layout";

// The agents' Inbox: messages customers left by email ("Email us", "Leave an email message") for
// the rooms an agent serves (an administrator sees all of the company's), answered by email from
// the message's page and marked done.

export const REPLY_MAX = 5000;

const STATUS_LABELS: Record<InboxStatus, string> = { open: "Open", done: "Done" };

export function InboxPage({ messages, status, open }: { messages: InboxMessage[]; status: InboxStatus; open: number }) {
  return (
    <Layout title="Inbox">
      <div class="page-head">
        <div>
          <h1>Inbox</h1>
          <p class="muted">Messages customers left by email for your rooms, newest first. Your reply goes to the customer by email.</p>
        </div>
      </div>
      <nav class="nav inbox-filter" aria-label="Show">
        <a href="/agent/inbox?status=open" class={status === "open" ? "nav-link active" : "nav-link"} aria-current={status === "open" ? "page" : undefined}>
          Open ({open})
        </a>
        <a href="/agent/inbox?status=done" class={status === "done" ? "nav-link active" : "nav-link"} aria-current={status === "done" ? "page" : undefined}>
          Done
        </a>
      </nav>
      <section class="card">
        {messages.length ? (
          <div class="table-scroll">
            <table class="table" id="inbox">
              <thead>
                <tr>
                  <th>Received (UTC)</th>
                  <th>From</th>
                  <th>Room</th>
                  <th>Message</th>
                  <th>Answered</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => (
                  <tr data-message={m.id}>
                    <td class="nowrap">{utcDateTime(m.createdAt)}</td>
                    <td>
                      <a href={`/agent/inbox/${m.id}`}>{m.name || m.email}</a>
                    </td>
                    <td>{m.privateAgentId ? "Private room" : m.roomName}</td>
                    <td>{preview(m.body)}</td>
                    <td class="nowrap">{m.answeredAt ? utcDateTime(m.answeredAt) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="muted">{status === "open" ? "No open messages." : "No messages marked done yet."}</p>
        )}
      </section>
    </Layout>
  );
}

/** A private room's message shows as such: its roomId is only where its settings come from. */
const roomOf = (m: InboxMessage) => (m.privateAgentId ? "Private room" : `${m.roomName} room`);

const preview = (body: string | null) => (body && body.length > 120 ? `${body.slice(0, 119)}…` : body ?? "");

export function InboxMessagePage({ message, reply, errors, sent }: { message: InboxMessage; reply?: string; errors?: Errors; sent?: boolean }) {
  const error = errors?.reply;
  return (
    <Layout title={`Message from ${message.name || message.email}`}>
      <p>
        <a href="/agent/inbox">← Inbox</a>
      </p>
      <div class="page-head">
        <div>
          <h1>Message from {message.name || message.email}</h1>
          <p class="muted">
            {message.email} · {roomOf(message)} · {utcDateTime(message.createdAt)} UTC · <span class="badge">{STATUS_LABELS[message.status]}</span>
          </p>
        </div>
      </div>
      {sent ? (
        <p class="alert alert-ok" role="status">
          Your reply is on its way to {message.email}.
        </p>
      ) : null}
      <section class="card">
        <p class="inbox-body">{message.body}</p>
      </section>
      {message.answeredAt ? (
        <section class="card">
          <h2>
            Answered by {message.answeredBy ?? "a former agent"} · {utcDateTime(message.answeredAt)} UTC
          </h2>
          <p class="inbox-body">{message.replyText}</p>
        </section>
      ) : null}
      <section class="card">
        <form method="post" action={`/agent/inbox/${message.id}/reply`}>
          <CsrfField />
          <div class={error ? "field has-error" : "field"}>
            <label for="f-reply">
              Reply by email<span class="req"> *</span>
            </label>
            <textarea
              id="f-reply"
              name="reply"
              rows={8}
              required
              maxlength={REPLY_MAX}
              aria-invalid={error ? "true" : undefined}
              aria-describedby={error ? "f-reply-error" : undefined}
            >
              {reply ?? ""}
            </textarea>
            {error ? (
              <p class="error" id="f-reply-error" role="alert">
                {error}
              </p>
            ) : (
              <p class="hint">Sent to {message.email}, from the room's public profile.</p>
            )}
          </div>
          <button type="submit" class="btn btn-primary">
            Send reply
          </button>
        </form>
      </section>
      <form method="post" action={`/agent/inbox/${message.id}/status`} class="inbox-status">
        <CsrfField />
        <input type="hidden" name="status" value={message.status === "open" ? "done" : "open"} />
        <button type="submit" class="btn">
          {message.status === "open" ? "Mark done" : "Reopen"}
        </button>
      </form>
    </Layout>
  );
}
