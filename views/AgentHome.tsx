import type { Room } from "../worker/rooms/queries";
import { isRoomUsable } from "../worker/rooms/presets";
import { Layout } from "./Layout";

type Props = { name: string; companySlug: string; handle: string; plan: "free" | "pro" | "enterprise"; rooms: Room[]; origin: string };

export function AgentHome({ name, companySlug, handle, plan, rooms, origin }: Props) {
  const privateUrl = `${origin}/c/${companySlug}/~${handle}`;
  return (
    <Layout title="Agent console">
      <div class="page-head">
        <div>
          <h1>Hello, {name}</h1>
          <p class="muted">The rooms you answer, and your private room's link.</p>
        </div>
      </div>
      <div class="grid-2">
        <section class="card">
          <h2>Your rooms</h2>
          {rooms.length ? (
            <ul class="room-list compact">
              {rooms.map((r) => (
                <li class={isRoomUsable(plan, r.name) ? "room" : "room locked"}>
                  <h3>{r.name}</h3>
                  <a class="url small" href={`${origin}/c/${companySlug}/${r.name}`}>{`${origin}/c/${companySlug}/${r.name}`}</a>
                </li>
              ))}
            </ul>
          ) : (
            <p class="empty">Your administrator has not assigned you to a room yet.</p>
          )}
        </section>
        <section class="card">
          <h2>Your private room</h2>
          <p class="muted">Chats from this link come to you only.</p>
          <p>
            <a class="url" href={privateUrl}>
              {privateUrl}
            </a>
          </p>
        </section>
      </div>
    </Layout>
  );
}
