import type { RingInfo } from "../../worker/live/contracts";
import type { AgentStatus } from "../../worker/routing/presence";
import { toHtml } from "./render";

// Fragments an agent's console is sent (by its AgentDO and the company's ConsolesDO); htmx's ws
// extension swaps each by id.

export const STATUS_LABELS: Record<AgentStatus, string> = {
  WAITING_NEW_CALL: "ONLINE",
  TAKING_BREAK: "OFFLINE",
  SERVING_CUSTOMER: "SERVING CUSTOMER",
  REMOTE_CUSTOMER_HANGUP: "CUSTOMER HUNG UP",
  HANG_UP: "YOU HUNG UP",
};

/**
 * The agent's state and the choices that change it: ONLINE offers Go offline, OFFLINE offers Go
 * online, and after a chat both are offered (going online the usual next step). While serving,
 * both wait for the chat's end.
 */
function StatusBar({ status }: { status: AgentStatus }) {
  const choice = (target: AgentStatus, label: string, primary: boolean) =>
    status === target ? null : (
      <form ws-send class="inline">
        <input type="hidden" name="type" value="status" />
        <input type="hidden" name="status" value={target} />
        <button
          type="submit"
          class={primary ? "btn btn-small btn-primary" : "btn btn-small btn-ghost"}
          disabled={status === "SERVING_CUSTOMER"}
          title={status === "SERVING_CUSTOMER" ? "Finish your current chat first." : undefined}
        >
          {label}
        </button>
      </form>
    );
  return (
    <div id="agent-status" class={`agent-status status-${status.toLowerCase()}`} data-status={status}>
      <span class="status-dot" aria-hidden="true"></span>
      <strong class="status-label">{STATUS_LABELS[status]}</strong>
      <span class="status-choices">
        {choice("WAITING_NEW_CALL", "Go online", status !== "SERVING_CUSTOMER")}
        {choice("TAKING_BREAK", "Go offline", false)}
      </span>
    </div>
  );
}

function RingCard({ ring }: { ring: RingInfo }) {
  const c = ring.customer;
  return (
    <article id={`ring-${ring.chatId}`} class="ring-card" data-ring-target="card" data-caller={ring.customer.name ?? "A customer"}>
      <header>
        <span class="ring-pulse" aria-hidden="true"></span>
        <strong>Incoming {ring.mode === "chat" ? "chat" : `${ring.mode} chat`}</strong>
        <span class="chip">{ring.roomName}</span>
      </header>
      <dl class="ring-details">
        <dt>Name</dt>
        <dd>{c.name ?? "—"}</dd>
        {c.email ? (
          <>
            <dt>Email</dt>
            <dd>{c.email}</dd>
          </>
        ) : null}
        {c.phone ? (
          <>
            <dt>Phone</dt>
            <dd>{c.phone}</dd>
          </>
        ) : null}
        {c.message ? (
          <>
            <dt>Message</dt>
            <dd>{c.message}</dd>
          </>
        ) : null}
      </dl>
      <form ws-send>
        <input type="hidden" name="type" value="answer" />
        <input type="hidden" name="chatId" value={ring.chatId} />
        <input type="hidden" name="roomKey" value={ring.roomKey} />
        <button type="submit" class="btn btn-primary btn-block answer-button">
          Answer
        </button>
      </form>
    </article>
  );
}

function ChatSlot({ chatId }: { chatId: string }) {
  return <section id={`chat-slot-${chatId}`} class="chat-slot" data-chat-tabs-target="slot" hx-get={`/agent/chats/${chatId}`} hx-trigger="load" hx-swap="innerHTML"></section>;
}

/** Rendered once per status: every change of an agent's state sends one. */
const statusBars = new Map<AgentStatus, string>();
export const statusBar = (status: AgentStatus) => {
  let html = statusBars.get(status);
  if (html === undefined) statusBars.set(status, (html = toHtml(<StatusBar status={status} />)));
  return html;
};

/** The same card for every agent rung (the ringtone belongs to the console's ring list), so a room renders it once. */
export const ringOffer = (ring: RingInfo) =>
  toHtml(
    <div hx-swap-oob="beforeend:#rings">
      <RingCard ring={ring} />
    </div>,
  );

export const ringGone = (chatId: string) => toHtml(<div id={`ring-${chatId}`} hx-swap-oob="delete"></div>);

export const chatOpened = (chatId: string) =>
  toHtml(
    <div hx-swap-oob="beforeend:#chats">
      <ChatSlot chatId={chatId} />
    </div>,
  );

export const socketError = (message: string) =>
  toHtml(
    <div id="socket-error" class="toast toast-error" role="alert" data-controller="toast">
      {message}
    </div>,
  );

export function consoleSnapshot(status: AgentStatus, rings: RingInfo[], chatIds: string[], ringtone: string, notify: boolean): string {
  return toHtml(
    <>
      <StatusBar status={status} />
      <div id="rings" class="rings" data-controller="ring" data-ring-tone-value={ringtone} data-ring-notify-value={String(notify)}>
        {rings.map((r) => (
          <RingCard ring={r} />
        ))}
      </div>
      <div id="chats" class="chats">
        {chatIds.map((id) => (
          <ChatSlot chatId={id} />
        ))}
      </div>
    </>,
  );
}
