import type { AgentRow } from "../worker/accounts/agents";
import type { Room } from "../worker/rooms/room";
import { lockedLabel, usableRoomIds } from "../worker/rooms/usable-rooms";
import { roomLimit } from "../worker/accounts/plan-limits";
import { CsrfField, Layout } from "./Layout";
import { Field, FormActions, FormAlert, type Errors } from "./Form";
import { privateRoomLinks } from "../worker/rooms/share-links";
import { ContactLinkFields } from "./ShareLinks";

type Plan = "free" | "pro" | "enterprise";

type Admin = { isAgent: boolean; accountType: "solo" | "company" };

export function AgentStaffPage({ agents, rooms, plan, companySlug, origin, admin }: { agents: AgentRow[]; rooms: Room[]; plan: Plan; companySlug: string; origin: string; admin: Admin }) {
  const roomName = new Map(rooms.map((r) => [r.id, r.name]));
  return (
    <Layout title="Agent staff">
      <div class="page-head">
        <div>
          <h1>Agent staff</h1>
          <p class="muted">Who answers your customers, and in which rooms.</p>
        </div>
        <a href="/admin/agents/new" class="btn btn-primary">
          Add agent
        </a>
      </div>
      {admin.accountType === "company" ? <TakesChats on={admin.isAgent} /> : null}
      <section class="card">
        {agents.length ? (
          <table class="table" id="agents">
            <thead>
              <tr>
                <th>Agent</th>
                <th>Rooms (hotlines)</th>
                <th>Private room</th>
                <th>Status</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr data-agent={a.email}>
                  <td>
                    <strong>{a.name}</strong>
                    {a.isAdmin ? <span class="badge">admin</span> : null}
                    <div class="muted small">{a.email}</div>
                  </td>
                  <td>
                    {a.roomIds.length ? (
                      a.roomIds.map((id) => <span class="chip">{roomName.get(id)}</span>)
                    ) : (
                      <span class="muted small">No rooms yet</span>
                    )}
                  </td>
                  <td class="small">
                    <details class="private-links">
                      <summary>
                        <code>
                          /c/{companySlug}/~{a.handle}
                        </code>
                      </summary>
                      <ContactLinkFields links={privateRoomLinks(origin, companySlug, a.handle)} idPrefix={`agent-${a.id}`} />
                    </details>
                  </td>
                  <td>
                    {a.disabled ? <span class="badge badge-danger">Disabled</span> : <span class="badge badge-ok">Active</span>}
                    {a.manualPaymentAllowed ? <div class="muted small">Manual payment request</div> : null}
                  </td>
                  <td class="right">
                    <a href={`/admin/agents/${a.id}`} class="btn btn-ghost btn-small">
                      Edit
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="empty">No agents yet. Add the first one to start taking chats.</p>
        )}
      </section>
      {plan === "free" ? (
        <p class="muted small">On the Forever Free plan, only the GENERAL room takes chats.</p>
      ) : rooms.length > roomLimit(plan) ? (
        <p class="muted small">
          Your plan allows {roomLimit(plan)} rooms: those past them in <a href="/admin#rooms">the rooms list</a> are locked, and take no chats until you retire a room, move one up or upgrade.
        </p>
      ) : null}
    </Layout>
  );
}

/** The admin's own switch: their login takes chats like an agent's, with hotlines edited in the list below. */
function TakesChats({ on }: { on: boolean }) {
  return (
    <section class="card takes-chats" aria-labelledby="takes-chats-title">
      <form method="post" action="/admin/takes-chats" class="toggle-row">
        <CsrfField />
        <div>
          <label for="f-takesChats" class="toggle-label" id="takes-chats-title">
            I take chats too
          </label>
          <p class="hint" id="f-takesChats-help">
            {on
              ? "Your own login is one of the agents: open the agent console to take chats, and choose your rooms with Edit on your row."
              : "Make your own login an agent as well: you get the agent console and a private room, and customers' chats reach you in every room you serve."}
          </p>
        </div>
        <div class="takes-chats-controls">
          <input id="f-takesChats" name="takesChats" type="checkbox" role="switch" class="switch" checked={on} aria-describedby="f-takesChats-help" />
          <button type="submit" class="btn btn-small btn-ghost">
            Save
          </button>
        </div>
      </form>
      {on ? (
        <p class="small">
          <a href="/agent">Open the agent console →</a>
        </p>
      ) : null}
    </section>
  );
}

export type AgentFormValues = { name?: string; email?: string; roomIds?: string[]; disabled?: boolean; manualPaymentAllowed?: boolean };

export function AgentFormPage({
  agentId,
  values,
  rooms,
  plan,
  errors = {},
  alert,
}: {
  agentId?: string;
  values: AgentFormValues;
  rooms: Room[];
  plan: Plan;
  errors?: Errors;
  alert?: string;
}) {
  const editing = !!agentId;
  const chosen = new Set(values.roomIds ?? []);
  const usable = usableRoomIds(plan, rooms);
  return (
    <Layout title={editing ? `Edit ${values.name ?? "agent"}` : "Add agent"}>
      <p>
        <a href="/admin/agents">← Agent staff</a>
      </p>
      <section class="card form-card">
        <h1>{editing ? `Edit ${values.name}` : "Add an agent"}</h1>
        <form method="post" action={editing ? `/admin/agents/${agentId}` : "/admin/agents"} class="stack">
          <CsrfField />
          <FormAlert message={alert} />
          <div class="grid-2">
            <Field name="name" label="Name" value={values.name} errors={errors} required maxlength={80} />
            <Field name="email" label="Email (sign-in)" type="email" value={values.email} errors={errors} required />
          </div>
          <Field
            name="password"
            label={editing ? "New password" : "First password"}
            type="password"
            errors={errors}
            required={!editing}
            autocomplete="new-password"
            hint={editing ? "Leave blank to keep the current password." : "Give it to the agent; they can change it later."}
          />
          <fieldset class="checks">
            <legend>Rooms this agent serves</legend>
            {rooms.map((r) => {
              const open = usable.has(r.id);
              return (
                <label class={open ? "check" : "check locked"}>
                  <input type="checkbox" name="roomIds" value={r.id} checked={chosen.has(r.id)} />
                  <span>{r.name}</span>
                  {open ? null : <span class="badge badge-muted">{lockedLabel(plan)}</span>}
                </label>
              );
            })}
          </fieldset>
          <div class="toggle-row">
            <div>
              <label for="f-manualPaymentAllowed" class="toggle-label">
                Manual payment request
              </label>
              <p class="hint" id="f-manualPaymentAllowed-help">
                The agent may send a customer an invoice during a chat (a service or goods), paid by card with Pay Now. The button appears in rooms whose In-app purchase is set to manual payment request.
              </p>
            </div>
            <input
              id="f-manualPaymentAllowed"
              name="manualPaymentAllowed"
              type="checkbox"
              role="switch"
              class="switch"
              checked={values.manualPaymentAllowed}
              aria-describedby="f-manualPaymentAllowed-help"
            />
          </div>
          {editing ? (
            <div class={errors.disabled ? "field has-error" : "field"}>
              <label class="check">
                <input type="checkbox" name="disabled" checked={values.disabled} />
                <span>Disabled — cannot sign in or take chats</span>
              </label>
              {errors.disabled ? <p class="error">{errors.disabled}</p> : null}
            </div>
          ) : null}
          <FormActions submit={editing ? "Save changes" : "Add agent"} cancel="/admin/agents" />
        </form>
      </section>
    </Layout>
  );
}
