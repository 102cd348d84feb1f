import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../adapters/db";
import { auditInsert } from "../accounts/audit";
import { FormError } from "../accounts/form-error";
import { newId } from "../accounts/tokens";
import { agentProfiles, emailOutbox, rooms, users } from "../db/schema";

export const RINGTONES = [
  { value: "classic", label: "Classic" },
  { value: "chime", label: "Chime" },
  { value: "soft", label: "Soft" },
  { value: "none", label: "Silent (visual only)" },
] as const;

const url = z
  .string()
  .trim()
  .max(500, "Use at most 500 characters.")
  .refine((v) => v === "" || /^https?:\/\/[^\s]+$/i.test(v), "Use a web address starting with https://.");

const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());

/** The fields an agent edits in their private profile (spec/agent-private-profile.txt). */
export const profileForm = z
  .object({
    photoUrl: url,
    greeting: z.string().trim().min(1, "Write a greeting; customers see it first.").max(300, "Use at most 300 characters."),
    ringtone: z.enum(RINGTONES.map((r) => r.value) as [string, ...string[]], { error: "Choose a ringtone." }),
    whatsappEnabled: checkbox,
    // Country code and number, digits only, no leading zeros: 1XXXXXXXXXX.
    whatsappNumber: z
      .string()
      .trim()
      .refine((v) => v === "" || /^[1-9][0-9]{6,14}$/.test(v), "Digits only, country code first, no + or leading 0s — e.g. 447700900123."),
    notificationAlert: checkbox,
    emailAlert: checkbox,
    privateRoomId: z.string().max(64),
  })
  .superRefine((v, ctx) => {
    if (v.whatsappEnabled && !v.whatsappNumber) ctx.addIssue({ code: "custom", path: ["whatsappNumber"], message: "Enter your WhatsApp number to take WhatsApp chats." });
  });
export type ProfileInput = z.infer<typeof profileForm>;

/**
 * Saves the agent's private profile and, as the spec asks, emails the company's administrators
 * that it changed (through the outbox).
 */
export async function saveProfile(db: Db, user: { id: string; companyId: string; name: string; email: string }, input: ProfileInput): Promise<void> {
  const room = await db
    .select({ id: rooms.id })
    .from(rooms)
    .where(and(eq(rooms.id, input.privateRoomId), eq(rooms.companyId, user.companyId)))
    .get();
  if (!room) throw new FormError({ privateRoomId: "Choose one of your company's rooms." });
  const admins = await db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.companyId, user.companyId), eq(users.isAdmin, true), eq(users.disabled, false)));
  const values = {
    photoUrl: input.photoUrl || null,
    greeting: input.greeting,
    ringtone: input.ringtone,
    whatsappEnabled: input.whatsappEnabled,
    whatsappNumber: input.whatsappNumber || null,
    notificationAlert: input.notificationAlert,
    emailAlert: input.emailAlert,
    privateRoomId: room.id,
  };
  await db.batch([
    db
      .insert(agentProfiles)
      .values({ userId: user.id, ...values })
      .onConflictDoUpdate({ target: agentProfiles.userId, set: values }),
    auditInsert(db, { companyId: user.companyId, userId: user.id, action: "profile.updated", subject: user.id }),
    ...admins
      .filter((a) => a.email !== user.email)
      .map((a) =>
        db.insert(emailOutbox).values({
          id: newId(),
          companyId: user.companyId,
          toAddress: a.email,
          subject: `${user.name} updated their private profile`,
          bodyText: `${user.name} changed their agent profile in Parley (greeting, photo, ringtone, WhatsApp or alerts).`,
        }),
      ),
  ]);
}
