import * as z from "zod";

// A room's name, as in its settings and in every link to it (/c/{company}/{ROOM}): upper-case
// words joined by underscores, like the spec's GENERAL and CHARGE_DURATION_ON_DEMAND. Pure.

export const ROOM_NAME_MAX = 40;

/**
 * What the admin typed, as a room name: spaces and dashes become underscores and letters are
 * upper-cased, so "Billing support" is BILLING_SUPPORT and "general" clashes with GENERAL.
 */
export const roomName = z
  .string({ error: "Enter a name for the room." })
  .trim()
  .min(1, "Enter a name for the room, for example SALES.")
  .transform((s) => s.replace(/[\s-]+/g, "_").toUpperCase())
  .pipe(
    z
      .string()
      .max(ROOM_NAME_MAX, `Use at most ${ROOM_NAME_MAX} characters.`)
      .regex(/^[A-Z]/, "Start the name with a letter, for example SALES_2.")
      .regex(/^[A-Z0-9_]+$/, "Use only letters A to Z, digits and underscores, for example BILLING_SUPPORT.")
      .regex(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/, "Use single underscores between words, and none at the end."),
  );

export const roomNameForm = z.object({ name: roomName });
