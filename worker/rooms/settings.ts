import type { Plan } from "../accounts/company";
import { PLAN_LIMITS } from "../accounts/plan-limits";
import { emailField, isWebUrl } from "../accounts/validation";
import * as z from "zod";
import { fieldErrors } from "../accounts/validation";
import { moneyInput } from "../billing/money";
import {
  currencyOf,
  holdTooSmall,
  moneyField,
  refineScheme,
  schemeColumns,
  schemeFromColumns,
  schemeShape,
  schemeValuesFromForm,
  schemeValuesFromRow,
  type PricingCurrency,
  type SchemeFields,
  type SchemePreview,
  type SchemeValues,
} from "../billing/pricing-form";
import { ASSIGNMENTS, CHARGING_MODES, EMBED_POSITIONS, FIELD_VISIBILITY, type ChargingMode, type Room } from "./room";

// The settings an admin edits on /admin/rooms/:roomId (spec: chat-room-customizations), named
// as the `rooms` columns they are saved to. Pure: no env, no I/O.

export const CONTACT_FIELDS = [
  { key: "fieldName", label: "Name" },
  { key: "fieldEmail", label: "Email" },
  { key: "fieldPhone", label: "Phone" },
  { key: "fieldMessage", label: "Message" },
] as const;

export const CONTACT_BUTTONS = [
  { key: "buttonChatHidden", label: "Chat" },
  { key: "buttonEmailHidden", label: "Email" },
  { key: "buttonVoiceHidden", label: "Voice" },
  { key: "buttonVideoHidden", label: "Video" },
  { key: "buttonWhatsappHidden", label: "WhatsApp" },
] as const;

/** The action buttons of the customer's and the agent's chat screens (spec: Customer Phone & Agent phone). */
export const PHONE_BUTTONS = [
  { key: "phoneText", label: "Text chat", help: "Typed messages both ways." },
  { key: "phoneVoice", label: "Voice chat", help: "A voice call in the browser." },
  { key: "phoneVideo", label: "Video chat", help: "Camera video both ways." },
  { key: "phoneScreenShare", label: "Screen sharing", help: "Either party shows their screen." },
  { key: "phoneRecording", label: "Video recording", help: "The agent records the chat on a desktop, after the customer consents." },
  { key: "phoneRemoteControl", label: "Remote control keyboard & mouse", help: "The customer lets the agent point and annotate over their shared screen." },
  { key: "phoneFullScreen", label: "Full screen video", help: "Video fills the screen." },
  { key: "phoneConference", label: "Conference chat", help: "The agent adds another agent of the company to the chat." },
] as const;

export const TOGGLES = [
  ...PHONE_BUTTONS.map((b) => b.key),
  "sameAgent",
  "includeMobile",
  "whatsappOnlineAgents",
  "whatsappOfflineAgents",
  "embedPopup",
  "allowLeaveEmail",
  "allowEmailAlert",
  "alwaysEmailTranscript",
  "hidePreviewTyping",
  "phoneSimultaneousChats",
  "allowAgentPricing",
  "phoneTimerStart",
  "phoneTimerStop",
] as const;

export const CHARGING_MODE_LABELS: Record<ChargingMode, string> = {
  none: "No charges",
  manual: "Manual payment request",
  automatic: "Automatic charges",
};

export const WRAP_UP_MAX_SECONDS = 3600;
export const AGENT_ROLE_MAX = 40;
export const WHISPER_MAX = 120;
export const WHISPER_DELAY_MAX_SECONDS = 600;
export const NEAREST_NEEDS_ENTERPRISE = "Nearest to the customer is available on the Large Enterprise plan only. Choose quickest reply, or upgrade.";

export type ContactFieldKey = (typeof CONTACT_FIELDS)[number]["key"];
export type ContactButtonKey = (typeof CONTACT_BUTTONS)[number]["key"];
export type ToggleKey = (typeof TOGGLES)[number];

