import * as z from "zod";
import { fieldErrors, isWebUrl } from "../accounts/validation";
import { MAX_PHOTO_BYTES, MAX_PHOTO_MB, PHOTO_CHOICES, PHOTO_SIGNATURE_BYTES, photoTypeOf, type PhotoType } from "./photo";
import {
  currencyOf,
  pricingSchemeForm,
  refineScheme,
  schemeColumns,
  schemeFromColumns,
  schemeShape,
  schemeValuesFromForm,
  schemeValuesFromRow,
  type PricingCurrency,
  type SchemeColumns,
  type SchemePreview,
  type SchemeValues,
} from "../billing/pricing-form";

export const RINGTONES = [
  { value: "classic", label: "Classic" },
  { value: "chime", label: "Chime" },
  { value: "soft", label: "Soft" },
  { value: "none", label: "Silent (visual only)" },
] as const;

const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());

/** An uploaded photo whose size and first bytes were checked. */
export type CheckedPhoto = { file: File; type: PhotoType };

/** The photo the agent chose: none (initials), a web address, or an upload (null: keep the one uploaded before). */
export type PhotoInput = { choice: "initials" } | { choice: "url"; url: string } | { choice: "upload"; upload: CheckedPhoto | null };

// A file input left empty is still sent, without a file name: read as "" (workerd) or an empty file.
const noFileAsUndefined = (v: unknown) => (v === "" || (v instanceof File && v.size === 0 && v.name === "") ? undefined : v);

const photoFile = z.preprocess(noFileAsUndefined, z.instanceof(File, { error: "Choose an image file." }).optional()).transform(async (file, ctx): Promise<CheckedPhoto | undefined> => {
  if (!file) return undefined;
  if (file.size > MAX_PHOTO_BYTES) {
    ctx.addIssue({ code: "custom", message: `This photo is over ${MAX_PHOTO_MB} MB: use a smaller one.` });
    return z.NEVER;
  }
  const type = photoTypeOf(new Uint8Array(await file.slice(0, PHOTO_SIGNATURE_BYTES).arrayBuffer()));
  if (!type) {
    ctx.addIssue({ code: "custom", message: "This file is not a JPEG, PNG or WebP image." });
    return z.NEVER;
  }
  return { file, type };
});

const isHttpsUrl = (v: string) => isWebUrl(v) && v.startsWith("https://");

/**
 * The fields an agent edits in their private profile (spec/agent-private-profile.txt). Uploading
 * without a file keeps the photo uploaded before, when there is one (`hasUploadedPhoto`).
 */
export const profileForm = (hasUploadedPhoto: boolean) =>
  z
    .object({
      photo: z.enum(PHOTO_CHOICES, { error: "Choose a photo to upload, a web address or your initials." }),
      photoUrl: z.string().trim().max(500, "Use at most 500 characters."),
      photoFile,
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
      if (v.photo === "url" && !isHttpsUrl(v.photoUrl)) {
        ctx.addIssue({ code: "custom", path: ["photoUrl"], message: v.photoUrl ? "Use a web address starting with https://." : "Enter the web address of your photo, starting with https://." });
      }
      if (v.photo === "upload" && !v.photoFile && !hasUploadedPhoto) ctx.addIssue({ code: "custom", path: ["photoFile"], message: "Choose a JPEG, PNG or WebP image to upload." });
    })
    .transform(({ photo, photoUrl, photoFile, ...fields }) => {
      const input: PhotoInput = photo === "url" ? { choice: "url", url: photoUrl } : photo === "upload" ? { choice: "upload", upload: photoFile ?? null } : { choice: "initials" };
      return { ...fields, photo: input };
    });

/** The profile as the form gives it, the photo still to be stored; the store saves its URL. */
export type ProfileInput = z.output<ReturnType<typeof profileForm>>;
export type SavedProfile = Omit<ProfileInput, "photo"> & { photoUrl: string | null };

