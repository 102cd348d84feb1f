import type { ChatRecord, RecordingRow, TranscriptRow } from "../worker/stores/chat-records";
import type { AgentTally } from "../worker/stores/chat-ratings";
import { minutesSeconds } from "../worker/format/clock";
import { fileSize, partFileName } from "../worker/format/recording-part";
import { utcDateTime, utcTime } from "../worker/format/utc";
import { guestSender } from "../worker/live/conference-rules";
import { AgentRatings } from "./AgentRatings";
import { Stars } from "./ChatRating";
import { Layout } from "./Layout";

// Chat View (spec: the agent console's Chat View button): the agent's own chats, last in first
// shown, each with its transcript and its recordings to play and download. ChatRecordBody and
// Pager are shared with Chat Records.

export type RecordDetails = {
  transcripts: Map<string, TranscriptRow[]>;
  recordings: Map<string, RecordingRow[]>;
  consents: Map<string, string>;
};

export type ChatRecordsPage = { chats: ChatRecord[]; details: RecordDetails; page: number; hasMore: boolean };

const clock = (ms: number) => minutesSeconds(Math.round(ms / 1000));

export const chatDuration = (chat: ChatRecord) => (chat.answeredAt && chat.endedAt ? clock(chat.endedAt - chat.answeredAt) : chat.status === "connected" ? "in progress" : "—");

const STATUS: Record<string, string> = { waiting: "Waiting", connected: "In progress", ended: "Ended", missed: "Missed", refused: "Refused" };
export const statusLabel = (status: string) => STATUS[status] ?? status;

export const recordingUrl = (chatId: string, segment: number) => `/chats/${chatId}/recordings/${segment}`;

/**
 * A chat's transcript and recordings (the server's parts, then the ones only this browser holds).
 * `viewerId`: the agent reading, or null for an administrator reading as the company, who sees
 * the chat from its agent's side.
 */
export function ChatRecordBody({ chat, details, viewerId }: { chat: ChatRecord; details: RecordDetails; viewerId: string | null }) {
  const lines = details.transcripts.get(chat.id) ?? [];
  const parts = details.recordings.get(chat.id) ?? [];
  const consent = details.consents.get(chat.id);
  const nameOf = (line: TranscriptRow) => (line.sender === "agent" ? (line.authorName ?? chat.agentName ?? "Agent") : (chat.customerName ?? "Customer"));
  // Marked as in the live transcript: a conference guest's lines are not the chat's agent's, and a
  // guest reading sees their own lines as theirs (the style sheet hides the name on one's own).
  const asGuest = viewerId !== null && viewerId !== chat.agentId;
  const senderOf = (line: TranscriptRow) => (line.sender === "agent" && line.userId && line.userId !== chat.agentId ? guestSender(line.userId) : line.sender);
  const own = (line: TranscriptRow) => asGuest && line.userId === viewerId;
  return (
    <div class="record-body">
      {chat.rating ? (
        <section class="record-rating" aria-label="Customer's rating">
          <h3>Customer's rating</h3>
          <p>
            <Stars value={chat.rating} />
          </p>
          {chat.ratingComment ? <blockquote class="rating-comment">{chat.ratingComment}</blockquote> : <p class="muted small">No comment.</p>}
        </section>
      ) : null}
      <section class="record-recordings" aria-label="Recordings">
        <h3>Recordings</h3>
        {parts.length ? (
          <ol class="record-parts">
            {parts.map((part) => (
              <li class="record-part">
                <video controls preload="metadata" src={recordingUrl(chat.id, part.segment)}></video>
                <div class="record-part-facts">
                  <strong>Part {part.segment}</strong>
                  <span class="muted small">
                    {part.durationMs === null ? null : `${clock(part.durationMs)} · `}
                    {fileSize(part.bytes)}
                  </span>
                  <a class="btn btn-small btn-ghost" href={recordingUrl(chat.id, part.segment)} download={partFileName(chat.id, part.segment)}>
                    Download
                  </a>
                </div>
              </li>
            ))}
          </ol>
        ) : (
          <p class="muted small">
            {consent === "refused" ? "The customer refused recording." : consent === "allowed" ? "Recording was allowed. No part was uploaded to the server." : "Not recorded."}
          </p>
        )}
        <div class="record-local" data-controller="local-recordings" data-local-recordings-chat-value={chat.id} hidden>
          <h4>Kept in this browser</h4>
          <ol class="recording-segments" data-local-recordings-target="list"></ol>
        </div>
      </section>
      <section class="record-transcript" aria-label="Transcript">
        <h3>Transcript</h3>
        {lines.length ? (
          <div class="transcript" data-viewer={asGuest ? "guest" : "agent"}>
            {lines.map((line) => (
              <div class={own(line) ? "line own" : "line"} data-sender={senderOf(line)}>
                <div class="bubble">
                  <span class="who">{nameOf(line)}</span>
                  <p>{line.body}</p>
                  <time datetime={new Date(line.createdAt).toISOString()}>{utcTime(line.createdAt)} UTC</time>
                </div>
              </div>
            ))}
          </div>
        ) : (
          <p class="muted small">{chat.status === "connected" ? "The transcript is saved when the chat ends." : "No messages."}</p>
        )}
      </section>
    </div>
  );
}

