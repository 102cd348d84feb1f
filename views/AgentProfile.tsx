import type { Child } from "hono/jsx";
import type { AgentProfileRow } from "../worker/stores/agent-profiles";
import { RINGTONES, type OwnPricingValues } from "../worker/agents/profile";
import { MAX_PHOTO_BYTES, MAX_PHOTO_MB } from "../worker/agents/photo";
import type { Room } from "../worker/rooms/room";
import { Avatar } from "./live/ChatParts";
import { Field, FormAlert, type Errors } from "./Form";
import { CsrfField, Layout } from "./Layout";
import { PushDevices } from "./PushDevices";
import type { SubscribedDevice } from "../worker/push/subscription";
import { LivePricing, PricingPreview, SchemeFields, type PreviewModel } from "./PricingFields";

export type ProfileValues = Partial<Record<"photo" | "photoUrl" | "uploadedPhotoUrl" | "greeting" | "ringtone" | "whatsappNumber" | "privateRoomId", string>> &
  Partial<Record<"whatsappEnabled" | "notificationAlert" | "emailAlert", boolean>>;

/** The own-pricing part of Service charges; absent when no room of the company allows it. */
export type OwnPricingSection = { values: OwnPricingValues; preview: PreviewModel };

type Props = {
  name: string;
  /** The agent's private room address, /c/{company}/~{handle}. */
  privateRoomPath: string;
  values: ProfileValues;
  ownPricing?: OwnPricingSection;
  profile: AgentProfileRow | undefined;
  rooms: Room[];
  servedRoomNames: string[];
  errors?: Errors;
  saved?: boolean;
  /** The agent's devices for Web Push, and the key browsers subscribe with (null: push not set up). */
  push: { devices: SubscribedDevice[]; vapidKey: string | null };
};

function Check({ name, label, hint, checked, data = {} }: { name: string; label: string; hint: Child; checked?: boolean; data?: Record<string, string> }) {
  return (
    <div class="toggle-row">
      <div>
        <label for={`f-${name}`} class="toggle-label">
          {label}
        </label>
        <p class="hint">{hint}</p>
      </div>
      <input id={`f-${name}`} name={name} type="checkbox" role="switch" class="switch" checked={checked} {...data} />
    </div>
  );
}

