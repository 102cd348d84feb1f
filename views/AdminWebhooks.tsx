import type { SentForm } from "../worker/http/form-validation";
import { utcDateTime } from "../worker/format/utc";
import type { DeliveryRow, WebhookEndpoint } from "../worker/stores/webhooks";
import { EVENT_LABELS, WEBHOOK_EVENTS } from "../worker/webhooks/events";
import { Field, FormAlert } from "./Form";
import { CsrfField, Layout } from "./Layout";

// The admin's Webhooks page: endpoints with their events and state, the form to add one, a
// signing secret shown once after adding or rotating, and the recent deliveries.

/** The secret just made: shown on this page only, never again. */
export type ShownSecret = { endpointId: string; url: string; secret: string; rotated: boolean };

type Props = {
  endpoints: WebhookEndpoint[];
  deliveries: DeliveryRow[];
  local: boolean;
  sent?: SentForm;
  errors?: Record<string, string>;
  secret?: ShownSecret;
  notice?: string;
};

const STATUS: Record<DeliveryRow["status"], { label: string; badge: string }> = {
  queued: { label: "Queued", badge: "badge badge-muted" },
  sending: { label: "Sending", badge: "badge badge-warn" },
  delivered: { label: "Delivered", badge: "badge badge-ok" },
  failed: { label: "Failed", badge: "badge badge-danger" },
};

const sentList = (sent: SentForm | undefined, name: string): string[] => {
  const v = sent?.[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string");
};

export function WebhooksPage({ endpoints, deliveries, local, sent, errors, secret, notice }: Props) {
  const urlOf = new Map(endpoints.map((e) => [e.id, e.url]));
  const chosen = sent ? sentList(sent, "events") : [];
  return (
    <Layout title="Webhooks">
      <div class="webhooks">
        <div class="page-head">
          <div>
            <h1>Webhooks</h1>
            <p class="muted">
              Parley posts your company's events to your endpoints as JSON, signed with the endpoint's secret in the <code>Parley-Signature</code> header. Failed
              deliveries are retried for 24 hours; the README shows how to verify the signature.
            </p>
          </div>
        </div>
        {notice ? (
          <p class="alert alert-ok" role="status">
            {notice}
          </p>
        ) : null}
        {secret ? (
          <section class="card webhook-secret" id="webhook-secret">
            <h2>{secret.rotated ? "New signing secret" : "Endpoint added"}</h2>
            <p>
              The signing secret of <strong>{secret.url}</strong>. Copy it now: it is shown only once.
              {secret.rotated ? " The old secret stopped working; events from now on are signed with this one." : ""}
            </p>
            <p>
              <code class="secret" data-secret>
                {secret.secret}
              </code>
            </p>
          </section>
        ) : null}
        <section class="card">
          <h2>Endpoints</h2>
          {endpoints.length ? (
            <div class="table-scroll">
              <table class="table" id="webhook-endpoints">
                <thead>
                  <tr>
                    <th>URL</th>
                    <th>Events</th>
                    <th>State</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  {endpoints.map((e) => (
                    <tr data-endpoint={e.id}>
                      <td class="break">{e.url}</td>
                      <td>{e.events.join(", ")}</td>
                      <td>
                        {e.status === "failing" ? (
                          <span class="badge badge-danger" title="A delivery was given up after 24 hours; the next one it accepts makes it active again.">
                            Failing
                          </span>
                        ) : (
                          <span class="badge badge-ok">Active</span>
                        )}
                      </td>
                      <td>
                        <div class="actions">
                          <form method="post" action={`/admin/webhooks/${e.id}/rotate`} class="inline">
                            <CsrfField />
                            <button type="submit" class="btn btn-ghost btn-small">
                              Rotate secret
                            </button>
                          </form>
                          <form
                            method="post"
                            action={`/admin/webhooks/${e.id}/delete`}
                            class="inline"
                            data-controller="confirm"
                            data-confirm-message-value={`Remove the endpoint ${e.url}? No more events are sent to it, and its delivery history goes with it.`}
                            data-action="submit->confirm#ask"
                          >
                            <CsrfField />
                            <button type="submit" class="btn btn-ghost btn-small" aria-label={`Remove ${e.url}`}>
                              Remove
                            </button>
                          </form>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p class="muted">No endpoints yet.</p>
          )}
        </section>
        <section class="card">
          <h2>Add an endpoint</h2>
          <form method="post" action="/admin/webhooks" class="stack" id="add-endpoint">
            <CsrfField />
            <FormAlert message={errors?.form} />
            <Field
              name="url"
              label="Endpoint URL"
              type="url"
              required
              value={typeof sent?.url === "string" ? sent.url : ""}
              errors={errors}
              placeholder="https://example.com/parley/webhooks"
              hint={local ? "https:// to a public host; on this local server http://localhost too." : "https:// to a public host."}
            />
            <fieldset class={errors?.events ? "field checks has-error" : "field checks"} aria-describedby={errors?.events ? "f-events-error" : undefined}>
              <legend>Events</legend>
              {WEBHOOK_EVENTS.map((type) => (
                <label class="check">
                  <input type="checkbox" name="events" value={type} checked={chosen.includes(type)} /> <code>{type}</code> — {EVENT_LABELS[type]}
                </label>
              ))}
              {errors?.events ? (
                <p class="error" id="f-events-error" role="alert">
                  {errors.events}
                </p>
              ) : null}
            </fieldset>
            <button type="submit" class="btn btn-primary">
              Add endpoint
            </button>
          </form>
        </section>
        <section class="card">
          <h2>Recent deliveries</h2>
          {deliveries.length ? (
            <div class="table-scroll">
              <table class="table" id="webhook-deliveries">
                <thead>
                  <tr>
                    <th>Time (UTC)</th>
                    <th>Event</th>
                    <th>Endpoint</th>
                    <th>Status</th>
                    <th>Response</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  {deliveries.map((d) => (
                    <tr data-delivery={d.id} data-status={d.status}>
                      <td class="nowrap">{utcDateTime(d.createdAt)}</td>
                      <td>
                        <code>{d.type}</code>
                        <p class="small muted">{d.eventId}</p>
                      </td>
                      <td class="break">{urlOf.get(d.endpointId)}</td>
                      <td>
                        <span class={STATUS[d.status].badge}>{STATUS[d.status].label}</span>
                        <p class="small muted">{d.attempts === 1 ? "1 attempt" : `${d.attempts} attempts`}</p>
                        {d.note ? <p class="small muted">{d.note}</p> : null}
                      </td>
                      <td class="nowrap">{d.responseCode ? `HTTP ${d.responseCode}` : "—"}</td>
                      <td>
                        <form method="post" action={`/admin/webhooks/deliveries/${d.id}/resend`} class="inline">
                          <CsrfField />
                          <button type="submit" class="btn btn-ghost btn-small">
                            Resend
                          </button>
                        </form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p class="muted">No events sent yet.</p>
          )}
        </section>
      </div>
    </Layout>
  );
}
