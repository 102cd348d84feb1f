import { and, eq } from "drizzle-orm";
import { chatGuests } from "../db/schema";
import { openDb } from "./db";

// The agents a chat's conference invited, and when each joined or left: a guest who joined may
// open the chat (stores/chats.ts) and find it among their chat records (stores/chat-records.ts).

/** The host invited `guestId`; inviting again starts the invitation over. */
export async function saveInvitation(d1: D1Database, chatId: string, guestId: string, invitedBy: string, now: number): Promise<void> {
  await openDb(d1)
    .insert(chatGuests)
    .values({ chatId, userId: guestId, invitedBy, invitedAt: now })
    .onConflictDoUpdate({ target: [chatGuests.chatId, chatGuests.userId], set: { invitedBy, invitedAt: now, joinedAt: null, leftAt: null } });
}

/** When the guest joined, or left. */
export async function stampGuest(d1: D1Database, chatId: string, guestId: string, at: { joinedAt: number } | { leftAt: number }): Promise<void> {
  await openDb(d1)
    .update(chatGuests)
    .set(at)
    .where(and(eq(chatGuests.chatId, chatId), eq(chatGuests.userId, guestId)));
}
