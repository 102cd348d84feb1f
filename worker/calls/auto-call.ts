import type { PhoneButtons } from "./media";

// A chat started from the contact form's Voice or Video button starts that call by itself once
// the agent answers, on both sides, within what the room's phone buttons allow.

export type AutoCall = "voice" | "video";

/**
 * The call to start for a chat of this mode in a room with these buttons, or null (text only).
 * Video falls back to voice when the room hides Video; voice never becomes video, so a camera is
 * never switched on that the customer did not ask for.
 */
export function autoCall(mode: "chat" | "voice" | "video", buttons: PhoneButtons): AutoCall | null {
  if (mode === "video" && buttons.video) return "video";
  if (mode !== "chat" && buttons.voice) return "voice";
  return null;
}
