import * as z from "zod";
import type { Room } from "./room";

type FormSettings = Pick<Room, "fieldName" | "fieldEmail" | "fieldPhone" | "fieldMessage" | "buttonChatHidden" | "buttonVoiceHidden" | "buttonVideoHidden" | "buttonEmailHidden">;

const emailFormat = z.email();
const isEmail = (v: string) => emailFormat.safeParse(v).success;

// `missing` also covers a field not sent at all (a page from before the room showed it).
const text = (max: number, label: string, missing: string) => z.string({ error: missing }).trim().max(max, `${label} can be at most ${max} characters.`);

function field<T extends z.ZodString>(visibility: "shown" | "mandatory" | "hidden", schema: T, missing: string) {
  // Optional before the transform: zod requires a key whose schema ends in a transform, and a
  // hidden field is never sent. Whatever a stale page might send for it is dropped.
  if (visibility === "hidden") return z.unknown().optional().transform(() => null);
  if (visibility === "mandatory") return schema.min(1, missing);
  return z.union([z.literal(""), schema]).optional().transform((v) => (v ? v : null));
}

export const CONTACT_MODES = ["chat", "voice", "video", "email"] as const;
export type ContactRequestMode = (typeof CONTACT_MODES)[number];

/** "Email us" needs an address to answer to: a room that hides the email field cannot offer it. */
export const offersEmail = (room: Pick<FormSettings, "buttonEmailHidden" | "fieldEmail">) => !room.buttonEmailHidden && room.fieldEmail !== "hidden";

/** Schemas built so far, by the settings they follow (a few combinations at most); building one costs more than a parse. */
const built = new Map<string, ReturnType<typeof buildSchema>>();

/**
 * The contact form as this room configures it: hidden fields are ignored, mandatory ones must be
 * filled, and only the buttons the room shows may be pressed. "Email us" needs an email address.
 */
export function contactFormSchema(room: FormSettings) {
  const key = [room.fieldName, room.fieldEmail, room.fieldPhone, room.fieldMessage, room.buttonChatHidden, room.buttonVoiceHidden, room.buttonVideoHidden, room.buttonEmailHidden].join();
  let schema = built.get(key);
  if (!schema) {
    schema = buildSchema(room);
    built.set(key, schema);
  }
  return schema;
}

const MISSING = {
  name: "Please tell us your name.",
  email: "Please enter your email address.",
  phone: "Please enter your phone number.",
  message: "Please tell us how we can help.",
};

function buildSchema(room: FormSettings) {
  const hidden: Record<ContactRequestMode, boolean> = {
    chat: room.buttonChatHidden,
    voice: room.buttonVoiceHidden,
    video: room.buttonVideoHidden,
    email: !offersEmail(room),
  };
  return z
    .object({
      name: field(room.fieldName, text(80, "Your name", MISSING.name), MISSING.name),
      email: field(room.fieldEmail, text(254, "Email", MISSING.email).refine((v) => !v || isEmail(v), "Enter a valid email address, like name@example.com."), MISSING.email),
      phone: field(room.fieldPhone, text(40, "Phone", MISSING.phone).regex(/^[+0-9 ()./-]{5,40}$/, "Enter a phone number, like +44 20 7946 0000."), MISSING.phone),
      message: field(room.fieldMessage, text(1000, "Your message", MISSING.message), MISSING.message),
      mode: z.enum(CONTACT_MODES, { error: "Choose how you want to talk to us." }),
      // The consultation invitation whose link opened the form; one that is no reference is dropped, not refused.
      invitation: z.uuid().optional().catch(undefined),
    })
    .superRefine((form, ctx) => {
      if (hidden[form.mode]) ctx.addIssue({ code: "custom", path: ["mode"], message: "This room does not offer that kind of contact." });
      else if (form.mode === "email" && !form.email) ctx.addIssue({ code: "custom", path: ["email"], message: "Enter your email address so we can answer you." });
    });
}

export type ContactInput = z.infer<ReturnType<typeof contactFormSchema>>;
