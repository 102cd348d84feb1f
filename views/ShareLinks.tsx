import { EMBED_ICON_PATH } from "../worker/embed/loader";
import type { ContactLinks, RoomShareLinks } from "../worker/rooms/share-links";

/**
 * A text to hand out, shown read-only (never as markup) with a Copy button (copy_controller.js):
 * the clipboard when the browser allows it, else the text selected for Ctrl+C.
 */
export function CopyField({ id, label, value, multiline, hint }: { id: string; label: string; value: string; multiline?: boolean; hint?: string }) {
  return (
    <div class="copy-field" data-controller="copy">
      <label for={id}>{label}</label>
      <div class="copy-row">
        {multiline ? (
          <textarea id={id} class="copy-source" rows={2} readonly spellcheck={false} data-copy-target="source" aria-describedby={hint ? `${id}-help` : undefined}>
            {value}
          </textarea>
        ) : (
          <input id={id} class="copy-source" type="text" value={value} readonly spellcheck={false} data-copy-target="source" aria-describedby={hint ? `${id}-help` : undefined} />
        )}
        <button type="button" class="btn btn-ghost btn-small copy-button" data-copy-target="button" data-action="copy#copy" aria-controls={id}>
          Copy
        </button>
      </div>
      <p class="copy-status small" role="status" data-copy-target="status"></p>
      {hint ? (
        <p class="hint" id={`${id}-help`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** The contact form's links: chat (the form), voice, video, WhatsApp. `idPrefix` keeps ids unique on a page with several. */
export function ContactLinkFields({ links, idPrefix }: { links: ContactLinks; idPrefix: string }) {
  return (
    <div class="copy-fields">
      <CopyField id={`${idPrefix}-contact`} label="Contact form" value={links.contactForm} hint="The customer chooses chat, email, voice or video." />
      <CopyField id={`${idPrefix}-voice`} label="Voice chat" value={links.voice} />
      <CopyField id={`${idPrefix}-video`} label="Video chat" value={links.video} />
      <CopyField id={`${idPrefix}-whatsapp`} label="WhatsApp chat" value={links.whatsapp} hint="Opens WhatsApp with the next agent who has WhatsApp switched on in their profile." />
    </div>
  );
}

/** A room's embed snippet, links and statistics addresses, each with a Copy button. */
export function RoomShareFields({ links }: { links: RoomShareLinks }) {
  return (
    <>
      <CopyField
        id="share-snippet"
        label="HTML code for your website"
        value={links.embedSnippet}
        multiline
        hint="Paste it before </body> on every page that should show the chat button. Saved changes reach websites within 5 minutes."
      />
      <h3 class="settings-sub">Links</h3>
      <ContactLinkFields links={links} idPrefix="share" />
      <h3 class="settings-sub">Service staff statistics</h3>
      <div class="copy-fields">
        <CopyField id="share-stats-brief" label="Statistics (brief)" value={links.statsBrief} hint="JSON: how many agents are logged on and in each status, e.g. WAITING_NEW_CALL." />
        <CopyField id="share-stats-details" label="Statistics (details)" value={links.statsDetails} hint="The same, with each agent's name and status." />
      </div>
    </>
  );
}

export type EmbedPreviewModel = {
  /** A checked #rrggbb: it goes into a style attribute. */
  theme: string;
  position: string;
  popup: boolean;
  whisper: string;
  header: string;
  subheader: string;
  companyName: string;
};

/**
 * The embed as a visitor sees it, scaled into a box: the loader's button (same icon, size and
 * corner), its whisper above it, and the pop-up window on the same side. embed_preview_controller.js
 * follows the form's colour, position, pop-up and whisper as they are changed.
 */
export function EmbedPreview({ model }: { model: EmbedPreviewModel }) {
  const side = model.position === "left" ? "left" : "right";
  return (
    <figure class="embed-preview-figure">
      <div class="embed-preview" data-embed-preview-target="stage" data-side={side} style={`--embed-theme:${model.theme}`} aria-hidden="true">
        <div class="embed-preview-bar">
          <span></span>
          <span></span>
          <span></span>
          <em>your-website.com</em>
        </div>
        <div class="embed-preview-page">
          <i class="w60"></i>
          <i class="w90"></i>
          <i class="w80"></i>
          <i class="w40"></i>
        </div>
        <div class="embed-preview-popup" data-embed-preview-target="popup" hidden={!model.popup}>
          <p class="embed-preview-company" data-embed-preview-target="company">
            {model.companyName}
          </p>
          <p class="embed-preview-header" data-embed-preview-target="header">
            {model.header}
          </p>
          <p class="embed-preview-subheader" data-embed-preview-target="subheader">
            {model.subheader}
          </p>
          <i class="w90"></i>
          <i class="w90"></i>
          <b>Chat</b>
        </div>
        <div class="embed-preview-whisper" data-embed-preview-target="whisper" hidden={!model.whisper}>
          <span data-embed-preview-target="whisperText">{model.whisper}</span> <span class="embed-preview-x">×</span>
        </div>
        <span class="embed-preview-button">
          <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d={EMBED_ICON_PATH} />
          </svg>
        </span>
      </div>
      <figcaption class="hint" data-embed-preview-target="caption">
        {captionOf(model.popup)}
      </figcaption>
    </figure>
  );
}

/** The preview's caption with the pop-up on and off; the controller swaps them (its values). */
export const EMBED_CAPTIONS = {
  popup: "Preview. A click on the button opens the contact form in a pop-up window.",
  tab: "Preview. A click on the button opens the contact form in a new tab.",
} as const;

const captionOf = (popup: boolean) => (popup ? EMBED_CAPTIONS.popup : EMBED_CAPTIONS.tab);
