import type { Room } from "./room";

type RoomPreset = Partial<Room> & { name: string };

export const GENERAL = "GENERAL";

// Solo User accounts start with three rooms, one per way of getting paid (spec: usage cheat
// sheets); Company accounts start with GENERAL and add their own.
const SOLO_ROOMS: RoomPreset[] = [
  { name: GENERAL, position: 0 },
  {
    name: "PREAUTHORISED_CARD_AUTO_CHARGE_END",
    position: 1,
    chargingMode: "automatic",
    allowAgentPricing: true,
    formHeader: "Book a paid consultation",
    formSubheader: "Your card is verified before we connect you; you pay only for the time.",
  },
  {
    name: "CHARGE_DURATION_ON_DEMAND",
    position: 2,
    chargingMode: "manual",
    formHeader: "Talk to me now",
    formSubheader: "Pay for a session during the chat when you are ready.",
  },
];

export function presetRooms(accountType: "solo" | "company"): RoomPreset[] {
  return accountType === "solo" ? SOLO_ROOMS : SOLO_ROOMS.slice(0, 1);
}
