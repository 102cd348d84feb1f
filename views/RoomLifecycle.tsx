import type { Plan } from "../worker/accounts/company";
import { roomLimitReached } from "../worker/accounts/plan-limits";
import type { Room } from "../worker/rooms/room";
import { GENERAL } from "../worker/rooms/presets";
import { ROOM_NAME_MAX } from "../worker/rooms/room-name";
import { Field, FormActions, FormAlert, type Errors } from "./Form";
import { CsrfField, Layout } from "./Layout";

// An admin opens, renames and retires rooms (worker/stores/room-changes.ts), each on its own page.

const GENERAL_STAYS = "GENERAL is your default room: it keeps its name and cannot be retired.";

const NAME_HINT = `Upper-case words joined by underscores, like SALES or BILLING_SUPPORT (at most ${ROOM_NAME_MAX} characters). It is part of the room's links.`;

/** A new room's name. `limit`: the plan allows no more rooms, and why. */
export function NewRoomPage({ name, errors = {}, limit }: { name?: string; errors?: Errors; limit?: string | null }) {
  return (
    <Layout title="New room">
      <p class="crumb">
        <a href="/admin">← Rooms</a>
      </p>
      <section class="card form-card">
        <h1>New chat room</h1>
        {limit ? (
          <div class="alert alert-warn" role="status">
            {limit}
          </div>
        ) : (
          <form method="post" action="/admin/rooms" class="stack">
            <CsrfField />
            <FormAlert message={errors.form} />
            <p class="muted">A room has its own link, contact form and pricing. It starts with the settings of your GENERAL room; you can change them next.</p>
            <Field name="name" label="Room name" value={name} errors={errors} required maxlength={ROOM_NAME_MAX + 20} placeholder="SALES" hint={NAME_HINT} />
            <FormActions submit="Create room" cancel="/admin" />
          </form>
        )}
      </section>
    </Layout>
  );
}

/** A room's new name; links to the old one keep working. */
export function RenameRoomPage({ room, name, errors = {} }: { room: Room; name?: string; errors?: Errors }) {
  return (
    <Layout title={`Rename ${room.name}`}>
      <p class="crumb">
        <a href={`/admin/rooms/${room.id}`}>← {room.name} settings</a>
      </p>
      <section class="card form-card">
        <h1>
          Rename <span class="room-title">{room.name}</span>
        </h1>
        <form method="post" action={`/admin/rooms/${room.id}/rename`} class="stack">
          <CsrfField />
          <FormAlert message={errors.form} />
          <p class="muted">
            Links, embedded buttons and statistics URLs with the old name keep working: they lead to the new name. Agents' consoles reconnect by themselves to take the room's chats under its new
            name.
          </p>
          <Field name="name" label="New name" value={name ?? room.name} errors={errors} required maxlength={ROOM_NAME_MAX + 20} hint={NAME_HINT} />
          <FormActions submit="Rename room" cancel={`/admin/rooms/${room.id}`} />
        </form>
      </section>
    </Layout>
  );
}

/** What retiring a room does, and the button that does it (never for GENERAL). */
export function RetireRoomPage({ room, error }: { room: Room; error?: string }) {
  const general = room.name === GENERAL;
  return (
    <Layout title={`Retire ${room.name}`}>
      <p class="crumb">
        <a href={`/admin/rooms/${room.id}`}>← {room.name} settings</a>
      </p>
      <section class="card form-card">
        <h1>
          Retire <span class="room-title">{room.name}</span>?
        </h1>
        <FormAlert message={error ?? (general ? GENERAL_STAYS : undefined)} />
        {general ? null : <RetireForm room={room} />}
      </section>
    </Layout>
  );
}

function RetireForm({ room }: { room: Room }) {
  return (
    <>
      <ul>
        <li>Customers who open its link or its embedded button are told the room has closed, with a link to your GENERAL room.</li>
        <li>It leaves your list of rooms and every agent's rooms; agents' private rooms that used its settings use GENERAL's.</li>
        <li>Its chat records, transcripts and revenue stay, under its name.</li>
        <li>Its name stays reserved, so an old link never reaches a different room.</li>
      </ul>
      <form method="post" action={`/admin/rooms/${room.id}/retire`} class="actions">
        <CsrfField />
        <button type="submit" class="btn btn-danger">
          Retire {room.name}
        </button>
        <a href={`/admin/rooms/${room.id}`} class="btn btn-ghost">
          Keep it
        </a>
      </form>
    </>
  );
}

export type RoomChange = "created" | "renamed" | "reopened";

/** On a room's settings page: what just happened to it, and the links to rename or retire it. */
export function RoomLifecycleBar({ room, changed }: { room: Room; changed?: RoomChange }) {
  return (
    <>
      {changed === "created" ? (
        <div class="alert alert-ok settings-flash" role="status">
          <strong>{room.name} is open.</strong> It has your GENERAL room's settings; change them below. No agent serves it yet:{" "}
          <a href="/admin/agents">choose its agents on Agent staff</a>.
        </div>
      ) : changed === "reopened" ? (
        <div class="alert alert-ok settings-flash" role="status">
          <strong>{room.name} is open again.</strong> Its link works again and its settings are as they were. No agent serves it yet:{" "}
          <a href="/admin/agents">choose its agents on Agent staff</a>.
        </div>
      ) : changed === "renamed" ? (
        <div class="alert alert-ok settings-flash" role="status">
          <strong>Renamed to {room.name}.</strong> Links with the old name lead here; agents' consoles reconnected to take its chats.
        </div>
      ) : null}
      {room.name === GENERAL ? (
        <p class="room-lifecycle small muted">{GENERAL_STAYS}</p>
      ) : (
        <p class="room-lifecycle small">
          <a href={`/admin/rooms/${room.id}/rename`}>Rename</a> · <a href={`/admin/rooms/${room.id}/retire`}>Retire this room</a>
        </p>
      )}
    </>
  );
}

/** The rooms list's "New room" button, or why the plan allows no more. */
export function NewRoomLink({ plan, open }: { plan: Plan; open: number }) {
  const limit = roomLimitReached(plan, open);
  return limit ? (
    <p class="small muted rooms-limit">
      {limit} {plan === "enterprise" ? null : <a href="/admin/plan">See plans</a>}
    </p>
  ) : (
    <a href="/admin/rooms/new" class="btn btn-primary btn-small">
      + New room
    </a>
  );
}
