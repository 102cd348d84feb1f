import type { Child } from "hono/jsx";
import type { Room } from "../worker/rooms/room";
import { minorDigits } from "../worker/billing/currency";
import { lockedLabel, lockedReason } from "../worker/rooms/usable-rooms";
import {
  AGENT_ROLE_MAX,
  CHARGING_MODE_LABELS,
  CONTACT_BUTTONS,
  CONTACT_FIELDS,
  WHISPER_DELAY_MAX_SECONDS,
  WHISPER_MAX,
  WRAP_UP_MAX_SECONDS,
  type RoomSettingsValues,
  type ToggleKey,
  PHONE_BUTTONS,
} from "../worker/rooms/settings";
import { PaymentsSetupWarning } from "./AdminPayments";
import { Field, FieldNote, type Errors } from "./Form";
import { CsrfField, Layout } from "./Layout";
import type { RoomShareLinks } from "../worker/rooms/share-links";
import { EMBED_CAPTIONS, EmbedPreview, RoomShareFields } from "./ShareLinks";
import { LivePricing, PricingPreview, SCHEME_LABELS, SchemeFields, UnitField, type PreviewModel } from "./PricingFields";

type Plan = "free" | "pro" | "enterprise";

type Props = {
  room: Room;
  plan: Plan;
  /** Whether the plan keeps this room usable (worker/rooms/usable-rooms.ts): a locked one takes no chats. */
  usable: boolean;
  companyName: string;
  /** The room's contact form, embed snippet and statistics addresses (rooms/share-links.ts). */
  links: RoomShareLinks;
  values: RoomSettingsValues;
  /** The price in words of the saved scheme, or of the one typed into a refused form. */
  pricingPreview: PreviewModel;
  errors?: Errors;
  saved?: boolean;
  /** Rename and retire, and what just happened to the room (views/RoomLifecycle.tsx). */
  lifecycle?: Child;
  /** The room takes payments and the company has no ready Stripe account (billing/connect.ts). */
  paymentsBlocked?: boolean;
  /** Where customers' payments go depends on it (billing/fees.ts). */
  accountType: "solo" | "company";
};

const SECTIONS = [
  { id: "contact-form", title: "Contact form" },
  { id: "chat-assignment", title: "Chat assignment" },
  { id: "customer-interactions", title: "Customer interactions" },
  { id: "whatsapp-assignment", title: "WhatsApp assignment" },
  { id: "chat-messaging", title: "Chat messaging" },
  { id: "phone-buttons", title: "Customer & agent phone" },
  { id: "in-app-purchase", title: "In-app purchase" },
  { id: "public-profile", title: "Public profile" },
  { id: "share-embed", title: "Share & embed" },
] as const;

const CHARGING_MODE_HELP = {
  none: "Chats in this room are free of charge.",
  manual:
    "During the chat the agent sends an invoice (a service or goods) that the customer pays with Pay Now. Only agents whom you allowed Manual payment request in Agent staff get the button.",
  automatic:
    "Before connecting, the customer agrees to the pricing scheme below and a hold on their card; Parley charges by the meter when the chat ends (or in parts, with a split threshold).",
} as const;

// A company is paid by direct charges on its own Stripe account; a solo is charged on Parley's and
// paid out (billing/fees.ts, billing/payouts.ts).
const PAYMENTS_HELP = {
  company: "How customers pay for chats in this room. Money goes to your Stripe account; Parley never sees card details.",
  solo: "How customers pay for chats in this room. Payments are taken on Parley's Stripe account: Parley keeps 20 % and pays the processing fees, and your 80 % is paid out within 5 business days to the payout account you chose on the Payments page. Parley never sees card details.",
} as const;

