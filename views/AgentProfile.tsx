import type { agentProfiles } from "../worker/db/schema";
import { RINGTONES } from "../worker/agents/profile";
import type { Room } from "../worker/rooms/queries";
import { Avatar } from "./live/ChatFragments";
import { Field, FormAlert, type Errors } from "./Form";
import { CsrfField, Layout } from "./Layout";

export type ProfileValues = Partial<Record<"photoUrl" | "greeting" | "ringtone" | "whatsappNumber" | "privateRoomId", string>> &
  Partial<Record<"whatsappEnabled" | "notificationAlert" | "emailAlert", boolean>>;

type Props = {
  name: string;
  values: ProfileValues;
  profile: typeof agentProfiles.$inferSelect | undefined;
  rooms: Room[];
  servedRoomNames: string[];
  errors?: Errors;
  saved?: boolean;
};

function Check({ name, label, hint, checked }: { name: string; label: string; hint: string; checked?: boolean }) {
  return (
    <div class="toggle-row">
      <div>
        <label for={`f-${name}`} class="toggle-label">
          {label}
        </label>
        <p class="hint">{hint}</p>
      </div>
      <input id={`f-${name}`} name={name} type="checkbox" role="switch" class="switch" checked={checked} />
    </div>
  );
}

/** The agent's private profile: what customers see first, how the agent is rung and reached. */
export function AgentProfilePage({ name, values, profile, rooms, servedRoomNames, errors = {}, saved }: Props) {
  const failed = Object.keys(errors).length > 0;
  return (
    <Layout title="Private profile">
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
      <form method="post" action="/agent/profile" class="stack profile-form">
        <CsrfField />
        <section class="card">
          <h2>Customer greeting &amp; photo</h2>
          <div class="profile-preview">
            <Avatar name={name} photoUrl={values.photoUrl || null} size={56} />
            <div>
              <strong>{name}</strong>
              <p class="muted small">{values.greeting}</p>
            </div>
          </div>
          <Field name="photoUrl" label="Photo URL" type="url" value={values.photoUrl} errors={errors} hint="Leave blank for an avatar with your initials." />
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

        <section class="card">
          <h2>Alerts</h2>
          <Check name="notificationAlert" label="Notification alert" hint="Show a browser notification when a chat rings." checked={values.notificationAlert} />
          <Check name="emailAlert" label="Email alert" hint="Email me when a waiting customer adds an alert." checked={values.emailAlert} />
        </section>

        <section class="card">
          <h2>Service charges</h2>
          <p class="muted small">
            Manual payment request: <strong>{profile?.manualPaymentAllowed ? "enabled" : "not enabled"}</strong> by your administrator.
          </p>
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