// The agent's profile has no authorisation amount of its own, and the room's is in the room's
// currency: so the split threshold is also the card hold, and own pricing needs one.
export const OWN_PRICING_NEEDS_THRESHOLD =
  "Your own pricing needs a split threshold: customers' cards are held for this amount before each chat in your private room.";

/** The scheme of own pricing switched on: the room's schema, with the threshold required. */
const ownSchemeForm = (currency: PricingCurrency | null) =>
  z
    .object(schemeShape(currency))
    .superRefine((v, ctx) => {
      refineScheme(v, ctx);
      if (v.pricingSplitThreshold === null) ctx.addIssue({ code: "custom", path: ["pricingSplitThreshold"], message: OWN_PRICING_NEEDS_THRESHOLD });
    })
    .transform(schemeColumns);

/**
 * The agent's own pricing scheme (spec: agent-private-profile "Service Charges"). Switched off, the
 * pricing fields are neither checked nor saved: an untouched profile saves, and the scheme kept
 * from before waits for the switch.
 */
export const ownPricingForm = (currency: PricingCurrency | null) =>
  z.looseObject({ ownPricingEnabled: checkbox }).transform((v, ctx): { ownPricingEnabled: false } | ({ ownPricingEnabled: true } & SchemeColumns) => {
    if (!v.ownPricingEnabled) return { ownPricingEnabled: false };
    const scheme = ownSchemeForm(currency).safeParse(v);
    if (scheme.success) return { ownPricingEnabled: true, ...scheme.data };
    for (const issue of scheme.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return z.NEVER;
  });
export type OwnPricing = z.output<ReturnType<typeof ownPricingForm>>;

export type OwnPricingValues = SchemeValues & { ownPricingEnabled: boolean };

// The agent_profiles defaults, for an agent whose profile row does not exist yet.
const NEW_PROFILE_SCHEME: SchemeColumns = { pricingCurrency: "EUR", pricingFreeMinutes: 0, pricingBlockPriceMinor: 1000, pricingBlockMinutes: 5, pricingSplitThresholdMinor: null };

export function ownPricingValues(profile: (Omit<SchemeColumns, "pricingCurrency"> & { pricingCurrency: string; ownPricingEnabled: boolean }) | undefined): OwnPricingValues {
  return { ...schemeValuesFromRow(profile ?? NEW_PROFILE_SCHEME), ownPricingEnabled: profile?.ownPricingEnabled ?? false };
}

export function ownPricingValuesFromForm(input: Record<string, unknown>, fallback: OwnPricingValues): OwnPricingValues {
  return { ...schemeValuesFromForm(input, fallback), ownPricingEnabled: input.ownPricingEnabled === "on" };
}

/**
 * The whole profile form. Own pricing is read only when a room of the company allows it
 * (`ownPricingOffered`); otherwise those fields are not on the page and anything sent is ignored.
 * Both parts are checked, so their errors show together.
 */
export const agentProfileForm = (ownPricingOffered: boolean, currency: PricingCurrency | null, hasUploadedPhoto: boolean) =>
  ownPricingOffered
    ? z.intersection(profileForm(hasUploadedPhoto), ownPricingForm(currency).transform((ownPricing) => ({ ownPricing })))
    : profileForm(hasUploadedPhoto).transform((profile) => ({ ...profile, ownPricing: null }));

/**
 * The scheme the agent's pricing fields describe, as customers would see it once switched on. A
 * threshold not yet set is no error here (own pricing may be off): the preview says it is needed.
 */
export function previewOwnPricing(input: Record<string, unknown>): SchemePreview {
  const parsed = pricingSchemeForm(currencyOf(input)).safeParse(input);
  if (!parsed.success) return { success: false, errors: fieldErrors(parsed.error) };
  const scheme = schemeFromColumns(parsed.data);
  return { success: true, scheme, holdMinor: scheme.splitThresholdMinor };
}