/** What the form shows: the text as typed (so a refused form comes back as it was sent). */
export type RoomSettingsValues = {
  theme: string;
  formCompanyName: string;
  formLogoUrl: string;
  formHeader: string;
  formSubheader: string;
  assignment: string;
  agentRole: string;
  wrapUpSeconds: string;
  publicCompanyName: string;
  publicContactEmail: string;
  embedPosition: string;
  embedWhisperText: string;
  embedWhisperDelaySeconds: string;
  chargingMode: string;
  authorisationAmount: string;
} & SchemeValues &
  Record<ContactFieldKey, string> &
  Record<ContactButtonKey, boolean> &
  Record<ToggleKey, boolean>;

// A ticked box arrives as "on"; an unticked one does not arrive at all.
const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());
const shownOrHidden = z.enum(["shown", "hidden"], { error: "Choose shown or hidden." }).transform((v) => v === "hidden");
const visibility = z.enum(FIELD_VISIBILITY, { error: "Choose shown, mandatory or hidden." });
const text = (max: number, tooLong = `Use at most ${max} characters.`) => z.string({ error: "This is required." }).trim().max(max, tooLong);

const WRAP_UP_MESSAGE = `Enter a whole number of seconds from 0 to ${WRAP_UP_MAX_SECONDS}, or leave it empty for never.`;

// Empty means "not set": null in the table.
const blankable = (inner: z.ZodString) =>
  z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), inner).transform((v) => (v === "" ? null : v));

const optionalText = (max: number) => blankable(z.string().max(max, `Use at most ${max} characters.`));

const webUrl = blankable(
  z
    .string()
    .max(500, "Use at most 500 characters.")
    .refine((v) => v === "" || isWebUrl(v), "Enter a web address starting with https:// or http://."),
);

// Empty: the agent never goes back to ONLINE by itself after a chat.
const wrapUp = blankable(
  z
    .string()
    .refine((v) => v === "" || (/^\d{1,4}$/.test(v) && Number(v) <= WRAP_UP_MAX_SECONDS), WRAP_UP_MESSAGE),
).transform((v) => (v === null ? null : Number(v)));

// Empty: the company's own contact email (outbox.ts senderOf).
const optionalEmail = blankable(z.string().refine((v) => v === "" || emailField.safeParse(v).success, "Enter a valid email address, like name@example.com.")).transform(
  (v) => v && v.toLowerCase(),
);

const WHISPER_DELAY_MESSAGE = `Enter a whole number of seconds from 0 to ${WHISPER_DELAY_MAX_SECONDS}.`;
const whisperDelay = z
  .string({ error: WHISPER_DELAY_MESSAGE })
  .trim()
  .refine((v) => /^\d{1,4}$/.test(v) && Number(v) <= WHISPER_DELAY_MAX_SECONDS, WHISPER_DELAY_MESSAGE)
  .transform(Number);

/**
 * A room's pricing: the scheme plus the card hold used when there is no split threshold. Money is
 * read in `currency`, the one the form was sent with (see currencyOf).
 */
export const roomPricingShape = (currency: PricingCurrency | null) => ({
  ...schemeShape(currency),
  authorisationAmount: moneyField(currency),
});

type RoomPricingFields = SchemeFields & { authorisationAmount: number };

export function refineRoomPricing(s: RoomPricingFields, ctx: z.RefinementCtx): void {
  refineScheme(s, ctx);
  // Without a split threshold the authorisation amount is the hold, so it must cover the first block.
  if (s.pricingSplitThreshold === null && s.authorisationAmount < s.pricingBlockPrice) {
    ctx.addIssue({ code: "custom", path: ["authorisationAmount"], message: holdTooSmall("authorisation amount", s) });
  }
}

export const roomPricingColumns = (s: RoomPricingFields) => ({ ...schemeColumns(s), authorisationAmountMinor: s.authorisationAmount });

/** The pricing fields alone, for the live preview of the price in words. */
export const roomPricingForm = (currency: PricingCurrency | null) => z.object(roomPricingShape(currency)).superRefine(refineRoomPricing).transform(roomPricingColumns);

/** The scheme a room's pricing fields describe, and the card hold it takes, for the preview. */
export function previewRoomPricing(input: Record<string, unknown>): SchemePreview {
  const parsed = roomPricingForm(currencyOf(input)).safeParse(input);
  if (!parsed.success) return { success: false, errors: fieldErrors(parsed.error) };
  const scheme = schemeFromColumns(parsed.data);
  return { success: true, scheme, holdMinor: scheme.splitThresholdMinor ?? parsed.data.authorisationAmountMinor };
}

