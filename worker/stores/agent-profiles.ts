import { and, eq, isNull } from "drizzle-orm";
import { FormError } from "../accounts/form-error";
import { newId } from "../accounts/tokens";
import type { OwnPricing, SavedProfile } from "../agents/profile";
import { NEW_PROFILE, profileChanges } from "../agents/profile-changes";
import { agentProfiles, rooms, users } from "../db/schema";
import type { OutgoingMail } from "../mail/message";
import { auditInsert } from "./audit";
import { mailInsert, senderOf } from "./outbox";
import type { Db } from "./db";

// An agent's private profile (spec/agent-private-profile.txt): greeting, alerts, own pricing.

export type AgentProfileRow = typeof agentProfiles.$inferSelect;

/** The agent's profile; undefined for an agent who never saved one. */
export const getAgentProfile = (db: Db, userId: string): Promise<AgentProfileRow | undefined> =>
  db.select().from(agentProfiles).where(eq(agentProfiles.userId, userId)).get();

/**
 * Saves the agent's private profile and, as the spec asks, emails the company's administrators
 * that it changed: returns the outbox ids, for the mail queue.
 */
export async function saveProfile(
  db: Db,
  user: { id: string; companyId: string; name: string; email: string },
  input: SavedProfile,
  ownPricing: OwnPricing | null = null,
): Promise<string[]> {
  const room = await db
    .select({ id: rooms.id })
    .from(rooms)
    .where(and(eq(rooms.id, input.privateRoomId), eq(rooms.companyId, user.companyId), isNull(rooms.retiredAt)))
    .get();
  if (!room) throw new FormError({ privateRoomId: "Choose one of your company's rooms." });
  const [admins, sender, before] = await Promise.all([
    db
      .select({ email: users.email })
      .from(users)
      .where(and(eq(users.companyId, user.companyId), eq(users.isAdmin, true), eq(users.disabled, false))),
    senderOf(db, user.companyId),
    getAgentProfile(db, user.id),
  ]);
  const values = {
    photoUrl: input.photoUrl,
    greeting: input.greeting,
    ringtone: input.ringtone,
    whatsappEnabled: input.whatsappEnabled,
    whatsappNumber: input.whatsappNumber || null,
    notificationAlert: input.notificationAlert,
    emailAlert: input.emailAlert,
    privateRoomId: room.id,
    ...ownPricing,
  };
  const old = before ?? NEW_PROFILE;
  const changes = profileChanges(old, { ...old, ...values });
  const mails = admins
    .filter((a) => a.email !== user.email)
    .map((a): OutgoingMail => ({
      id: newId(),
      companyId: user.companyId,
      kind: "notice",
      to: a.email,
      sender,
      content: {
        subject: `${user.name} updated their private profile`,
        paragraphs: [changes.length ? `${user.name} changed their agent profile in Parley:` : `${user.name} saved their agent profile in Parley without changing it.`],
        facts: [["Agent", `${user.name} <${user.email}>`], ...changes],
      },
    }));
  await db.batch([
    db
      .insert(agentProfiles)
      .values({ userId: user.id, ...values })
      .onConflictDoUpdate({ target: agentProfiles.userId, set: values }),
    auditInsert(db, { companyId: user.companyId, userId: user.id, action: "profile.updated", subject: user.id, ...(ownPricing ? { detail: { ownPricing } } : {}) }),
    ...mails.map((mail) => mailInsert(db, mail)),
  ]);
  return mails.map((m) => m.id);
}
