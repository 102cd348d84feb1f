// A room (a hotline) with every setting of spec/chat-room-customizations.txt, as the app reads it
// (D1 `rooms`). The enums are also the columns' (worker/db/schema.ts takes them from here).

export const FIELD_VISIBILITY = ["shown", "mandatory", "hidden"] as const;
export const CHARGING_MODES = ["none", "manual", "automatic"] as const;
export const ASSIGNMENTS = ["quickest", "nearest"] as const;
export const EMBED_POSITIONS = ["right", "left"] as const;

export type FieldVisibility = (typeof FIELD_VISIBILITY)[number];
export type ChargingMode = (typeof CHARGING_MODES)[number];
export type Assignment = (typeof ASSIGNMENTS)[number];

export type Room = {
  id: string;
  companyId: string;
  name: string;
  position: number;
  // Contact form
  theme: string;
  formCompanyName: string | null;
  formLogoUrl: string | null;
  formHeader: string;
  formSubheader: string;
  fieldName: FieldVisibility;
  fieldEmail: FieldVisibility;
  fieldPhone: FieldVisibility;
  fieldMessage: FieldVisibility;
  buttonChatHidden: boolean;
  buttonEmailHidden: boolean;
  buttonVoiceHidden: boolean;
  buttonVideoHidden: boolean;
  buttonWhatsappHidden: boolean;
  // Chat assignment
  assignment: Assignment;
  sameAgent: boolean;
  includeMobile: boolean;
  // Customer interactions
  allowLeaveEmail: boolean;
  allowEmailAlert: boolean;
  alwaysEmailTranscript: boolean;
  // WhatsApp assignment
  whatsappOnlineAgents: boolean;
  whatsappOfflineAgents: boolean;
  // In-app purchase and pricing scheme
  chargingMode: ChargingMode;
  pricingCurrency: string;
  pricingFreeMinutes: number;
  pricingBlockPriceMinor: number;
  pricingBlockMinutes: number;
  pricingSplitThresholdMinor: number | null;
  authorisationAmountMinor: number;
  allowAgentPricing: boolean;
  // Public profile used in email to customers
  publicCompanyName: string | null;
  publicContactEmail: string | null;
  // Customer phone & agent phone buttons
  phoneText: boolean;
  phoneVoice: boolean;
  phoneVideo: boolean;
  phoneScreenShare: boolean;
  phoneRecording: boolean;
  phoneRemoteControl: boolean;
  phoneFullScreen: boolean;
  phoneConference: boolean;
  phoneSimultaneousChats: boolean;
  phoneTimerStart: boolean;
  phoneTimerStop: boolean;
  // Chat messaging and waiting screen
  hidePreviewTyping: boolean;
  agentRole: string;
  wrapUpSeconds: number | null;
  // Embed: sticky button and pop-up contact form
  embedPosition: (typeof EMBED_POSITIONS)[number];
  embedPopup: boolean;
  embedWhisperText: string;
  embedWhisperDelaySeconds: number;
  /** The first other website that fetched the room's embed script (null: none yet). */
  embedOrigin: string | null;
  createdAt: number;
  /** When the admin retired the room (its records stay; its links answer 410), or null. */
  retiredAt: number | null;
};
