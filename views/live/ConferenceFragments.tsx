import type { TranscriptLine } from "../../worker/stores/chats";
import type { Guest } from "../../worker/live/conference-rules";
import type { ChatInit } from "../../worker/live/contracts";
import { Avatar, Composer, Line, Notice } from "./ChatParts";
import { toHtml } from "./render";

// Conference chat: the host's "Add agent" bar and colleague list, the invitation on the invited
// agent's console, and the chat as a guest sees it (text only: billing, invoices, recording and
// the call stay the host's).

export type ConferenceViewer = "customer" | "agent" | "guest";

export type ConferenceView = {
  chatId: string;
  /** The room's Conference Chat button. */
  enabled: boolean;
  connected: boolean;
  hostName: string;
  guests: Guest[];
};

export type Colleague = { agentId: string; name: string; presence: string; invitable: boolean };

export type ConferenceInvite = { chatId: string; roomKey: string; roomName: string; hostName: string; customerName: string };

export function ConferenceBar({ view, viewer }: { view: ConferenceView; viewer: ConferenceViewer }) {
  const id = view.chatId;
  const joined = view.guests.filter((g) => g.state === "joined");
  const invited = view.guests.filter((g) => g.state === "invited");
  const host = viewer === "agent" && view.enabled && view.connected;
  if (!host && !joined.length) return <div id={`conference-${id}`}></div>;
  return (
    <div id={`conference-${id}`} class="conference-bar">
      <div class="conference-people">
        {joined.length ? (
          <>
            <span class="muted small">In this chat:</span>
            <span class="chip">{view.hostName}</span>
            {joined.map((g) => (
              <span class="chip chip-guest">{g.name}</span>
            ))}
          </>
        ) : null}
        {host
          ? invited.map((g) => (
              <span class="chip chip-invited" title="Waiting for them to join">
                {g.name} · invited…
              </span>
            ))
          : null}
        {host ? (
          <button type="button" class="btn btn-small btn-ghost add-agent-button" hx-get={`/agent/chats/${id}/colleagues`} hx-target={`#colleagues-${id}`}>
            Add agent
          </button>
        ) : null}
      </div>
      {host ? <div id={`colleagues-${id}`} class="colleagues"></div> : null}
    </div>
  );
}

/** The host's list of colleagues to invite, with where each is now. */
export function ColleagueList({ chatId, colleagues }: { chatId: string; colleagues: Colleague[] }) {
  return (
    <div id={`colleagues-${chatId}`} class="colleagues card-inset">
      <div class="colleagues-head">
        <strong>Add an agent to this chat</strong>
        <button type="button" class="btn btn-small btn-ghost" data-controller="dismiss" data-dismiss-closest-value=".colleagues" data-action="dismiss#empty">
          Close
        </button>
      </div>
      {colleagues.length ? (
        <ul class="colleague-list">
          {colleagues.map((c) => (
            <li>
              <Avatar name={c.name} photoUrl={null} size={28} />
              <span class="colleague-name">{c.name}</span>
              <span class="muted small">{c.presence}</span>
              <form ws-send class="inline">
                <input type="hidden" name="type" value="invite" />
                <input type="hidden" name="agentId" value={c.agentId} />
                <button type="submit" class="btn btn-small btn-primary" disabled={!c.invitable}>
                  Invite
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted small">There is no other agent in your company yet.</p>
      )}
    </div>
  );
}

function InviteCard({ invite }: { invite: ConferenceInvite }) {
  return (
    <article id={`invite-${invite.chatId}`} class="ring-card invite-card" data-ring-target="card" data-caller={`${invite.hostName} invites you to a chat`}>
      <header>
        <span class="ring-pulse" aria-hidden="true"></span>
        <strong>Join a chat</strong>
        <span class="chip">{invite.roomName}</span>
      </header>
      <p>
        {invite.hostName} invites you to their chat with {invite.customerName}.
      </p>
      <div class="invite-actions">
        <form ws-send class="inline">
          <input type="hidden" name="type" value="join" />
          <input type="hidden" name="chatId" value={invite.chatId} />
          <button type="submit" class="btn btn-primary join-button">
            Join
          </button>
        </form>
        <form ws-send class="inline">
          <input type="hidden" name="type" value="decline" />
          <input type="hidden" name="chatId" value={invite.chatId} />
          <button type="submit" class="btn btn-ghost">
            Decline
          </button>
        </form>
      </div>
    </article>
  );
}

export type GuestView = {
  init: ChatInit;
  status: "waiting" | "connected" | "ended";
  conference: ConferenceView;
  /** This guest: whose lines are their own, and whether they are still in the chat. */
  guest: Guest;
  names: Record<string, string>;
};

/** The chat as a guest agent sees it, sent when the guest's socket (re)connects. */
export function guestSnapshot(view: GuestView, lines: TranscriptLine[], own: string): string {
  const id = view.init.chatId;
  const c = view.init.customer;
  const present = view.status === "connected" && view.guest.state === "joined";
  return toHtml(
    <>
      <div id={`chat-head-${id}`} class="chat-head">
        <Avatar name={c.name ?? "Customer"} photoUrl={null} size={40} />
        <div>
          <h2>{c.name ?? "Customer"}</h2>
          <p class="muted small">
            <span class="chip">{view.init.roomName}</span> Conference · {view.conference.hostName}'s chat
          </p>
        </div>
      </div>
      <div id={`call-${id}`}></div>
      <ConferenceBar view={view.conference} viewer="guest" />
      <div id={`transcript-${id}`} class="transcript" data-viewer="guest" data-controller="scroll">
        {lines.map((m) => (
          <Line message={m} name={view.names[m.sender] ?? view.init.agentRole} own={m.sender === own} />
        ))}
        {view.status === "ended" ? <Notice text="The chat ended." tone="info" /> : view.guest.state === "left" ? <Notice text="You left this chat." tone="info" /> : null}
      </div>
      <div id={`typing-${id}`} class="typing"></div>
      {present ? <Composer chatId={id} /> : <div id={`composer-${id}`}></div>}
      <div id={`controls-${id}`} class="controls">
        {present ? (
          <form ws-send class="inline" data-controller="confirm" data-confirm-message-value="Leave this chat? It goes on without you." data-action="submit->confirm#ask">
            <input type="hidden" name="type" value="hangup" />
            <button type="submit" class="btn btn-danger hangup-button">
              Leave chat
            </button>
          </form>
        ) : null}
      </div>
    </>,
  );
}

export const conferenceBar = (view: ConferenceView, viewer: ConferenceViewer) => toHtml(<ConferenceBar view={view} viewer={viewer} />);

export const inviteOffer = (invite: ConferenceInvite) =>
  toHtml(
    <div hx-swap-oob="beforeend:#rings">
      <InviteCard invite={invite} />
    </div>,
  );

export const inviteGone = (chatId: string) => toHtml(<div id={`invite-${chatId}`} hx-swap-oob="delete"></div>);
