import type { Company } from "../worker/accounts/company";
import type { Room } from "../worker/rooms/room";
import { GENERAL } from "../worker/rooms/presets";
import { keptRoomsNote, lockedLabel, lockedReason, usableRoomIds } from "../worker/rooms/usable-rooms";
import { PLAN_LIMITS } from "../worker/accounts/plan-limits";
import type { EntitlementUsage } from "../worker/accounts/entitlement";
import type { PlanStanding } from "../worker/accounts/subscription";
import { utcLongDate } from "../worker/format/utc";
import { CsrfField, Layout } from "./Layout";
import { StandingAlert } from "./PlanPage";
import { NewRoomLink } from "./RoomLifecycle";
import type { ChecklistStep } from "../worker/accounts/first-run";
import { Icon } from "./Icon";

const CHARGING = { none: "No charges", manual: "Manual payment request", automatic: "Automatic charges" } as const;

export type RoomListItem = { room: Room; agentCount: number };

export function AdminHome({
  company,
  usage,
  rooms,
  origin,
  heldMail,
  standing,
  checklist,
  retiredRooms,
  justRetired,
  error,
}: {
  company: Company;
  /** The company's entitlement this month. */
  usage: EntitlementUsage;
  rooms: RoomListItem[];
  retiredRooms: RetiredRoom[];
  origin: string;
  heldMail: number;
  standing: PlanStanding;
  checklist: ChecklistStep[];
  /** The room the admin retired a moment ago, offered back at once. */
  justRetired?: RetiredRoom;
  error?: string | null;
}) {
  const { used, chats, emails, quota, usedUp, resetsAt } = usage;
  const pct = Math.min(100, Math.round((used / Math.max(1, quota)) * 100));
  const usable = usableRoomIds(company.plan, rooms.map((r) => r.room));
  return (
    <Layout title="Rooms">
      <div class="page-head">
        <div>
          <h1>{company.name}</h1>
          <p class="muted">
            {company.accountType === "solo" ? "Solo User" : "Company"} account · <a href="/admin/plan" class="badge">{PLAN_LIMITS[company.plan].name}</a>
          </p>
        </div>
        <section class="card entitlement" aria-label="Company entitlements">
          <p class="entitlement-label">Company entitlements</p>
          <p class="entitlement-figure">
            <strong>{used.toLocaleString("en")}</strong> of {quota.toLocaleString("en")} used this month
          </p>
          <p class="small muted entitlement-split">
            {chats.toLocaleString("en")} {chats === 1 ? "chat" : "chats"} · {emails.toLocaleString("en")} {emails === 1 ? "email" : "emails"} · <a href="/admin/mail">Mail log</a>
          </p>
          <div class="meter" role="progressbar" aria-label="Company entitlements used this month" aria-valuemin={0} aria-valuemax={quota} aria-valuenow={used}>
            <span style={`width:${pct}%`}></span>
          </div>
          <p class="small muted entitlement-resets">Starts again at 0 on {utcLongDate(resetsAt)}, 00:00&nbsp;UTC</p>
          {heldMail ? (
            <p class="small entitlement-held" role="status">
              <a href="/admin/mail">{heldMail === 1 ? "1 email held" : `${heldMail} emails held`}</a>
              {usedUp ? ": the entitlement is used up." : ": going out within minutes."}
            </p>
          ) : null}
        </section>
      </div>
      <StandingAlert standing={standing} />

      {checklist.every((step) => step.done) ? null : <FirstRunChecklist steps={checklist} snippet={embedSnippet(origin, company.slug, rooms[0]?.room.name)} />}

      {justRetired ? (
        <div class="alert alert-ok settings-flash" role="status">
          <strong>{justRetired.name} is retired.</strong> Its link now tells customers it closed; its chat records and revenue are kept.{" "}
          <ReopenForm room={justRetired} label="Undo" />
        </div>
      ) : null}
      {error ? (
        <div class="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      <section class="card" id="rooms">
        <div class="rooms-head">
          <h2>Chat rooms</h2>
          <NewRoomLink plan={company.plan} open={rooms.length} />
        </div>
        <p class="muted">Customers reach your agents through these links. Share them, or embed the pop-up on your site.</p>
        {usable.size < rooms.length ? (
          <p class="alert alert-warn small rooms-kept" role="note">
            {keptRoomsNote(company.plan)} {company.plan === "enterprise" ? null : <a href="/admin/plan">See plans</a>}
          </p>
        ) : null}
        <ul class="room-list">
          {rooms.map(({ room, agentCount }, i) => {
            const open = usable.has(room.id);
            const url = `${origin}/c/${company.slug}/${room.name}`;
            // The list is in the order the plan keeps rooms in: the locked ones are its end.
            const firstLocked = !open && i === usable.size;
            return (
              <>
                {firstLocked ? (
                  <li class="rooms-cut">
                    <span>
                      Locked: past your plan&apos;s {usable.size} {usable.size === 1 ? "room" : "rooms"}
                    </span>
                  </li>
                ) : null}
                <li class={open ? "room" : "room locked"} data-room={room.name} id={`room-${room.id}`}>
                  <div class="room-main">
                    <h3>
                      {room.name}
                      {open ? null : <span class="badge badge-muted">{lockedLabel(company.plan)}</span>}
                    </h3>
                    <p class="muted small">
                      {CHARGING[room.chargingMode]} · {agentCount} {agentCount === 1 ? "agent" : "agents"}
                    </p>
                  </div>
                  <div class="room-side">
                    {open ? (
                      <div class="room-links">
                        <a class="url" href={url} target="_blank" rel="noopener">
                          {url}
                        </a>
                        <span class="small muted">
                          also <a href={`${url}?mode=voice`}>voice</a> · <a href={`${url}?mode=video`}>video</a> ·{" "}
                          <a href={`/admin/rooms/${room.id}#share-embed`}>embed code &amp; all links</a>
                        </span>
                      </div>
                    ) : (
                      <p class="small muted room-locked-reason">
                        {lockedReason(company.plan)} {company.plan === "enterprise" ? null : <a href="/admin/plan">See plans</a>}
                      </p>
                    )}
                    <div class="room-actions">
                      {room.name === GENERAL ? null : <MoveButtons room={room} up={i > 1} down={i < rooms.length - 1} />}
                      <a href={`/admin/rooms/${room.id}`} class="btn btn-ghost btn-small room-settings-link" aria-label={`Settings of ${room.name}`}>
                        Settings
                      </a>
                    </div>
                  </div>
                </li>
              </>
            );
          })}
        </ul>
      </section>
      {retiredRooms.length ? <RetiredRooms rooms={retiredRooms} /> : null}
    </Layout>
  );
}

/**
 * Up and down a place in the rooms list, which is also the order in which the plan keeps rooms
 * usable (GENERAL stays first). `up`/`down`: whether there is a place to move to.
 */
function MoveButtons({ room, up, down }: { room: Room; up: boolean; down: boolean }) {
  if (!up && !down) return null;
  return (
    <form method="post" action={`/admin/rooms/${room.id}/move`} class="inline room-move">
      <CsrfField />
      <button type="submit" name="direction" value="up" class="btn btn-ghost btn-small" aria-label={`Move ${room.name} up`} title="Move up" disabled={!up}>
        <Icon name="up" size={16} />
      </button>
      <button type="submit" name="direction" value="down" class="btn btn-ghost btn-small" aria-label={`Move ${room.name} down`} title="Move down" disabled={!down}>
        <Icon name="down" size={16} />
      </button>
    </form>
  );
}

export type RetiredRoom = { id: string; name: string; retiredAt: number | null };

/** Rooms the company closed, kept with their records; each can be opened again. */
function RetiredRooms({ rooms }: { rooms: RetiredRoom[] }) {
  return (
    <section class="card" id="retired-rooms">
      <h2>Retired rooms</h2>
      <p class="muted small">Their links tell customers they closed; their chat records and revenue are kept. Reopen one to take chats in it again.</p>
      <ul class="retired-list">
        {rooms.map((room) => (
          <li data-retired-room={room.name}>
            <span>
              <strong>{room.name}</strong>
              {room.retiredAt ? <span class="small muted"> · retired {new Date(room.retiredAt).toISOString().slice(0, 10)}</span> : null}
            </span>
            <ReopenForm room={room} label="Reopen" />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReopenForm({ room, label }: { room: RetiredRoom; label: string }) {
  return (
    <form method="post" action={`/admin/rooms/${room.id}/reopen`} class="inline">
      <CsrfField />
      <button type="submit" class="btn btn-ghost btn-small" aria-label={`Reopen ${room.name}`}>
        {label}
      </button>
    </form>
  );
}

const embedSnippet = (origin: string, slug: string, room: string | undefined) => (room ? `<script src="${origin}/embed/${slug}/${room}.js" async></script>` : null);

/** A new company's first steps, each ticked from what has happened (worker/accounts/first-run.ts); gone once all are done. */
function FirstRunChecklist({ steps, snippet }: { steps: ChecklistStep[]; snippet: string | null }) {
  const done = steps.filter((s) => s.done).length;
  return (
    <section class="card checklist" aria-labelledby="checklist-title">
      <div class="checklist-head">
        <h2 id="checklist-title">Get ready for your first customers</h2>
        <p class="small muted">
          {done} of {steps.length} done
        </p>
      </div>
      <ol class="checklist-steps">
        {steps.map((step) => (
          <li class={step.done ? "checklist-step done" : "checklist-step"} data-step={step.id}>
            <span class="checklist-mark" aria-hidden="true">
              {step.done ? <Icon name="check" /> : null}
            </span>
            <div class="checklist-text">
              <h3>
                {step.title}
                <span class="visually-hidden">{step.done ? " (done)" : " (to do)"}</span>
              </h3>
              <p class="small muted">{step.detail}</p>
              {step.id === "embed" && !step.done && snippet ? <code class="checklist-snippet">{snippet}</code> : null}
            </div>
            {step.done ? null : (
              <a href={step.href} class="btn btn-ghost btn-small" target={step.id === "link" ? "_blank" : undefined} rel={step.id === "link" ? "noopener" : undefined}>
                {step.action}
              </a>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
