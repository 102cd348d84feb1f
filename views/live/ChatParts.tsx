import { raw } from "hono/html";
import { escapeToBuffer } from "hono/utils/html";
import type { TranscriptLine } from "../../worker/stores/chats";
import { toHtml } from "./render";

// The pieces of a chat page that the parties' and a conference guest's views share: faces, lines
// of the transcript, notices and the composer.

export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join("") || "?";

export function Avatar({ name, photoUrl, size = 48 }: { name: string; photoUrl: string | null; size?: number }) {
  return photoUrl ? (
    <img class="avatar" src={photoUrl} alt="" width={size} height={size} />
  ) : (
    <span class="avatar avatar-initials" style={`width:${size}px;height:${size}px;font-size:${Math.round(size * 0.4)}px`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}

/** Escapes text for HTML, an element's text or a quoted attribute, as hono's `html` does. */
export function escapeHtml(text: string): string {
  const buffer = [""];
  escapeToBuffer(text, buffer);
  return buffer[0] as string;
}

/**
 * One line of the transcript, as a string built by hand rather than JSX or a template: every
 * relayed text renders one (JSX cost several times more per line, and `html` more than this).
 */
export function lineHtml(message: TranscriptLine, name: string, own = false): string {
  const at = new Date(message.at).toISOString();
  return `<div class="${own ? "line own" : "line"}" data-sender="${escapeHtml(message.sender)}" data-seq="${message.seq}"><div class="bubble"><span class="who">${escapeHtml(name)}</span><p>${escapeHtml(message.body)}</p><time datetime="${at}">${at.slice(11, 16)} UTC</time></div></div>`;
}

export function Line({ message, name, own = false }: { message: TranscriptLine; name: string; own?: boolean }) {
  return raw(lineHtml(message, name, own));
}

export function Composer({ chatId }: { chatId: string }) {
  return (
    <form id={`composer-${chatId}`} class="composer" ws-send data-controller="composer" data-action="htmx:wsAfterSend->composer#clear">
      <input type="hidden" name="type" value="text" />
      <textarea
        name="text"
        rows={1}
        maxlength={4000}
        placeholder="Type a message…"
        aria-label="Message"
        ws-send
        hx-trigger="input changed delay:120ms"
        hx-vals='{"type":"typing"}'
        data-composer-target="input"
        data-action="keydown->composer#sendOnEnter"
      ></textarea>
      <button type="submit" class="btn btn-primary">
        Send
      </button>
    </form>
  );
}

export function Notice({ text, tone }: { text: string; tone: "info" | "warn" | "ok" }) {
  return <p class={`notice notice-${tone}`}>{text}</p>;
}

export const notice = (chatId: string, text: string, tone: "info" | "warn" | "ok") =>
  toHtml(
    <div hx-swap-oob={`beforeend:#transcript-${chatId}`}>
      <Notice text={text} tone={tone} />
    </div>,
  );