// Names for the error summary at the top, which links to each field that needs correcting.
const LABELS: Record<string, string> = {
  theme: "Theme colour",
  formCompanyName: "Company name",
  formLogoUrl: "Logo URL",
  formHeader: "Header",
  formSubheader: "Sub-header",
  ...Object.fromEntries(CONTACT_FIELDS.map((f) => [f.key, `${f.label} field`])),
  ...Object.fromEntries(CONTACT_BUTTONS.map((b) => [b.key, `${b.label} button`])),
  buttons: "Buttons",
  assignment: "Service staff assignment",
  agentRole: "Agent role",
  wrapUpSeconds: "Wrap-up time",
  whatsappAgents: "WhatsApp agents",
  publicCompanyName: "Public company name",
  publicContactEmail: "Public contact email",
  embedPosition: "Button position",
  embedWhisperText: "Whisper text",
  embedWhisperDelaySeconds: "Whisper delay",
  chargingMode: "Charging",
  ...SCHEME_LABELS,
};
const RADIO_GROUPS = new Set<string>([...CONTACT_FIELDS.map((f) => f.key), ...CONTACT_BUTTONS.map((b) => b.key), "buttons", "assignment", "chargingMode", "whatsappAgents", "embedPosition"]);
const anchorOf = (key: string) => (RADIO_GROUPS.has(key) ? `g-${key}` : `f-${key}`);

