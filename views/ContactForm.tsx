import { offersEmail } from "../worker/rooms/contact-form";
import type { Room } from "../worker/rooms/room";
import { CsrfField, Layout, PoweredBy } from "./Layout";
import { themeStyle } from "./theme";
import { FormAlert, type Errors } from "./Form";
import { Icon } from "./Icon";

export type ContactMode = "chat" | "voice" | "video";
export type ContactValues = Partial<Record<"name" | "email" | "phone" | "message", string>>;

type Props = {
  room: Room;
  companyName: string;
  action: string;
  /** Set for an agent's private room: the customer talks to this agent only. */
  agentName?: string;
  mode?: ContactMode;
  /** No agent serves this room yet: the form must not promise an answer in moments. */
  unstaffed?: boolean;
  values?: ContactValues;
  errors?: Errors;
  /** The consultation invitation whose link opened the form: sent back, so the chat names it. */
  invitation?: string;
};

const FIELDS = [
  { name: "name", label: "Your name", type: "text", setting: "fieldName", autocomplete: "name" },
  { name: "email", label: "Email", type: "email", setting: "fieldEmail", autocomplete: "email" },
  { name: "phone", label: "Phone", type: "tel", setting: "fieldPhone", autocomplete: "tel" },
] as const;

const UNSTAFFED = (email: boolean) =>
  email ? "No one answers chats here yet: email us, and we will write back." : "No one answers chats here yet: you may wait for someone to come online.";

/** The customer's first contact point, rendered from the room's contact-form settings. */
export function ContactForm({ room, companyName, action, agentName, mode, unstaffed = false, values = {}, errors = {}, invitation }: Props) {
  const offered = ([
    { mode: "chat", label: "Chat", hidden: room.buttonChatHidden, icon: "chat" },
    { mode: "voice", label: "Voice", hidden: room.buttonVoiceHidden, icon: "phone" },
    { mode: "video", label: "Video", hidden: room.buttonVideoHidden, icon: "video" },
  ] as const).filter((b) => !b.hidden);
  // ?mode= narrows to one button, unless the room hides that one: then all shown buttons stay.
  const buttons = offered.some((b) => b.mode === mode) ? offered.filter((b) => b.mode === mode) : offered;
  const message = room.fieldMessage;
  const email = offersEmail(room);
  // An error about something with no field on this form (the button pressed) is said above it.
  const asked = new Set<string>([...FIELDS.filter((f) => room[f.setting] !== "hidden").map((f) => f.name), ...(message === "hidden" ? [] : ["message"])]);
  const elsewhere = Object.entries(errors).filter(([key]) => !asked.has(key)).map(([, error]) => error);
  return (
    <Layout title={room.formHeader} bare light="form">
      <div class="contact" style={themeStyle(room.theme)}>
        <section class="contact-card card">
          <header class="contact-head">
            {room.formLogoUrl ? <img class="contact-logo" src={room.formLogoUrl} alt="" /> : null}
            <p class="contact-company">{room.formCompanyName ?? companyName}</p>
            <h1>{room.formHeader}</h1>
            <p class="muted">{agentName ? `You will be connected to ${agentName}.` : room.formSubheader}</p>
            {unstaffed ? (
              <p class="alert alert-warn small" role="note">
                {UNSTAFFED(email)}
              </p>
            ) : null}
          </header>
          <form method="post" action={action} class="stack" id="contact-form">
            <CsrfField />
            {invitation ? <input type="hidden" name="invitation" value={invitation} /> : null}
            <FormAlert message={elsewhere.join(" ") || null} />
            {FIELDS.map((f) => {
              const visibility = room[f.setting];
              if (visibility === "hidden") return null;
              const required = visibility === "mandatory";
              const error = errors[f.name];
              return (
                <div class={error ? "field has-error" : "field"}>
                  <label for={`f-${f.name}`}>
                    {f.label}
                    {required ? <span class="req"> *</span> : <span class="optional"> (optional)</span>}
                  </label>
                  <input id={`f-${f.name}`} name={f.name} type={f.type} value={values[f.name] ?? ""} required={required} autocomplete={f.autocomplete} maxlength={f.name === "email" ? 254 : 80} />
                  {error ? <p class="error" role="alert">{error}</p> : null}
                </div>
              );
            })}
            {message === "hidden" ? null : (
              <div class={errors.message ? "field has-error" : "field"}>
                <label for="f-message">
                  How can we help?
                  {message === "mandatory" ? <span class="req"> *</span> : <span class="optional"> (optional)</span>}
                </label>
                <textarea id="f-message" name="message" rows={3} required={message === "mandatory"} maxlength={1000}>
                  {values.message ?? ""}
                </textarea>
                {errors.message ? <p class="error" role="alert">{errors.message}</p> : null}
              </div>
            )}
            <div class="contact-buttons">
              {buttons.map((b) => (
                <button type="submit" name="mode" value={b.mode} class="btn btn-theme">
                  <Icon name={b.icon} /> {b.label}
                </button>
              ))}
            </div>
            {!email && room.buttonWhatsappHidden ? null : (
              <div class="contact-alt">
                {!email ? null : (
                  <button type="submit" name="mode" value="email" class="btn btn-ghost">
                    <Icon name="mail" /> Email us
                  </button>
                )}
                {room.buttonWhatsappHidden ? null : (
                  <a href={`${action}/whatsapp`} class="btn btn-ghost">
                    <Icon name="whatsapp" /> WhatsApp
                  </a>
                )}
              </div>
            )}
          </form>
        </section>
        <PoweredBy />
      </div>
    </Layout>
  );
}
