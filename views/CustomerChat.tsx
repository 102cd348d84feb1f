import type { ChatInit } from "../worker/live/contracts";
import { CsrfField, Layout, PoweredBy } from "./Layout";
import { themeStyle } from "./theme";
import type { Errors } from "./Form";

/** The customer's chat page: the ChatDO fills it over the socket and keeps it current. */
export function CustomerChatPage({ init }: { init: ChatInit }) {
  const id = init.chatId;
  return (
    <Layout title={`Chat with ${init.companyName}`} bare light="chat">
      <div class="chat-page" style={themeStyle(init.theme)} hx-ext="ws" ws-connect={`/chats/${id}/ws`} data-controller="connection call" data-call-chat-value={id}>
        <div class="chat-card card">
          <div id={`chat-head-${id}`} class="chat-head waiting">
            <div class="waiting-spinner" aria-hidden="true"></div>
            <h1>Connecting…</h1>
          </div>
          <div id={`call-${id}`}></div>
          <div id={`conference-${id}`}></div>
          <div id={`transcript-${id}`} class="transcript"></div>
          <div id={`meter-${id}`}></div>
          <div id={`invoices-${id}`}></div>
          <div id={`recording-${id}`}></div>
          <div id={`rating-${id}`}></div>
          <div id={`transcript-mail-${id}`}></div>
          <div id={`typing-${id}`} class="typing"></div>
          <div id={`composer-${id}`}></div>
          <div id={`controls-${id}`} class="controls"></div>
          <p class="connection-lost" data-connection-target="banner" hidden>
            Connection lost. Reconnecting…
          </p>
        </div>
        <PoweredBy companyName={init.companyName} />
      </div>
    </Layout>
  );
}

export type RequestKind = "message" | "alert";

/**
 * "Leave an email message" or "Email me when someone is free", swapped into the waiting screen;
 * sent again with what was typed and the errors next to the fields when something is missing.
 */
export function RequestForm({ chatId, kind, errors = {}, values = {} }: { chatId: string; kind: RequestKind; errors?: Errors; values?: { email?: string; body?: string } }) {
  const emailId = `req-email-${kind}`;
  return (
    <form class="stack request-form" hx-post={`/chats/${chatId}/requests`} hx-target="this" hx-swap="outerHTML">
      <CsrfField />
      <input type="hidden" name="kind" value={kind} />
      <div class={errors.email ? "field has-error" : "field"}>
        <label for={emailId}>Your email</label>
        <input
          id={emailId}
          name="email"
          type="email"
          value={values.email ?? ""}
          required
          maxlength={254}
          autocomplete="email"
          aria-invalid={errors.email ? "true" : undefined}
          aria-describedby={errors.email ? `${emailId}-error` : undefined}
        />
        {errors.email ? (
          <p class="error" id={`${emailId}-error`} role="alert">
            {errors.email}
          </p>
        ) : null}
      </div>
      {kind === "message" ? (
        <div class={errors.body ? "field has-error" : "field"}>
          <label for="req-body">Your message</label>
          <textarea
            id="req-body"
            name="body"
            rows={3}
            required
            maxlength={2000}
            aria-invalid={errors.body ? "true" : undefined}
            aria-describedby={errors.body ? "req-body-error" : undefined}
          >
            {values.body ?? ""}
          </textarea>
          {errors.body ? (
            <p class="error" id="req-body-error" role="alert">
              {errors.body}
            </p>
          ) : null}
        </div>
      ) : null}
      <button type="submit" class="btn btn-primary">
        {kind === "message" ? "Send message" : "Add alert"}
      </button>
    </form>
  );
}

/** `again`: the customer already asked for this alert today; it is sent once all the same. */
export function RequestSaved({ kind, again = false }: { kind: RequestKind; again?: boolean }) {
  const said =
    kind === "message"
      ? "Thank you — your message is on its way. We will answer by email."
      : again
        ? "You already asked today — we will email you once when someone is free."
        : "Done — we will email you when someone is free.";
  return (
    <p class="alert alert-ok" role="status">
      {said}
    </p>
  );
}

export function MessageSent({ companyName, theme, kind }: { companyName: string; theme: string; kind: RequestKind }) {
  return (
    <Layout title="Message sent" bare>
      <div class="contact" style={themeStyle(theme)}>
        <section class="contact-card card center">
          <h1>Thank you</h1>
          <RequestSaved kind={kind} />
          <p class="muted">{companyName}</p>
        </section>
      </div>
    </Layout>
  );
}