/** The agent's private profile: what customers see first, how the agent is rung and reached. */
export function AgentProfilePage({ name, privateRoomPath, values, ownPricing, profile, rooms, servedRoomNames, errors = {}, saved, push }: Props) {
  const failed = Object.keys(errors).length > 0;
  return (
    <Layout title="Private profile" app>
      <div class="page-head">
        <div>
          <h1>Private profile</h1>
          <p class="muted">Not shared with the public, except your photo and greeting, which each customer sees first.</p>
        </div>
      </div>
      {saved ? (
        <p class="alert alert-ok" role="status">
          Saved. Your next chats use these settings.
        </p>
      ) : null}
      <FormAlert message={failed ? "Nothing was saved: please correct the fields marked below." : null} />
      <form method="post" action="/agent/profile" enctype="multipart/form-data" class="stack profile-form">
        <CsrfField />
        <section class="card">
          <h2>Customer greeting &amp; photo</h2>
          <div class="profile-preview">
            <Avatar name={name} photoUrl={profile?.photoUrl ?? null} size={56} />
            <div>
              <strong>{name}</strong>
              <p class="muted small">{values.greeting}</p>
            </div>
          </div>
          <PhotoFields values={values} errors={errors} />
          <div class={errors.greeting ? "field has-error" : "field"}>
            <label for="f-greeting">Greeting to customers</label>
            <textarea id="f-greeting" name="greeting" rows={2} maxlength={300} required>
              {values.greeting ?? ""}
            </textarea>
            {errors.greeting ? <p class="error">{errors.greeting}</p> : null}
          </div>
        </section>

        <section class="card">
          <h2>Ringing and rooms</h2>
          <div class="grid-2">
            <div class="field">
              <label for="f-ringtone">Ringtone</label>
              <select id="f-ringtone" name="ringtone">
                {RINGTONES.map((r) => (
                  <option value={r.value} selected={values.ringtone === r.value}>
                    {r.label}
                  </option>
                ))}
              </select>
              <p class="hint">Phone browsers (Android, iOS) do not play ringtones; the incoming chat still flashes.</p>
            </div>
            <div class={errors.privateRoomId ? "field has-error" : "field"}>
              <label for="f-privateRoomId">Private room uses the settings of</label>
              <select id="f-privateRoomId" name="privateRoomId">
                {rooms.map((r) => (
                  <option value={r.id} selected={values.privateRoomId === r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
              {errors.privateRoomId ? <p class="error">{errors.privateRoomId}</p> : <p class="hint">Chats in your private room come to you only.</p>}
            </div>
          </div>
          <p class="small muted">
            Hotlines you serve: {servedRoomNames.length ? servedRoomNames.map((n) => <span class="chip">{n}</span>) : "none yet"} — your administrator assigns them.
          </p>
        </section>

        <section class="card">
          <h2>WhatsApp chat</h2>
          <Check name="whatsappEnabled" label="Take WhatsApp chats" hint="Parley may send customers to your WhatsApp." checked={values.whatsappEnabled} />
          <Field
            name="whatsappNumber"
            label="WhatsApp phone number"
            value={values.whatsappNumber}
            errors={errors}
            hint={
              <>
                Country code first, digits only: 447700900123, not +44-(0)7700 900123.{" "}
                {values.whatsappNumber ? (
                  <a href={`https://wa.me/${values.whatsappNumber}`} target="_blank" rel="noopener">
                    Verify
                  </a>
                ) : null}
              </>
            }
          />
        </section>

        <section class="card" data-controller="notification-permission">
          <h2>Alerts</h2>
          <Check
            name="notificationAlert"
            label="Notification alert"
            hint="Show a browser notification when a chat rings, also while the console is in another tab. This browser asks your permission once."
            checked={values.notificationAlert}
            data={{ "data-notification-permission-target": "switch", "data-action": "change->notification-permission#ask" }}
          />
          <p class="alert alert-warn small" role="status" data-notification-permission-target="status" hidden></p>
          <PushDevices devices={push.devices} vapidKey={push.vapidKey} />
          <Check
            name="emailAlert"
            label="Email alert"
            hint="Email me when a customer leaves a message for my rooms, or adds an alert while no agent is free."
            checked={values.emailAlert}
          />
        </section>

        <section class="card" id="service-charges">
          <h2>Service charges</h2>
          <h3 class="settings-sub">Payment from customer</h3>
          <p class="small">
            Manual payment request: <strong>{profile?.manualPaymentAllowed ? "enabled" : "not enabled"}</strong> by your administrator.
          </p>
          <p class="hint">
            With it you send the customer an invoice during a chat, paid by card with Pay Now. The button shows in rooms that take manual payment requests. Only your administrator can switch
            this on or off.
          </p>

          <h3 class="settings-sub">Automatic charges with your own pricing</h3>
          {ownPricing ? (
            <OwnPricingFields section={ownPricing} errors={errors} privateRoomPath={privateRoomPath} privateRoom={rooms.find((r) => r.id === values.privateRoomId)} />
          ) : (
            <p class="muted small">None of your company's rooms allows agents' own pricing. Your administrator can allow it in a room's In-app purchase settings.</p>
          )}
        </section>

        <div class="save-bar">
          <a href="/agent" class="btn btn-ghost">
            Back to console
          </a>
          <button type="submit" class="btn btn-primary">
            Save profile
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** Upload, web address or initials (the spec's three); choosing a file or typing an address ticks its option. */
function PhotoFields({ values, errors }: { values: ProfileValues; errors: Errors }) {
  const choice = values.photo ?? "initials";
  const option = (value: string, title: string, hint: string) => (
    <label class="choice-card">
      <input type="radio" name="photo" value={value} checked={choice === value} data-photo-choice-target={value} />
      <strong>{title}</strong>
      <span>{hint}</span>
    </label>
  );
  const fileError = errors.photoFile;
  return (
    <div class="stack photo-fields" data-controller="photo-choice" data-photo-choice-max-bytes-value={MAX_PHOTO_BYTES}>
      <fieldset class={errors.photo ? "choice choice-3 has-error" : "choice choice-3"}>
        <legend>Photo</legend>
        {option("upload", "Upload a photo", `JPEG, PNG or WebP, at most ${MAX_PHOTO_MB} MB.`)}
        {option("url", "Photo from the web", "The https:// address of a photo of yours.")}
        {option("initials", "My initials", "An avatar made from your name.")}
        {errors.photo ? <p class="error">{errors.photo}</p> : null}
      </fieldset>
      <div class={fileError ? "field has-error" : "field"}>
        <label for="f-photoFile">Photo to upload</label>
        <input
          id="f-photoFile"
          name="photoFile"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          aria-invalid={fileError ? "true" : undefined}
          aria-describedby={fileError ? "f-photoFile-error" : "f-photoFile-note"}
          data-action="photo-choice#fileChosen"
        />
        <p class="error" id="f-photoFile-error" role="alert" data-photo-choice-target="fileError" hidden={!fileError}>
          {fileError}
        </p>
        {values.uploadedPhotoUrl ? <p class="hint">Leave it empty to keep the photo you uploaded before.</p> : null}
        <p class="alert alert-warn small" role="note" id="f-photoFile-note">
          Uploaded photos are public: anyone with the photo's address can see it, even though the rest of this profile is private.
        </p>
      </div>
      <div data-action="input->photo-choice#addressTyped">
        <Field name="photoUrl" label="Photo's web address" type="url" value={values.photoUrl} errors={errors} placeholder="https://" maxlength={500} />
      </div>
    </div>
  );
}

function OwnPricingFields({ section, errors, privateRoomPath, privateRoom }: { section: OwnPricingSection; errors: Errors; privateRoomPath: string; privateRoom: Room | undefined }) {
  // Own pricing is charged only where the private room's settings room allows it and charges automatically.
  const effective = privateRoom?.allowAgentPricing && privateRoom.chargingMode === "automatic";
  return (
    <>
      <Check
        name="ownPricingEnabled"
        label="Use my own pricing scheme"
        checked={section.values.ownPricingEnabled}
        hint={
          <>
            Applies in your private room only (<code>{privateRoomPath}</code>), instead of the room's price. Every other room charges its own price.
          </>
        }
      />
      {privateRoom && !effective ? (
        <p class="alert alert-warn small" role="note">
          Your private room uses the settings of {privateRoom.name}, which {privateRoom.chargingMode === "automatic" ? "does not allow agents' own pricing" : "takes no automatic charges"}: customers there do not
          see your pricing until you choose a room that does.
        </p>
      ) : null}
      <LivePricing url="/agent/profile/pricing-preview">
        <SchemeFields
          values={section.values}
          errors={errors}
          thresholdRequired
          holdNote="Required for your own pricing: customers' cards are held for this amount before each chat, and what has built up is charged whenever it reaches it. At least the price per block."
        />
        <OwnPricingPreview preview={section.preview} />
      </LivePricing>
    </>
  );
}

/** The agent's price in words; also the fragment /agent/profile/pricing-preview answers while typing. */
export function OwnPricingPreview({ preview }: { preview: PreviewModel }) {
  return <PricingPreview preview={preview} note="Customers of your private room read this before they authorise their card, once your own pricing is on." />;
}
