import type { Room } from "../worker/rooms/room";
import { Layout, PoweredBy } from "./Layout";

/** A retired room's link (410): the business by name, and where to reach it now. */
export function RoomRetiredPage({ room, companyName, generalHref }: { room: Room; companyName: string; generalHref: string }) {
  return (
    <Layout title={`${companyName}: this chat room has closed`} bare>
      <div class="contact" style={`--theme:${room.theme}`}>
        <section class="contact-card card empty">
          <h1>This chat room has closed</h1>
          <p>
            {companyName} no longer takes chats at <strong>{room.name}</strong>.
          </p>
          <p>You can still reach {companyName} through their main contact form.</p>
          <p>
            <a href={generalHref} class="btn btn-theme">
              Contact {companyName}
            </a>
          </p>
        </section>
        <PoweredBy />
      </div>
    </Layout>
  );
}
