import { RECORD_SORTS, type RecordSort } from "../worker/stores/chat-records";
import type { AgentTally } from "../worker/stores/chat-ratings";
import { utcDateTime } from "../worker/format/utc";
import { AgentRatings } from "./AgentRatings";
import { Stars } from "./ChatRating";
import { ChatRecordBody, Pager, chatDuration, statusLabel, type ChatRecordsPage } from "./ChatView";
import { Layout } from "./Layout";

// Chat Records (spec): every chat in the reader's scope, sorted as they choose, each opening onto
// its transcript and its recordings. An administrator reads the company's chats, an agent their own.

const SORT_LABELS: Record<RecordSort, string> = {
  newest: "Newest first",
  oldest: "Oldest first",
  customer: "Customer name",
  room: "Chat room",
  agent: "Agent",
};

/**
 * `viewerId`: the agent reading their own records, or null for an administrator reading the
 * company's; `ratings`: the customers' ratings of each agent in the same scope.
 */
export function ChatRecordsPage({
  list,
  sort,
  companyWide,
  viewerId,
  ratings,
}: {
  list: ChatRecordsPage;
  sort: RecordSort;
  companyWide: boolean;
  viewerId: string | null;
  ratings: AgentTally[];
}) {
  return (
    <Layout title="Chat Records">
      <div class="page-head">
        <div>
          <h1>Chat Records</h1>
          <p class="muted">{companyWide ? "Every chat of your company" : "Your chats"}, with transcripts and recordings. Open a chat to read and play it.</p>
        </div>
        <form class="actions sort-form" method="get" action="/chat-records">
          <label for="records-sort" class="small muted">
            Sort by
          </label>
          <select id="records-sort" name="sort">
            {RECORD_SORTS.map((s) => (
              <option value={s} selected={s === sort}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
          <button type="submit" class="btn btn-ghost btn-small">
            Sort
          </button>
        </form>
      </div>
      <AgentRatings tallies={ratings} companyWide={companyWide} />
      {list.chats.length ? (
        <div class="card records-table">
          <div class="records-row records-header" aria-hidden="true">
            <span>Started</span>
            <span>Customer</span>
            <span>Room</span>
            <span>Agent</span>
            <span>Length</span>
            <span>Rating</span>
            <span>Recordings</span>
          </div>
          {list.chats.map((chat) => {
            const parts = list.details.recordings.get(chat.id)?.length ?? 0;
            return (
              <details class="record-row" id={`record-${chat.id}`}>
                <summary class="records-row">
                  <span>{utcDateTime(chat.createdAt)} UTC</span>
                  <strong>{chat.customerName ?? "Customer"}</strong>
                  <span class="chip" title={chat.roomName}>
                    {chat.roomName}
                  </span>
                  <span>{chat.agentName ?? "—"}</span>
                  <span>
                    {chatDuration(chat)} <span class="muted small">{chat.status === "ended" ? null : statusLabel(chat.status)}</span>
                  </span>
                  <span class="record-rating-cell">{chat.rating ? <Stars value={chat.rating} /> : <span class="muted">—</span>}</span>
                  <span>{parts ? `${parts} part${parts === 1 ? "" : "s"}` : <span class="muted">—</span>}</span>
                </summary>
                <ChatRecordBody chat={chat} details={list.details} viewerId={viewerId} />
              </details>
            );
          })}
        </div>
      ) : (
        <section class="card empty">
          <p>{list.page === 1 ? "No chats yet." : "No more chats."}</p>
        </section>
      )}
      <Pager path="/chat-records" page={list.page} hasMore={list.hasMore} query={`sort=${sort}`} />
    </Layout>
  );
}
