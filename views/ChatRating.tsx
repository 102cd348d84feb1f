import { COMMENT_MAX, RATING_MAX, type Rating } from "../worker/ratings/rating";
import type { Errors } from "./Form";
import { CsrfField, Layout, PoweredBy } from "./Layout";
import type { Child } from "hono/jsx";

// The customer's rating of a chat that ended: five stars and a comment, then their rating with a
// thank-you. The chat's socket brings only an empty slot that fetches the panel, so that the form
// carries this browser's CSRF token and a rating given in another tab shows as given.

const WORDS = ["Very poor", "Poor", "OK", "Good", "Excellent"] as const;
const STARS = Array.from({ length: RATING_MAX }, (_, i) => i + 1);

const slotId = (chatId: string) => `rating-${chatId}`;
const ratingPath = (chatId: string) => `/chats/${chatId}/rating`;
const starsText = (n: number) => `${n} out of ${RATING_MAX} stars`;

/** Where the rating goes on the customer's ended chat: the panel loads itself into it. */
export function RatingSlot({ chatId }: { chatId: string }) {
  return <div id={slotId(chatId)} class="rating-slot" hx-get={ratingPath(chatId)} hx-trigger="load" hx-swap="outerHTML"></div>;
}

/** A rating as stars, read out as "4 out of 5 stars". */
export function Stars({ value }: { value: number }) {
  return (
    <span class="stars" role="img" aria-label={starsText(value)} title={starsText(value)}>
      {"★".repeat(value)}
      {value < RATING_MAX ? <span class="stars-off">{"★".repeat(RATING_MAX - value)}</span> : null}
    </span>
  );
}

export type RatingPanelProps = {
  chatId: string;
  agentName: string;
  rating: Rating | null;
  /** The form was sent again after the chat was rated: the first rating stands. */
  already?: boolean;
  errors?: Errors;
  values?: { rating?: string; comment?: string };
};

/** The form, or the rating given (with a thank-you, or with why a second one changed nothing). */
export function RatingPanel(props: RatingPanelProps) {
  const { chatId, rating, already = false } = props;
  if (!rating) return <RatingForm {...props} />;
  return (
    <section id={slotId(chatId)} class="rating-panel rated" aria-labelledby={`${slotId(chatId)}-title`}>
      <h2 id={`${slotId(chatId)}-title`} class="rating-title">
        {already ? "You have already rated this chat" : "Thank you for your rating"}
      </h2>
      <p class="rating-given" role="status">
        <Stars value={rating.rating} /> <span class="rating-word">{WORDS[rating.rating - 1]}</span>
      </p>
      {rating.comment ? <blockquote class="rating-comment">{rating.comment}</blockquote> : null}
      <p class="muted small">{already ? "A chat is rated once, so your first rating stays as it was." : "It helps us get better at looking after you."}</p>
    </section>
  );
}

function RatingForm({ chatId, agentName, errors = {}, values = {} }: RatingPanelProps) {
  const id = slotId(chatId);
  const commentId = `${id}-comment`;
  return (
    <section id={id} class="rating-panel" aria-labelledby={`${id}-title`}>
      <form class="rating-form" method="post" action={ratingPath(chatId)} hx-post={ratingPath(chatId)} hx-target={`#${id}`} hx-swap="outerHTML">
        <CsrfField />
        <h2 id={`${id}-title`} class="rating-title">
          How was your chat with {agentName}?
        </h2>
        <fieldset class={errors.rating ? "rating-stars has-error" : "rating-stars"} aria-describedby={errors.rating ? `${id}-rating-error` : undefined}>
          <legend>Your rating</legend>
          <div class="star-picker">
            <div class="star-choices">
              {STARS.map((n) => (
                <>
                  <input type="radio" class="visually-hidden" id={`${id}-${n}`} name="rating" value={String(n)} checked={values.rating === String(n)} required />
                  <label for={`${id}-${n}`} title={WORDS[n - 1]}>
                    <span aria-hidden="true">★</span>
                    <span class="visually-hidden">
                      {n} {n === 1 ? "star" : "stars"}, {WORDS[n - 1]!.toLowerCase()}
                    </span>
                  </label>
                </>
              ))}
            </div>
            <p class="star-scale" aria-hidden="true">
              <span>{WORDS[0]}</span>
              <span>{WORDS[RATING_MAX - 1]}</span>
            </p>
          </div>
          {errors.rating ? (
            <p class="error" id={`${id}-rating-error`} role="alert">
              {errors.rating}
            </p>
          ) : null}
        </fieldset>
        <div class={errors.comment ? "field has-error" : "field"}>
          <label for={commentId}>
            Anything you would like to add? <span class="muted">(optional)</span>
          </label>
          <textarea
            id={commentId}
            name="comment"
            rows={3}
            maxlength={COMMENT_MAX}
            aria-invalid={errors.comment ? "true" : undefined}
            aria-describedby={errors.comment ? `${commentId}-error` : `${commentId}-hint`}
          >
            {values.comment ?? ""}
          </textarea>
          {errors.comment ? (
            <p class="error" id={`${commentId}-error`} role="alert">
              {errors.comment}
            </p>
          ) : (
            <p class="hint" id={`${commentId}-hint`}>
              Up to {COMMENT_MAX} characters.
            </p>
          )}
        </div>
        <button type="submit" class="btn btn-primary">
          Send rating
        </button>
      </form>
    </section>
  );
}

/** The panel as a page of its own: for a browser without JavaScript, and after a plain form post. */
export function RatingPage({ companyName, ...panel }: RatingPanelProps & { companyName: string }) {
  return (
    <EndedChatPage title={`Rate your chat with ${companyName}`} companyName={companyName} chatId={panel.chatId}>
      <RatingPanel {...panel} />
    </EndedChatPage>
  );
}

/** A panel of the customer's ended chat (the rating, the transcript by email) as a page of its own. */
export function EndedChatPage({ title, companyName, chatId, children }: { title: string; companyName: string; chatId: string; children: Child }) {
  return (
    <Layout title={title} bare>
      <div class="contact">
        <section class="contact-card card rating-page">
          <h1>Your chat with {companyName}</h1>
          {children}
          <p>
            <a class="btn btn-ghost" href={`/chats/${chatId}`}>
              Back to the chat
            </a>
          </p>
        </section>
        <PoweredBy companyName={companyName} />
      </div>
    </Layout>
  );
}
