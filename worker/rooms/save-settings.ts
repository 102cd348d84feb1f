import { and, eq } from "drizzle-orm";
import type { Db } from "../stores/db";
import { auditInsert } from "../stores/audit";
import { rooms } from "../db/schema";
import type { Room } from "./room";
import { changedSettings, type RoomSettings } from "./settings";

/** Saves a room's settings and notes who changed which ones; the company check is in the WHERE. */
export async function saveRoomSettings(db: Db, adminId: string, room: Room, settings: RoomSettings): Promise<void> {
  const changed = changedSettings(room, settings);
  if (!changed.length) return;
  await db.batch([
    db
      .update(rooms)
      .set(settings)
      .where(and(eq(rooms.id, room.id), eq(rooms.companyId, room.companyId))),
    auditInsert(db, { companyId: room.companyId, userId: adminId, action: "room.settings_updated", subject: room.id, detail: { changed } }),
  ]);
}
