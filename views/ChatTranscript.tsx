import type { Errors } from "./Form";
import { EndedChatPage } from "./ChatRating";
import { CsrfField } from "./Layout";

// "Email me the transcript" on the customer's ended chat: an address (prefilled with the one
// they gave in the contact form), then "Sent to …". Like the rating, the chat's socket brings only
// an empty slot that fetches the panel, so that the form carries this browser's CSRF token.

const slotId = (chatId: string) => `transcript-mail-${chatId}`;
export const transcriptPath = (chatId: string) => `/chats/${chatId}/transcript`;

/** Where the transcript form goes on the customer's ended chat: the panel loads itself into it. */
export function TranscriptSlot({ chatId }: { chatId: string }) {
  return <div id={slotId(chatId)} class="transcript-mail-slot" hx-get={transcriptPath(chatId)} hx-trigger="load" hx-swap="outerHTML"></div>;
}

export type TranscriptPanelProps = {
  chatId: string;
  /** The address the transcript was just sent to. */
  sentTo?: string;
  email?: string;
  errors?: Errors;
};

/** The form, or "Sent to …" with the form again for another address. */
export function TranscriptPanel({ chatId, sentTo, email = "", errors = {} }: TranscriptPanelProps) {
  const id = slotId(chatId);
  const field = `${id}-email`;
  return (
    <section id={id} class="rating-panel transcript-mail" aria-labelledby={`${id}-title`}>
      <form method="post" action={transcriptPath(chatId)} hx-post={transcriptPath(chatId)} hx-target={`#${id}`} hx-swap="outerHTML">
        <CsrfField />
        <h2 id={`${id}-title`} class="rating-title">
          Email me the transcript
        </h2>
        {sentTo ? (
          <p class="notice notice-ok" role="status">
            Sent to {sentTo}. It should arrive in a few minutes.
          </p>
        ) : null}
        <div class={errors.email ? "field has-error" : "field"}>
          <label for={field}>Your email address</label>
          <input
            id={field}
            name="email"
            type="email"
            autocomplete="email"
            required
            maxlength={254}
            value={sentTo ? "" : email}
            aria-invalid={errors.email ? "true" : undefined}
            aria-describedby={errors.email ? `${field}-error` : undefined}
          />
          {errors.email ? (
            <p class="error" id={`${field}-error`} role="alert">
              {errors.email}
            </p>
          ) : null}
        </div>
        <button type="submit" class="btn btn-primary">
          {sentTo ? "Send to another address" : "Email me the transcript"}
        </button>
      </form>
    </section>
  );
}

/** The panel as a page of its own: for a browser without JavaScript. */
export function TranscriptPage({ companyName, ...panel }: TranscriptPanelProps & { companyName: string }) {
  return (
    <EndedChatPage title={`Your chat with ${companyName}: the transcript`} companyName={companyName} chatId={panel.chatId}>
      <TranscriptPanel {...panel} />
    </EndedChatPage>
  );
}
