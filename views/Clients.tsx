import { utcDateTime } from "../worker/format/utc";
import { NOTE_MAX, type InvitableRoom } from "../worker/invitations/invitation";
import type { MailStatus } from "../worker/mail/message";
import type { Room } from "../worker/rooms/room";
import type { SentInvitation } from "../worker/stores/invitations";
import { Field, FormAlert, type Errors } from "./Form";
import { CsrfField, Layout } from "./Layout";

// The agent's Clients page (the cheat sheets' "Friends / Business"): invite a client to a
// consultation by email, and see the invitations sent, whether their mail left and whether the
// client came to chat.

export type InvitationValues = Partial<Record<"name" | "email" | "room" | "note", string>>;

type Props = {
  rooms: InvitableRoom[];
  invitations: SentInvitation[];
  values?: InvitationValues;
  errors?: Errors;
  /** The invitation just sent, for the confirmation. */
  sent?: SentInvitation;
};

/** What a client of this room pays, said in the room choice. */
const PRICE: Record<Room["chargingMode"], string> = {
  none: "free",
  automatic: "card authorised first, charged at the end",
  manual: "you send an invoice during the chat",
};

const MAIL: Record<MailStatus, { label: string; badge: string }> = {
  queued: { label: "On its way", badge: "badge badge-muted" },
  sending: { label: "On its way", badge: "badge badge-muted" },
  sent: { label: "Sent", badge: "badge badge-ok" },
  failed: { label: "Not delivered", badge: "badge badge-danger" },
  held: { label: "Held: email allowance used up", badge: "badge badge-warn" },
};

export function ClientsPage({ rooms, invitations, values = {}, errors = {}, sent }: Props) {
  return (
    <Layout title="Clients">
      <div class="page-head">
        <div>
          <h1>Clients</h1>
          <p class="muted">Invite a client to a consultation: they get an email with a link to the room you choose, its contact form filled in with their name and email.</p>
        </div>
      </div>
      {sent ? (
        <p class="alert alert-ok clients-sent" role="status">
          Your invitation is on its way to {sent.email}.
        </p>
      ) : null}
      <section class="card clients-invite">
        <h2>Invite a client</h2>
        {rooms.length ? <InvitationForm rooms={rooms} values={values} errors={errors} /> : <p class="muted">You serve no room yet: your administrator assigns them.</p>}
      </section>
      <section class="card">
        <h2>Invitations you sent</h2>
        {invitations.length ? <InvitationTable invitations={invitations} /> : <p class="muted">None yet. Invitations you send appear here, with whether the client came to chat.</p>}
      </section>
    </Layout>
  );
}

function InvitationForm({ rooms, values, errors }: { rooms: InvitableRoom[]; values: InvitationValues; errors: Errors }) {
  return (
    <form method="post" action="/agent/clients" class="stack" id="invitation-form">
      <CsrfField />
      <FormAlert message={errors.form} />
      <div class="grid-2">
        <Field name="name" label="Client's name" value={values.name} errors={errors} required maxlength={80} autocomplete="off" />
        <Field name="email" label="Client's email" type="email" value={values.email} errors={errors} required maxlength={254} autocomplete="off" />
      </div>
      <div class={errors.room ? "field has-error" : "field"}>
        <label for="f-room">
          Room<span class="req"> *</span>
        </label>
        <select id="f-room" name="room" required aria-invalid={errors.room ? "true" : undefined} aria-describedby={errors.room ? "f-room-error" : undefined}>
          {rooms.map((r) => (
            <option value={r.value} selected={values.room === r.value}>
              {r.label} — {PRICE[r.room.chargingMode]}
            </option>
          ))}
        </select>
        {errors.room ? (
          <p class="error" id="f-room-error" role="alert">
            {errors.room}
          </p>
        ) : (
          <p class="hint">The link opens this room's contact form; your private room puts the client through to you alone.</p>
        )}
      </div>
      <div class={errors.note ? "field has-error" : "field"}>
        <label for="f-note">
          Note<span class="optional"> (optional)</span>
        </label>
        <textarea id="f-note" name="note" rows={3} maxlength={NOTE_MAX} aria-invalid={errors.note ? "true" : undefined} aria-describedby={errors.note ? "f-note-error" : undefined}>
          {values.note ?? ""}
        </textarea>
        {errors.note ? (
          <p class="error" id="f-note-error" role="alert">
            {errors.note}
          </p>
        ) : (
          <p class="hint">Goes in the email, under your invitation.</p>
        )}
      </div>
      <button type="submit" class="btn btn-primary">
        Send invitation
      </button>
    </form>
  );
}

function InvitationTable({ invitations }: { invitations: SentInvitation[] }) {
  return (
    <div class="table-scroll">
      <table class="table clients-table" id="invitations">
        <thead>
          <tr>
            <th>Client</th>
            <th>Sent (UTC)</th>
            <th>Room</th>
            <th>Email</th>
            <th>Chat</th>
          </tr>
        </thead>
        <tbody>
          {invitations.map((i) => (
            <tr data-invitation={i.id}>
              <td class="clients-client">
                <strong>{i.name}</strong>
                <span class="muted small">{i.email}</span>
                {i.note ? <span class="muted small clients-note">{i.note}</span> : null}
              </td>
              <td class="nowrap" data-label="Sent (UTC)">
                {utcDateTime(i.createdAt)}
              </td>
              <td class="clients-room" data-label="Room" title={i.privateRoom ? undefined : i.roomName}>
                {i.privateRoom ? "Your private room" : i.roomName}
              </td>
              <td data-label="Email">{i.mailStatus ? <span class={MAIL[i.mailStatus].badge}>{MAIL[i.mailStatus].label}</span> : "—"}</td>
              <td data-label="Chat" data-led={i.chats ? "yes" : "no"}>
                <ChatOutcome invitation={i} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Whether the client came by the link: answered, started but not answered, or not yet. */
function ChatOutcome({ invitation: i }: { invitation: SentInvitation }) {
  if (!i.chats || i.firstChatAt === null) return <span class="muted">Not yet</span>;
  const more = i.chats > 1 ? ` · ${i.chats} chats` : "";
  return i.answeredAt !== null ? (
    <span>
      <span class="badge badge-ok">Chatted</span> <span class="small nowrap">{utcDateTime(i.answeredAt)}{more}</span>
    </span>
  ) : (
    <span>
      <span class="badge badge-warn">Came, not answered</span> <span class="small nowrap">{utcDateTime(i.firstChatAt)}{more}</span>
    </span>
  );
}
