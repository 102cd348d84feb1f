import type { SubscribedDevice } from "../worker/push/subscription";

// "Enable notifications on this device" and the agent's devices that ring while no console of
// theirs is open (Web Push; static/controllers/push_controller.js subscribes and removes).

const since = (at: number) => new Date(at).toISOString().slice(0, 10);

/** The agent's subscribed devices, each with Remove; the routes of worker/routes/push.tsx answer with it. */
export function PushDeviceList({ devices }: { devices: SubscribedDevice[] }) {
  if (!devices.length) return <p class="muted small push-none">No device rings you yet while your console is closed.</p>;
  return (
    <ul class="push-devices">
      {devices.map((d) => (
        <li>
          <span>
            {d.label} <span class="muted small">since {since(d.createdAt)}</span>
          </span>
          <button type="button" class="btn btn-ghost btn-small" data-action="push#remove" data-push-id-param={d.id}>
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}

/** `vapidKey`: null where push is not configured; the control then says so instead of offering it. */
export function PushDevices({ devices, vapidKey }: { devices: SubscribedDevice[]; vapidKey: string | null }) {
  return (
    <div class="push" data-controller="push" data-push-key-value={vapidKey ?? ""}>
      <div class="toggle-row">
        <div>
          <p class="toggle-label">Notifications on this device</p>
          <p class="hint">Ring this phone or computer when a chat waits and none of your consoles is open, even with the browser in the background. Not while you are OFFLINE.</p>
        </div>
        <button type="button" class="btn btn-small" data-action="push#enable" data-push-target="enable" disabled={!vapidKey}>
          Enable notifications on this device
        </button>
      </div>
      <p class="alert alert-warn small" role="status" data-push-target="status" hidden={!!vapidKey}>
        {vapidKey ? "" : "Notifications away from the console are not set up on this Parley server."}
      </p>
      <div data-push-target="list">
        <PushDeviceList devices={devices} />
      </div>
    </div>
  );
}
