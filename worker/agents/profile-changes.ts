import { formatMoney } from "../billing/currency";
import { RINGTONES } from "./profile";

// What an agent's profile edit changed, for the admins' notice: each field's name with its old
// and new value where the value is fit to mail (a greeting, a ringtone, a switch, prices), else
// just that it changed (a photo address, a phone number, which room).

/** The profile's fields as stored, before or after an edit. */
export type ProfileFields = {
  photoUrl: string | null;
  greeting: string;
  ringtone: string;
  whatsappEnabled: boolean;
  whatsappNumber: string | null;
  notificationAlert: boolean;
  emailAlert: boolean;
  privateRoomId: string | null;
  ownPricingEnabled: boolean;
  pricingCurrency: string;
  pricingFreeMinutes: number;
  pricingBlockPriceMinor: number;
  pricingBlockMinutes: number;
  pricingSplitThresholdMinor: number | null;
};

/** A profile never saved: the agent_profiles defaults (worker/db/schema.ts). */
export const NEW_PROFILE: ProfileFields = {
  photoUrl: null,
  greeting: "Hello! How can I help you today?",
  ringtone: "classic",
  whatsappEnabled: false,
  whatsappNumber: null,
  notificationAlert: true,
  emailAlert: true,
  privateRoomId: null,
  ownPricingEnabled: false,
  pricingCurrency: "EUR",
  pricingFreeMinutes: 0,
  pricingBlockPriceMinor: 1000,
  pricingBlockMinutes: 5,
  pricingSplitThresholdMinor: null,
};

const onOff = (v: boolean) => (v ? "on" : "off");
const quoted = (v: string) => `“${v}”`;
const ringtone = (v: string) => RINGTONES.find((r) => r.value === v)?.label ?? v;
const minutes = (v: number) => `${v} min`;

/** One changed field: its name and what it says about the change. */
export type ProfileChange = [field: string, change: string];

/** The fields the edit changed, in the form's order; empty when it changed nothing. */
export function profileChanges(before: ProfileFields, after: ProfileFields): ProfileChange[] {
  const changes: ProfileChange[] = [];
  const shown = <T,>(field: string, a: T, b: T, show: (v: T) => string) => {
    if (a !== b) changes.push([field, `${show(a)} → ${show(b)}`]);
  };
  const noted = (field: string, a: string | null, b: string | null) => {
    if ((a || null) === (b || null)) return;
    changes.push([field, !a ? "added" : !b ? "removed" : "changed"]);
  };
  noted("Photo", before.photoUrl, after.photoUrl);
  shown("Greeting", before.greeting, after.greeting, quoted);
  shown("Ringtone", before.ringtone, after.ringtone, ringtone);
  shown("WhatsApp", before.whatsappEnabled, after.whatsappEnabled, onOff);
  noted("WhatsApp number", before.whatsappNumber, after.whatsappNumber);
  shown("Notification alert", before.notificationAlert, after.notificationAlert, onOff);
  shown("Email alert", before.emailAlert, after.emailAlert, onOff);
  noted("Private room", before.privateRoomId, after.privateRoomId);
  shown("Own pricing", before.ownPricingEnabled, after.ownPricingEnabled, onOff);
  // Prices in their own currency: a changed currency shows in every price that names it.
  const money = (currency: string) => (v: number | null) => (v === null ? "none" : formatMoney(v, currency));
  const priceChanged = (a: number | null, b: number | null) => a !== b || (a !== null && before.pricingCurrency !== after.pricingCurrency);
  shown("Free minutes", before.pricingFreeMinutes, after.pricingFreeMinutes, minutes);
  if (priceChanged(before.pricingBlockPriceMinor, after.pricingBlockPriceMinor))
    changes.push(["Price per block", `${money(before.pricingCurrency)(before.pricingBlockPriceMinor)} → ${money(after.pricingCurrency)(after.pricingBlockPriceMinor)}`]);
  shown("Block length", before.pricingBlockMinutes, after.pricingBlockMinutes, minutes);
  if (priceChanged(before.pricingSplitThresholdMinor, after.pricingSplitThresholdMinor))
    changes.push(["Split threshold", `${money(before.pricingCurrency)(before.pricingSplitThresholdMinor)} → ${money(after.pricingCurrency)(after.pricingSplitThresholdMinor)}`]);
  return changes;
}
