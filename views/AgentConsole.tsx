import type { SessionUser } from "../worker/accounts/sessions";
import type { Room } from "../worker/rooms/room";
import { isRoomUsable } from "../worker/rooms/usable-rooms";
import { Layout } from "./Layout";
import { RecordingSlot } from "./live/RecordingFragments";
import { privateRoomLinks } from "../worker/rooms/share-links";
import { ContactLinkFields } from "./ShareLinks";
import { PushDevices } from "./PushDevices";
import type { SubscribedDevice } from "../worker/push/subscription";

type Props = {
  user: SessionUser;
  rooms: (Room & { rank: number })[];
  origin: string;
  device: "mobile" | null;
  /** The agent's devices for Web Push, and the key browsers subscribe with (null: push not set up). */
  push: { devices: SubscribedDevice[]; vapidKey: string | null };
};

/**
 * The agent console. Its socket (to the agent's Durable Object) fills the status bar, the rings
 * and the open chats; the console controller picks the device kind (phone-sized → mobile).
 */
export function AgentConsole({ user, rooms, origin, device, push }: Props) {
  return (
    <Layout title="Agent console" app>
      <div class="console" data-controller="console connection app" data-console-url-value="/agent/ws" data-console-device-value={device ?? ""}>
        <div class="console-head">
          <div>
            <h1>Hello, {user.name}</h1>
            <p class="muted small">
              Console on <strong data-console-target="deviceLabel">this device</strong>
            </p>
          </div>
          <a class="btn btn-ghost btn-small chat-view-button" href="/chat-view">
            Chat View
          </a>
          <div id="agent-status" class="agent-status">
            <span class="status-dot" aria-hidden="true"></span>
            <strong class="status-label">Connecting…</strong>
          </div>
        </div>
        <p class="connection-lost" data-connection-target="banner" hidden>
          Connection to Parley lost. Reconnecting…
        </p>
        <div id="socket-error"></div>
        <div class="console-grid">
          <section class="card console-rings">
            <h2>Incoming</h2>
            <div id="rings" class="rings"></div>
            <p class="empty rings-empty">No one is waiting. Stay ONLINE to receive chats.</p>
          </section>
          <section class="console-chats" data-controller="chat-tabs">
            <div class="chat-tabs" role="tablist" aria-label="Your open chats" data-chat-tabs-target="strip" hidden></div>
            <div id="chats" class="chats"></div>
          </section>
        </div>
        <details class="card console-rooms" id="this-device">
          <summary>Your devices</summary>
          <PushDevices devices={push.devices} vapidKey={push.vapidKey} />
        </details>
        <details class="card console-rooms" id="your-links">
          <summary>Your links</summary>
          <h3 class="settings-sub">Your rooms</h3>
          <ul class="room-list compact">
            {rooms.map((r) => (
              <li class={isRoomUsable(user.plan, r.rank) ? "room" : "room locked"}>
                <h3>{r.name}</h3>
                <a class="url small" href={`${origin}/c/${user.companySlug}/${r.name}`}>{`${origin}/c/${user.companySlug}/${r.name}`}</a>
              </li>
            ))}
          </ul>
          {rooms.length ? null : <p class="muted">Your administrator has not assigned you to a room yet.</p>}
          <h3 class="settings-sub">Your private room</h3>
          <p class="hint">Chats from these links come to you only. Give them to your own customers.</p>
          <ContactLinkFields links={privateRoomLinks(origin, user.companySlug, user.handle)} idPrefix="private" />
        </details>
      </div>
    </Layout>
  );
}

/** One chat in the console: its own socket to the chat's Durable Object. */
export function AgentChatPanel({ chatId }: { chatId: string }) {
  return (
    <article class="chat-panel card" hx-ext="ws" ws-connect={`/chats/${chatId}/ws`} data-controller="call" data-call-chat-value={chatId}>
      <div id={`chat-head-${chatId}`} class="chat-head">
        <p class="muted">Connecting to the chat…</p>
      </div>
      <div id={`call-${chatId}`}></div>
      <div id={`conference-${chatId}`}></div>
      <div id={`transcript-${chatId}`} class="transcript"></div>
      <div id={`meter-${chatId}`}></div>
      <div id={`invoices-${chatId}`}></div>
      <RecordingSlot chatId={chatId} />
      <div id={`typing-${chatId}`} class="typing"></div>
      <div id={`composer-${chatId}`}></div>
      <div id={`controls-${chatId}`} class="controls"></div>
      <button type="button" class="btn btn-ghost btn-small close-chat" data-controller="dismiss" data-dismiss-closest-value=".chat-slot" data-action="dismiss#remove">
        Close
      </button>
    </article>
  );
}