/** Newer / older pages; `query` holds the other parameters of the list. */
export function Pager({ path, page, hasMore, query = "" }: { path: string; page: number; hasMore: boolean; query?: string }) {
  if (page === 1 && !hasMore) return null;
  const href = (p: number) => `${path}?${query ? `${query}&` : ""}page=${p}`;
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? (
        <a class="btn btn-ghost btn-small" href={href(page - 1)} rel="prev">
          ← Newer
        </a>
      ) : (
        <span></span>
      )}
      <span class="muted small">Page {page}</span>
      {hasMore ? (
        <a class="btn btn-ghost btn-small" href={href(page + 1)} rel="next">
          Older →
        </a>
      ) : (
        <span></span>
      )}
    </nav>
  );
}

export function ChatHeading({ chat }: { chat: ChatRecord }) {
  return (
    <div class="record-head">
      <div>
        <h2>{chat.customerName ?? "Customer"}</h2>
        <p class="muted small">
          <span class="chip">{chat.roomName}</span> {chat.customerEmail ?? null}
        </p>
      </div>
      <dl class="record-facts">
        <div>
          <dt>Started</dt>
          <dd>{utcDateTime(chat.createdAt)} UTC</dd>
        </div>
        <div>
          <dt>Length</dt>
          <dd>{chatDuration(chat)}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{statusLabel(chat.status)}</dd>
        </div>
        {chat.rating ? (
          <div>
            <dt>Rating</dt>
            <dd>
              <Stars value={chat.rating} />
            </dd>
          </div>
        ) : null}
      </dl>
    </div>
  );
}

export function ChatViewPage({ list, viewerId, ratings }: { list: ChatRecordsPage; viewerId: string; ratings: AgentTally[] }) {
  return (
    <Layout title="Chat View">
      <div class="page-head">
        <div>
          <h1>Chat View</h1>
          <p class="muted">Your chats, the latest first, with their transcripts and recordings.</p>
        </div>
        <div class="actions">
          <a class="btn btn-ghost" href="/chat-records">
            Chat Records
          </a>
          <a class="btn btn-ghost" href="/agent">
            Back to the console
          </a>
        </div>
      </div>
      <AgentRatings tallies={ratings} companyWide={false} />
      {list.chats.length ? (
        <div class="records">
          {list.chats.map((chat) => (
            <article class="card record" id={`record-${chat.id}`}>
              <ChatHeading chat={chat} />
              <ChatRecordBody chat={chat} details={list.details} viewerId={viewerId} />
            </article>
          ))}
        </div>
      ) : (
        <section class="card empty">
          <p>{list.page === 1 ? "No chats yet. Chats you answer appear here, the latest first." : "No more chats."}</p>
        </section>
      )}
      <Pager path="/chat-view" page={list.page} hasMore={list.hasMore} />
    </Layout>
  );
}