/**
 * The form for one room; the company's plan decides whether "nearest" may be chosen, and the
 * currency chosen in the form how its money fields are read.
 */
export const roomSettingsForm = (plan: Plan, currency: PricingCurrency | null) =>
  z
    .object({
      // Contact form
      theme: z
        .string({ error: "Choose a colour." })
        .trim()
        .regex(/^#[0-9a-fA-F]{6}$/, "Choose a colour as #rrggbb, for example #2563eb.")
        .transform((v) => v.toLowerCase()),
      formCompanyName: optionalText(80),
      formLogoUrl: webUrl,
      formHeader: text(80).min(1, "Enter a header for the contact form."),
      formSubheader: text(160),
      fieldName: visibility,
      fieldEmail: visibility,
      fieldPhone: visibility,
      fieldMessage: visibility,
      buttonChatHidden: shownOrHidden,
      buttonEmailHidden: shownOrHidden,
      buttonVoiceHidden: shownOrHidden,
      buttonVideoHidden: shownOrHidden,
      buttonWhatsappHidden: shownOrHidden,
      // Chat assignment
      assignment: z
        .enum(ASSIGNMENTS, { error: "Choose how chats are assigned." })
        .refine((a) => a !== "nearest" || PLAN_LIMITS[plan].nearestAgent, NEAREST_NEEDS_ENTERPRISE),
      sameAgent: checkbox,
      includeMobile: checkbox,
      // WhatsApp assignment
      whatsappOnlineAgents: checkbox,
      whatsappOfflineAgents: checkbox,
      // Customer interactions
      allowLeaveEmail: checkbox,
      allowEmailAlert: checkbox,
      alwaysEmailTranscript: checkbox,
      // Chat messaging
      hidePreviewTyping: checkbox,
      agentRole: text(AGENT_ROLE_MAX, `Use at most ${AGENT_ROLE_MAX} characters.`).min(1, "Enter the role customers see, for example Agent or Doctor."),
      phoneSimultaneousChats: checkbox,
      wrapUpSeconds: wrapUp,
      // Public profile @ chat room: the sender of the room's mail to customers
      publicCompanyName: optionalText(80),
      publicContactEmail: optionalEmail,
      // The embed on a website: sticky button, whisper, pop-up contact form
      embedPopup: checkbox,
      embedPosition: z.enum(EMBED_POSITIONS, { error: "Choose bottom right or bottom left." }),
      // Empty: no whisper.
      embedWhisperText: text(WHISPER_MAX),
      embedWhisperDelaySeconds: whisperDelay,
      // Customer phone & agent phone
      ...(Object.fromEntries(PHONE_BUTTONS.map((b) => [b.key, checkbox])) as Record<(typeof PHONE_BUTTONS)[number]["key"], typeof checkbox>),
      // In-app purchase
      chargingMode: z.enum(CHARGING_MODES, { error: "Choose how customers pay in this room." }),
      ...roomPricingShape(currency),
      allowAgentPricing: checkbox,
      phoneTimerStart: checkbox,
      phoneTimerStop: checkbox,
    })
    .superRefine((s, ctx) => {
      // A form with no button leaves the customer no way to reach anyone.
      if (CONTACT_BUTTONS.every((b) => s[b.key])) {
        ctx.addIssue({ code: "custom", path: ["buttons"], message: "Show at least one button, or customers cannot reach you." });
      }
      // Neither kind of agent: the room's WhatsApp link would reach no one, ever.
      if (!s.whatsappOnlineAgents && !s.whatsappOfflineAgents) {
        ctx.addIssue({ code: "custom", path: ["whatsappAgents"], message: "Tick online agents, offline agents or both, or WhatsApp customers reach no one." });
      }
      refineRoomPricing(s, ctx);
    })
    // Money fields are typed in major units and stored as minor units, under the column names.
    .transform((s) => {
      // The major-unit field names are not columns: drop them for their *Minor columns.
      const { pricingBlockPrice, pricingSplitThreshold, authorisationAmount, ...rest } = s;
      return { ...rest, ...roomPricingColumns(s) };
    });

export type RoomSettings = z.output<ReturnType<typeof roomSettingsForm>>;

/** The form's values for a saved room. */
export function settingsValuesFromRoom(room: Room): RoomSettingsValues {
  return {
    theme: room.theme,
    formCompanyName: room.formCompanyName ?? "",
    formLogoUrl: room.formLogoUrl ?? "",
    formHeader: room.formHeader,
    formSubheader: room.formSubheader,
    fieldName: room.fieldName,
    fieldEmail: room.fieldEmail,
    fieldPhone: room.fieldPhone,
    fieldMessage: room.fieldMessage,
    buttonChatHidden: room.buttonChatHidden,
    buttonEmailHidden: room.buttonEmailHidden,
    buttonVoiceHidden: room.buttonVoiceHidden,
    buttonVideoHidden: room.buttonVideoHidden,
    buttonWhatsappHidden: room.buttonWhatsappHidden,
    assignment: room.assignment,
    sameAgent: room.sameAgent,
    includeMobile: room.includeMobile,
    whatsappOnlineAgents: room.whatsappOnlineAgents,
    whatsappOfflineAgents: room.whatsappOfflineAgents,
    allowLeaveEmail: room.allowLeaveEmail,
    allowEmailAlert: room.allowEmailAlert,
    alwaysEmailTranscript: room.alwaysEmailTranscript,
    hidePreviewTyping: room.hidePreviewTyping,
    agentRole: room.agentRole,
    phoneSimultaneousChats: room.phoneSimultaneousChats,
    ...(Object.fromEntries(PHONE_BUTTONS.map((b) => [b.key, room[b.key]])) as Record<(typeof PHONE_BUTTONS)[number]["key"], boolean>),
    wrapUpSeconds: room.wrapUpSeconds === null ? "" : String(room.wrapUpSeconds),
    publicCompanyName: room.publicCompanyName ?? "",
    publicContactEmail: room.publicContactEmail ?? "",
    embedPopup: room.embedPopup,
    embedPosition: room.embedPosition,
    embedWhisperText: room.embedWhisperText,
    embedWhisperDelaySeconds: String(room.embedWhisperDelaySeconds),
    chargingMode: room.chargingMode,
    ...schemeValuesFromRow(room),
    authorisationAmount: moneyInput(room.authorisationAmountMinor, room.pricingCurrency),
    allowAgentPricing: room.allowAgentPricing,
    phoneTimerStart: room.phoneTimerStart,
    phoneTimerStop: room.phoneTimerStop,
  };
}

/** The form's values as sent, for showing a refused form again without losing what was typed. */
export function settingsValuesFromForm(input: Record<string, unknown>, fallback: RoomSettingsValues): RoomSettingsValues {
  const str = (k: keyof RoomSettingsValues) => {
    const v = input[k];
    return typeof v === "string" ? v : typeof fallback[k] === "string" ? (fallback[k] as string) : "";
  };
  const values = { ...fallback, ...schemeValuesFromForm(input, fallback) };
  for (const k of ["theme", "formCompanyName", "formLogoUrl", "formHeader", "formSubheader", "assignment", "agentRole", "wrapUpSeconds", "publicCompanyName", "publicContactEmail", "embedPosition", "embedWhisperText", "embedWhisperDelaySeconds", "chargingMode", "authorisationAmount"] as const) {
    values[k] = str(k);
  }
  for (const f of CONTACT_FIELDS) values[f.key] = str(f.key);
  for (const b of CONTACT_BUTTONS) values[b.key] = input[b.key] === undefined ? fallback[b.key] : input[b.key] === "hidden";
  for (const t of TOGGLES) values[t] = input[t] === "on" || input[t] === "true";
  return values;
}

/** Names of the settings that a save changes, for the audit trail. */
export function changedSettings(room: Room, next: RoomSettings): string[] {
  return (Object.keys(next) as (keyof RoomSettings)[]).filter((k) => room[k] !== next[k]);
}