/** A chat room's settings, one card per section of the spec, saved together from a sticky bar. */
export function RoomSettingsPage({ room, plan, usable, companyName, links, values, pricingPreview, errors = {}, saved, paymentsBlocked, accountType, lifecycle }: Props) {
  const action = `/admin/rooms/${room.id}`;
  const failed = Object.keys(errors).length > 0;
  return (
    <Layout title={`${room.name} settings`}>
      <p class="crumb">
        <a href="/admin">← Rooms</a>
      </p>
      <div class="page-head">
        <div>
          <p class="eyebrow">Room settings</p>
          <h1 class="room-title">
            {room.name}
            {usable ? null : <span class="badge badge-muted">{lockedLabel(plan)}</span>}
          </h1>
          <p class="muted">Each room has its own contact form and its own way of handing chats to your agents.</p>
        </div>
        <a href={links.contactForm} target="_blank" rel="noopener" class="btn btn-ghost">
          Open contact form ↗
        </a>
      </div>

      {usable ? null : (
        <div class="alert alert-warn settings-flash" role="note">
          <strong>This room is locked.</strong> {lockedReason(plan)}{" "}
          {plan === "free" ? <a href="/admin/plan">See plans</a> : <a href="/admin#rooms">Choose in the rooms list</a>}
        </div>
      )}
      {saved ? (
        <div class="alert alert-ok settings-flash" role="status">
          <strong>Saved.</strong> New chats in {room.name} use these settings, and the contact form shows them now.
        </div>
      ) : null}
      {lifecycle}
      {paymentsBlocked ? <PaymentsSetupWarning companyName={companyName} /> : null}
      {failed ? (
        <div class="alert alert-error settings-flash" role="alert">
          <strong>Nothing was saved.</strong> Please correct the {Object.keys(errors).length === 1 ? "setting" : "settings"} marked below:
          <ul class="error-summary">
            {Object.keys(errors).map((key) => (
              <li>
                <a href={`#${anchorOf(key)}`}>{LABELS[key] ?? key}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div class="settings-layout">
        <nav class="settings-nav" aria-label="Sections">
          {SECTIONS.map((s) => (
            <a href={`#${s.id}`}>{s.title}</a>
          ))}
        </nav>

        <form
          method="post"
          action={action}
          class="settings-form"
          id="room-settings"
          data-controller="embed-preview"
          data-action="input->embed-preview#update change->embed-preview#update"
          data-embed-preview-popup-caption-value={EMBED_CAPTIONS.popup}
          data-embed-preview-tab-caption-value={EMBED_CAPTIONS.tab}
          data-embed-preview-company-name-value={companyName}
        >
          <CsrfField />

          <Section id="contact-form" title="Contact form" help="The customer's first contact point before a chat. Match your website and branding, choose which fields to ask for, and which ways to reach you are offered.">
            <h3 class="settings-sub">Look</h3>
            <div class="grid-2">
              <div class={errors.theme ? "field has-error" : "field"}>
                <label for="f-theme">Theme colour</label>
                <div class="colour-field">
                  <input
                    id="f-theme"
                    name="theme"
                    type="color"
                    value={values.theme}
                    aria-invalid={errors.theme ? "true" : undefined}
                    aria-describedby={errors.theme ? "f-theme-error" : "f-theme-help"}
                  />
                  <code>{values.theme}</code>
                </div>
                {errors.theme ? (
                  <p class="error" id="f-theme-error" role="alert">
                    {errors.theme}
                  </p>
                ) : (
                  <p class="hint" id="f-theme-help">
                    Buttons, the top edge and the background tint of the form.
                  </p>
                )}
              </div>
              <Field
                name="formCompanyName"
                label="Company name"
                value={values.formCompanyName}
                errors={errors}
                maxlength={80}
                placeholder={companyName}
                hint={`Leave empty to show “${companyName}”.`}
              />
            </div>
            <Field
              name="formLogoUrl"
              label="Logo URL"
              type="url"
              value={values.formLogoUrl}
              errors={errors}
              maxlength={500}
              placeholder="https://example.com/logo.png"
              hint="An image on your website, shown above the header. Leave empty for no logo."
            />
            <div class="grid-2">
              <Field name="formHeader" label="Header" value={values.formHeader} errors={errors} required maxlength={80} />
              <Field name="formSubheader" label="Sub-header" value={values.formSubheader} errors={errors} maxlength={160} hint="One line under the header; may be empty." />
            </div>

            <h3 class="settings-sub">Fields</h3>
            <p class="hint settings-sub-help">Every field can be shown, mandatory or hidden.</p>
            <div class="settings-rows">
              {CONTACT_FIELDS.map((f) => (
                <Segmented
                  name={f.key}
                  legend={f.label}
                  value={values[f.key]}
                  error={errors[f.key]}
                  options={[
                    { value: "shown", label: "Shown" },
                    { value: "mandatory", label: "Mandatory" },
                    { value: "hidden", label: "Hidden" },
                  ]}
                />
              ))}
            </div>

            <h3 class="settings-sub">Buttons</h3>
            <p class="hint settings-sub-help">Hide a button to restrict how customers may reach you from this room.</p>
            <div class={errors.buttons ? "settings-rows has-error" : "settings-rows"} id="g-buttons">
              {CONTACT_BUTTONS.map((b) => (
                <Segmented
                  name={b.key}
                  legend={b.label}
                  value={values[b.key] ? "hidden" : "shown"}
                  error={errors[b.key]}
                  options={[
                    { value: "shown", label: "Shown" },
                    { value: "hidden", label: "Hidden" },
                  ]}
                />
              ))}
            </div>
            {errors.buttons ? (
              <p class="error" role="alert">
                {errors.buttons}
              </p>
            ) : null}
          </Section>

          <Section id="chat-assignment" title="Chat assignment" help="How Parley picks the agent who answers a new chat in this room.">
            <fieldset class={errors.assignment ? "choice has-error" : "choice"} id="g-assignment">
              <legend>Service staff assignment</legend>
              <label class="choice-card">
                <strong>
                  <input type="radio" name="assignment" value="quickest" checked={values.assignment !== "nearest" || plan !== "enterprise"} /> Quickest reply
                </strong>
                <span>Every free agent is rung; the first one to answer gets the chat. This is the default.</span>
              </label>
              <label class={plan === "enterprise" ? "choice-card" : "choice-card is-disabled"}>
                <strong>
                  <input type="radio" name="assignment" value="nearest" checked={values.assignment === "nearest" && plan === "enterprise"} disabled={plan !== "enterprise"} /> Nearest to the
                  customer
                  {plan === "enterprise" ? null : <span class="badge badge-muted">Large Enterprise</span>}
                </strong>
                <span>
                  {plan === "enterprise"
                    ? "The agent nearest to the customer's location gets the chat."
                    : "The agent nearest to the customer's location gets the chat. Available on the Large Enterprise plan only."}
                </span>
              </label>
              {errors.assignment ? (
                <p class="error" role="alert">
                  {errors.assignment}
                </p>
              ) : values.assignment === "nearest" && plan !== "enterprise" ? (
                <p class="hint">This room was set to nearest, which your plan does not include; saving switches it to quickest reply.</p>
              ) : null}
            </fieldset>
            <Toggle
              name="sameAgent"
              values={values}
              label="Same agent for the same anonymous customer"
              help="Once an agent answers, later chats from that customer go to the same agent first. While waiting, the customer may still “Ask all agents”."
            />
            <Toggle
              name="includeMobile"
              values={values}
              label="Include mobile agents"
              help="When no agent is free in a browser, look for agents on the mobile app too. Turn off if this room must never reach phones."
            />
          </Section>

          <Section id="customer-interactions" title="Customer interactions" help="What a customer may do while no agent is free to answer.">
            <Toggle
              name="allowLeaveEmail"
              values={values}
              label="Allow customers to leave an email message"
              help="Shows the EMAIL button while the chat is being distributed, so the customer can write instead of waiting."
            />
            <Toggle
              name="allowEmailAlert"
              values={values}
              label="Allow customers to activate an email alert"
              help="Shows the ADD ALERT button: the customer and agents are emailed when an agent is free again (agents choose this in their private profile). Each email uses one company entitlement."
            />
            <Toggle
              name="alwaysEmailTranscript"
              values={values}
              label="Always email the transcript to the customer"
              help="When a chat ends, a customer who gave their email address in the contact form is sent the chat's transcript. Without this, customers may still ask for it on the chat's end screen. Each email uses one company entitlement."
            />
          </Section>

          <Section
            id="whatsapp-assignment"
            title="WhatsApp assignment"
            help="WhatsApp chats from this room go to its agents who have WhatsApp switched on in their profile, in turn. Choose which of them: a WhatsApp chat may wait, so agents who are not logged on can take it too."
          >
            <div class={errors.whatsappAgents ? "stack has-error" : "stack"} id="g-whatsappAgents">
              <Toggle name="whatsappOnlineAgents" values={values} label="Online agents" help="Agents logged on to Parley in a browser or the mobile app." />
              <Toggle
                name="whatsappOfflineAgents"
                values={values}
                label="Offline agents"
                help="Agents who are not logged on. Turn off so that, outside office hours, no one is given new WhatsApp chats."
              />
              {errors.whatsappAgents ? (
                <p class="error" role="alert">
                  {errors.whatsappAgents}
                </p>
              ) : null}
            </div>
          </Section>

          <Section id="chat-messaging" title="Chat messaging" help="What customers see while they wait and chat, and how busy an agent may be.">
            <Toggle
              name="hidePreviewTyping"
              values={values}
              label="Hide preview typing text"
              help="By default each side sees what the other is typing before it is sent. Turn on to show only sent messages."
            />
            <div class="grid-2">
              <Field
                name="agentRole"
                label="Agent role shown to waiting customers"
                value={values.agentRole}
                errors={errors}
                required
                maxlength={AGENT_ROLE_MAX}
                placeholder="Agent"
                hint="For example Doctor, Teacher or Tutor. The default is Agent."
              />
              <div class={errors.wrapUpSeconds ? "field has-error" : "field"}>
                <label for="f-wrapUpSeconds">Wrap-up time</label>
                <div class="input-suffix">
                  <input
                    id="f-wrapUpSeconds"
                    name="wrapUpSeconds"
                    type="number"
                    inputmode="numeric"
                    min={0}
                    max={WRAP_UP_MAX_SECONDS}
                    step={1}
                    placeholder="Never"
                    value={values.wrapUpSeconds}
                    aria-invalid={errors.wrapUpSeconds ? "true" : undefined}
                    aria-describedby={errors.wrapUpSeconds ? "f-wrapUpSeconds-error" : "f-wrapUpSeconds-help"}
                  />
                  <span>seconds</span>
                </div>
                {errors.wrapUpSeconds ? (
                  <p class="error" id="f-wrapUpSeconds-error" role="alert">
                    {errors.wrapUpSeconds}
                  </p>
                ) : (
                  <p class="hint" id="f-wrapUpSeconds-help">
                    After a chat, the agent goes back to ONLINE by itself after this many seconds (0–{WRAP_UP_MAX_SECONDS}). Empty: never.
                  </p>
                )}
              </div>
            </div>
            <Toggle
              name="phoneSimultaneousChats"
              values={values}
              label="Simultaneous customer chats"
              help="Let an agent take a new chat from this room while already serving another customer."
            />
          </Section>

          <Section
            id="phone-buttons"
            title="Customer phone & agent phone"
            help="The action buttons on the customer's and the agent's chat screens in this room. A button that is off is also refused by the server. Simultaneous chats are under Chat messaging; the charges timer buttons under In-app purchase."
          >
            {PHONE_BUTTONS.map((b) => (
              <Toggle name={b.key} values={values} label={b.label} help={b.help} />
            ))}
          </Section>

          <Section
            id="in-app-purchase"
            title="In-app purchase"
            help={PAYMENTS_HELP[accountType]}
          >
            <fieldset class={errors.chargingMode ? "choice choice-3 has-error" : "choice choice-3"} id="g-chargingMode">
              <legend>Charging</legend>
              {(Object.keys(CHARGING_MODE_LABELS) as (keyof typeof CHARGING_MODE_LABELS)[]).map((mode) => (
                <label class="choice-card">
                  <strong>
                    <input type="radio" name="chargingMode" value={mode} checked={values.chargingMode === mode} /> {CHARGING_MODE_LABELS[mode]}
                  </strong>
                  <span>{CHARGING_MODE_HELP[mode]}</span>
                </label>
              ))}
              {errors.chargingMode ? (
                <p class="error" role="alert">
                  {errors.chargingMode}
                </p>
              ) : null}
            </fieldset>

            <h3 class="settings-sub">Pricing scheme</h3>
            <p class="hint settings-sub-help">
              For automatic charges, like a taxi meter: the free minutes, then the price per block even for a shorter chat, then the same rate pro rata in started 30-second steps.
            </p>
            <LivePricing url="/admin/pricing-preview">
              <SchemeFields
                values={values}
                errors={errors}
                holdNote="Charge what has built up whenever it reaches this amount, limiting what an unpaid card can cost you; the card is held for this much before the chat. At least the price per block. Empty: one charge when the chat ends."
              />
              <UnitField
                name="authorisationAmount"
                label={SCHEME_LABELS.authorisationAmount}
                value={values.authorisationAmount}
                errors={errors}
                suffix={values.pricingCurrency}
                money
                placeholder={minorDigits(values.pricingCurrency) === 0 ? "5000" : "50.00"}
                hint="Held on the customer's card before the chat when there is no split threshold; at least the price per block. What is not charged is released."
              />
              <RoomPricingPreview preview={pricingPreview} />
            </LivePricing>
            <Toggle
              name="allowAgentPricing"
              values={values}
              label="Allow agents' own pricing"
              help="Each agent may set their own pricing scheme in their private profile. It applies in the agent's private room only, when the private room uses this room's settings."
            />

            <h3 class="settings-sub">Agent phone</h3>
            <Toggle
              name="phoneTimerStart"
              values={values}
              label="Start / Resume charges timer"
              help="The agent starts the meter, e.g. once voice and video work, and resumes it after a pause. Off: the meter starts as soon as the customer is connected."
            />
            <Toggle
              name="phoneTimerStop"
              values={values}
              label="Stop / Pause charges timer"
              help="The agent may pause or stop the meter, e.g. for a casual chat after the paid part. Off: it runs until the chat ends."
            />
          </Section>

          <Section
            id="public-profile"
            title="Public profile @ chat room"
            help="Who the room's emails to customers come from: left messages, email alerts, transcripts and receipts. Each room may stand for a different client company. Empty: your company's own name and contact email."
          >
            <div class="grid-2">
              <Field
                name="publicCompanyName"
                label="Company name"
                value={values.publicCompanyName}
                errors={errors}
                maxlength={80}
                placeholder={companyName}
                hint="The sender's name of the emails."
              />
              <Field
                name="publicContactEmail"
                label="Contact email"
                type="email"
                value={values.publicContactEmail}
                errors={errors}
                maxlength={254}
                placeholder="help@example.com"
                hint="Customers' replies go to this address."
              />
            </div>
          </Section>

          <Section
            id="share-embed"
            title="Share & embed"
            help="A sticky chat button and pop-up contact form on any web page, the room's links, and its service staff statistics. Copy them with the buttons."
          >
            {usable ? null : (
              <p class="alert alert-warn small" role="note">
                {plan === "free"
                  ? "On the Forever Free plan this room takes no chats: its button and links work once you upgrade."
                  : "This room is past your plan's rooms and takes no chats: its button and links work once it is among them again."}
              </p>
            )}
            <h3 class="settings-sub">Button on your website</h3>
            <div class="embed-settings">
              <div class="stack">
                <div class="settings-rows">
                  <Segmented
                    name="embedPosition"
                    legend="Position"
                    value={values.embedPosition}
                    error={errors.embedPosition}
                    options={[
                      { value: "right", label: "Bottom right" },
                      { value: "left", label: "Bottom left" },
                    ]}
                  />
                </div>
                <Toggle name="embedPopup" values={values} label="Pop-up contact form" help="The button opens the contact form in a small window beside your page. Off: in a new tab." />
                <Field
                  name="embedWhisperText"
                  label="Whisper text"
                  value={values.embedWhisperText}
                  errors={errors}
                  maxlength={WHISPER_MAX}
                  hint="A bubble above the button once a visitor has stayed a while. Empty: no whisper."
                />
                <NumberField
                  name="embedWhisperDelaySeconds"
                  label="Whisper after"
                  value={values.embedWhisperDelaySeconds}
                  error={errors.embedWhisperDelaySeconds}
                  max={WHISPER_DELAY_MAX_SECONDS}
                  hint={`How long a visitor stays on the page before the whisper shows (0–${WHISPER_DELAY_MAX_SECONDS}).`}
                />
              </div>
              <EmbedPreview
                model={{
                  theme: /^#[0-9a-fA-F]{6}$/.test(values.theme) ? values.theme : room.theme,
                  position: values.embedPosition,
                  popup: values.embedPopup,
                  whisper: values.embedWhisperText.trim(),
                  header: values.formHeader,
                  subheader: values.formSubheader,
                  companyName: values.formCompanyName.trim() || companyName,
                }}
              />
            </div>
            <RoomShareFields links={links} />
          </Section>

          <div class="save-bar">
            <span class="muted small">Changes apply to new chats in {room.name}.</span>
            <a href={action} class="btn btn-ghost">
              Discard changes
            </a>
            <button type="submit" class="btn btn-primary">
              Save settings
            </button>
          </div>
        </form>
      </div>
    </Layout>
  );
}

/** The room's price in words; also the fragment /admin/pricing-preview answers while the admin types. */
export function RoomPricingPreview({ preview }: { preview: PreviewModel }) {
  return <PricingPreview preview={preview} note="Customers of a room with automatic charges read this before they authorise their card." />;
}

function Section({ id, title, help, children }: { id: string; title: string; help: string; children?: Child }) {
  return (
    <section class="card settings-section" id={id} aria-labelledby={`${id}-title`}>
      <header class="settings-section-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <p class="muted small">{help}</p>
      </header>
      <div class="stack">{children}</div>
    </section>
  );
}

/** A row of radio buttons that looks like a segmented switch; one fieldset per setting. */
function Segmented({ name, legend, value, options, error }: { name: string; legend: string; value: string; options: { value: string; label: string }[]; error?: string }) {
  return (
    <fieldset class={error ? "settings-row has-error" : "settings-row"} id={`g-${name}`}>
      <legend>{legend}</legend>
      <div class="segmented">
        {options.map((o) => (
          <label>
            <input type="radio" name={name} value={o.value} checked={o.value === value} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function Toggle({ name, label, help, values }: { name: ToggleKey; label: string; help: string; values: RoomSettingsValues }) {
  const id = `f-${name}`;
  return (
    <div class="toggle-row">
      <div>
        <label for={id} class="toggle-label">
          {label}
        </label>
        <p class="hint" id={`${id}-help`}>
          {help}
        </p>
      </div>
      <input id={id} name={name} type="checkbox" role="switch" class="switch" checked={values[name]} aria-describedby={`${id}-help`} />
    </div>
  );
}

/** A whole number of seconds, with its unit beside the box. */
function NumberField({ name, label, value, error, max, hint }: { name: string; label: string; value: string; error?: string; max: number; hint: string }) {
  const id = `f-${name}`;
  return (
    <div class={error ? "field has-error" : "field"}>
      <label for={id}>{label}</label>
      <div class="input-suffix">
        <input
          id={id}
          name={name}
          type="number"
          inputmode="numeric"
          min={0}
          max={max}
          step={1}
          required
          value={value}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-help`}
        />
        <span>seconds</span>
      </div>
      <FieldNote id={id} error={error} hint={hint} />
    </div>
  );
}
