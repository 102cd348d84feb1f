import { describe, expect, it } from "vitest";
import { fieldErrors } from "../../worker/accounts/validation";
import { currencyOf } from "../../worker/billing/pricing-form";
import {
  NEAREST_NEEDS_ENTERPRISE,
  changedSettings,
  roomSettingsForm,
  settingsValuesFromForm,
  settingsValuesFromRoom,
  type RoomSettings,
} from "../../worker/rooms/settings";
import type { Room } from "../../worker/rooms/room";
import { NEW_ROOM_SETTINGS_FORM } from "../forms/room-settings";

// A new room's form, with the colour typed in capitals (it is stored in lower case).
const good: Record<string, string> = { ...NEW_ROOM_SETTINGS_FORM, theme: "#2563EB" };

const parse = (overrides: Record<string, string | undefined> = {}, plan: "free" | "pro" | "enterprise" = "free") => {
  const input: Record<string, string> = { ...good };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete input[k];
    else input[k] = v;
  }
  // As the route reads it: money in the currency chosen in the same form.
  return roomSettingsForm(plan, currencyOf(input)).safeParse(input);
};
const data = (overrides: Record<string, string | undefined> = {}, plan?: "free" | "pro" | "enterprise") => {
  const result = parse(overrides, plan);
  if (!result.success) throw new Error(JSON.stringify(fieldErrors(result.error)));
  return result.data;
};
const errors = (overrides: Record<string, string | undefined>, plan?: "free" | "pro" | "enterprise") => {
  const result = parse(overrides, plan);
  if (result.success) throw new Error("expected the form to be refused");
  return fieldErrors(result.error);
};

describe("room settings form", () => {
  it("reads a good form into the rooms columns", () => {
    expect(data()).toEqual({
      theme: "#2563eb",
      formCompanyName: null,
      formLogoUrl: null,
      formHeader: "Talk to us",
      formSubheader: "An agent will answer in moments.",
      fieldName: "mandatory",
      fieldEmail: "shown",
      fieldPhone: "shown",
      fieldMessage: "shown",
      buttonChatHidden: false,
      buttonEmailHidden: false,
      buttonVoiceHidden: false,
      buttonVideoHidden: false,
      buttonWhatsappHidden: true,
      assignment: "quickest",
      sameAgent: false,
      includeMobile: true,
      whatsappOnlineAgents: true,
      whatsappOfflineAgents: true,
      allowLeaveEmail: true,
      allowEmailAlert: false,
      alwaysEmailTranscript: false,
      hidePreviewTyping: false,
      agentRole: "Agent",
      phoneSimultaneousChats: false,
      wrapUpSeconds: null,
      publicCompanyName: null,
      publicContactEmail: null,
      embedPopup: true,
      embedPosition: "right",
      embedWhisperText: "Questions? We're online.",
      embedWhisperDelaySeconds: 20,
      phoneText: true,
      phoneVoice: true,
      phoneVideo: true,
      phoneScreenShare: true,
      phoneRecording: false,
      phoneRemoteControl: true,
      phoneFullScreen: false,
      phoneConference: false,
      chargingMode: "none",
      pricingCurrency: "EUR",
      pricingFreeMinutes: 0,
      pricingBlockPriceMinor: 1000,
      pricingBlockMinutes: 5,
      pricingSplitThresholdMinor: null,
      authorisationAmountMinor: 5000,
      allowAgentPricing: false,
      phoneTimerStart: true,
      phoneTimerStop: true,
    } satisfies RoomSettings);
  });

  it("trims text and keeps an empty sub-header", () => {
    const parsed = data({ formCompanyName: "  Acme  ", formHeader: " Hello ", formSubheader: "  ", agentRole: " Doctor " });
    expect(parsed.formCompanyName).toBe("Acme");
    expect(parsed.formHeader).toBe("Hello");
    expect(parsed.formSubheader).toBe("");
    expect(parsed.agentRole).toBe("Doctor");
  });

  describe("theme", () => {
    it("accepts #rrggbb in either case and stores it lower-case", () => {
      expect(data({ theme: "#AbCdEf" }).theme).toBe("#abcdef");
    });
    it.each(["red", "#fff", "#12345g", "2563eb", "#2563eb00", ""])("refuses %j", (theme) => {
      expect(errors({ theme }).theme).toMatch(/#rrggbb/);
    });
  });

  describe("logo URL", () => {
    it("accepts http and https addresses, and empty for no logo", () => {
      expect(data({ formLogoUrl: "https://cdn.example.com/logo.png" }).formLogoUrl).toBe("https://cdn.example.com/logo.png");
      expect(data({ formLogoUrl: "http://example.com/l.svg" }).formLogoUrl).toBe("http://example.com/l.svg");
      expect(data({ formLogoUrl: "  " }).formLogoUrl).toBeNull();
    });
    it.each(["javascript:alert(1)", "data:image/png;base64,AAAA", "ftp://example.com/l.png", "example.com/logo.png", "https://"])("refuses %j", (formLogoUrl) => {
      expect(errors({ formLogoUrl }).formLogoUrl).toMatch(/https:\/\/ or http:\/\//);
    });
  });

  it("requires a header of at most 80 characters", () => {
    expect(errors({ formHeader: "   " }).formHeader).toMatch(/Enter a header/);
    expect(errors({ formHeader: "x".repeat(81) }).formHeader).toMatch(/at most 80/);
  });

  it("asks for a visibility of each field and a choice for each button", () => {
    const e = errors({ fieldPhone: "sometimes", buttonVideoHidden: undefined });
    expect(e.fieldPhone).toMatch(/shown, mandatory or hidden/);
    expect(e.buttonVideoHidden).toMatch(/shown or hidden/);
  });

  it("refuses a form that hides every button", () => {
    const e = errors({ buttonChatHidden: "hidden", buttonEmailHidden: "hidden", buttonVoiceHidden: "hidden", buttonVideoHidden: "hidden", buttonWhatsappHidden: "hidden" });
    expect(e.buttons).toMatch(/at least one button/);
  });

  it("refuses a WhatsApp assignment with neither online nor offline agents", () => {
    expect(errors({ whatsappOnlineAgents: undefined, whatsappOfflineAgents: undefined }).whatsappAgents).toMatch(/online agents, offline agents or both/);
    expect(data({ whatsappOfflineAgents: undefined })).toMatchObject({ whatsappOnlineAgents: true, whatsappOfflineAgents: false });
  });

  describe("public profile", () => {
    it("keeps a company name and a contact email, lower-cased; empty means the company's own", () => {
      expect(data({ publicCompanyName: " Alpha Clinic ", publicContactEmail: " Desk@Alpha.TEST " })).toMatchObject({ publicCompanyName: "Alpha Clinic", publicContactEmail: "desk@alpha.test" });
      expect(data({ publicCompanyName: " ", publicContactEmail: "" })).toMatchObject({ publicCompanyName: null, publicContactEmail: null });
    });
    it.each(["desk", "desk@", "a b@c.test", "<x@y.test>"])("refuses the contact email %j", (publicContactEmail) => {
      expect(errors({ publicContactEmail }).publicContactEmail).toBe("Enter a valid email address, like name@example.com.");
    });
    it("refuses a company name over 80 characters", () => {
      expect(errors({ publicCompanyName: "x".repeat(81) }).publicCompanyName).toMatch(/at most 80/);
    });
  });

  describe("embed", () => {
    it("reads the position, pop-up, whisper and its delay; an empty whisper means none", () => {
      expect(data({ embedPosition: "left", embedPopup: undefined, embedWhisperText: "  ", embedWhisperDelaySeconds: "0" })).toMatchObject({
        embedPosition: "left",
        embedPopup: false,
        embedWhisperText: "",
        embedWhisperDelaySeconds: 0,
      });
    });
    it("refuses a position other than bottom right or left", () => {
      expect(errors({ embedPosition: "top" }).embedPosition).toBe("Choose bottom right or bottom left.");
    });
    it("refuses a whisper over 120 characters", () => {
      expect(errors({ embedWhisperText: "x".repeat(121) }).embedWhisperText).toMatch(/at most 120/);
    });
    it.each(["", "1.5", "-3", "601", "soon"])("refuses the whisper delay %j", (embedWhisperDelaySeconds) => {
      expect(errors({ embedWhisperDelaySeconds }).embedWhisperDelaySeconds).toBe("Enter a whole number of seconds from 0 to 600.");
    });
  });

  describe("service staff assignment", () => {
    it("offers nearest to the customer on the Large Enterprise plan", () => {
      expect(data({ assignment: "nearest" }, "enterprise").assignment).toBe("nearest");
    });
    it.each(["free", "pro"] as const)("refuses nearest on the %s plan with the reason", (plan) => {
      expect(errors({ assignment: "nearest" }, plan).assignment).toBe(NEAREST_NEEDS_ENTERPRISE);
    });
    it("refuses an unknown assignment", () => {
      expect(errors({ assignment: "random" }, "enterprise").assignment).toMatch(/Choose how chats are assigned/);
    });
  });

  it("reads unticked boxes as off and ticked ones as on", () => {
    const parsed = data({ includeMobile: undefined, allowLeaveEmail: undefined, sameAgent: "on", allowEmailAlert: "on", hidePreviewTyping: "on", phoneSimultaneousChats: "on" });
    expect(parsed).toMatchObject({ includeMobile: false, allowLeaveEmail: false, sameAgent: true, allowEmailAlert: true, hidePreviewTyping: true, phoneSimultaneousChats: true });
  });

  describe("agent role", () => {
    it("takes 1 to 40 characters", () => {
      expect(data({ agentRole: "x".repeat(40) }).agentRole).toHaveLength(40);
      expect(errors({ agentRole: "x".repeat(41) }).agentRole).toMatch(/at most 40/);
      expect(errors({ agentRole: "  " }).agentRole).toMatch(/Enter the role/);
    });
  });

  describe("wrap-up time", () => {
    it.each([
      ["", null],
      [" ", null],
      ["0", 0],
      ["45", 45],
      ["3600", 3600],
    ])("reads %j as %j", (wrapUpSeconds, expected) => {
      expect(data({ wrapUpSeconds }).wrapUpSeconds).toBe(expected);
    });
    it.each(["3601", "-1", "1.5", "1e3", "ten", "99999"])("refuses %j", (wrapUpSeconds) => {
      expect(errors({ wrapUpSeconds }).wrapUpSeconds).toMatch(/whole number of seconds from 0 to 3600/);
    });
  });

  describe("in-app purchase", () => {
    it.each(["none", "manual", "automatic"] as const)("takes the charging mode %s", (chargingMode) => {
      expect(data({ chargingMode }).chargingMode).toBe(chargingMode);
    });
    it("refuses an unknown charging mode", () => {
      expect(errors({ chargingMode: "barter" }).chargingMode).toBe("Choose how customers pay in this room.");
    });

    it("reads the pricing scheme and the authorisation amount in the chosen currency, as minor units", () => {
      expect(data({ chargingMode: "automatic", pricingCurrency: "JPY", pricingFreeMinutes: "2", pricingBlockPrice: "3000", pricingBlockMinutes: "10", pricingSplitThreshold: "6000", authorisationAmount: "5000" })).toMatchObject({
        chargingMode: "automatic",
        pricingCurrency: "JPY",
        pricingFreeMinutes: 2,
        pricingBlockPriceMinor: 3000,
        pricingBlockMinutes: 10,
        pricingSplitThresholdMinor: 6000,
        authorisationAmountMinor: 5000,
      });
    });

    it("refuses an authorisation amount below Stripe's minimum", () => {
      expect(errors({ authorisationAmount: "0.10", pricingBlockPrice: "0.50" }).authorisationAmount).toBe("Stripe cannot take less than EUR 0.50 in one payment; enter at least 0.50.");
      expect(errors({ authorisationAmount: "" }).authorisationAmount).toBe("Enter an amount, for example 10.50.");
    });

    it("asks for an authorisation amount that covers the first block when it is the card hold", () => {
      expect(errors({ authorisationAmount: "9.99" }).authorisationAmount).toBe(
        "Set the authorisation amount to at least the price per block (EUR 10.00): the customer's card is held for this amount, and a smaller hold cannot pay for the first block.",
      );
      // With a split threshold the threshold is the hold, so the authorisation amount is not used.
      expect(data({ authorisationAmount: "5.00", pricingSplitThreshold: "20.00" }).authorisationAmountMinor).toBe(500);
    });

    it("reads the agents' own pricing and the charges timer buttons as switches", () => {
      expect(data({ allowAgentPricing: "on", phoneTimerStart: undefined, phoneTimerStop: undefined })).toMatchObject({ allowAgentPricing: true, phoneTimerStart: false, phoneTimerStop: false });
    });
  });

  it("names every bad field at once", () => {
    const e = errors({ theme: "blue", formLogoUrl: "nope", agentRole: "", wrapUpSeconds: "-5", assignment: "nearest", chargingMode: "", pricingBlockPrice: "10.505", authorisationAmount: "-1" });
    expect(Object.keys(e).sort()).toEqual(["agentRole", "assignment", "authorisationAmount", "chargingMode", "formLogoUrl", "pricingBlockPrice", "theme", "wrapUpSeconds"]);
  });
});

const room = {
  id: "r1",
  companyId: "c1",
  name: "GENERAL",
  theme: "#2563eb",
  formCompanyName: null,
  formLogoUrl: null,
  formHeader: "Talk to us",
  formSubheader: "An agent will answer in moments.",
  fieldName: "mandatory",
  fieldEmail: "shown",
  fieldPhone: "shown",
  fieldMessage: "shown",
  buttonChatHidden: false,
  buttonEmailHidden: false,
  buttonVoiceHidden: false,
  buttonVideoHidden: false,
  buttonWhatsappHidden: true,
  assignment: "quickest",
  sameAgent: false,
  includeMobile: true,
  allowLeaveEmail: true,
  allowEmailAlert: false,
  alwaysEmailTranscript: false,
  hidePreviewTyping: false,
  agentRole: "Agent",
  phoneSimultaneousChats: false,
  wrapUpSeconds: null,
  whatsappOnlineAgents: true,
  whatsappOfflineAgents: true,
  publicCompanyName: null,
  publicContactEmail: null,
  embedPopup: true,
  embedPosition: "right",
  embedWhisperText: "Questions? We're online.",
  embedWhisperDelaySeconds: 20,
  chargingMode: "none",
  pricingCurrency: "EUR",
  pricingFreeMinutes: 0,
  pricingBlockPriceMinor: 1000,
  pricingBlockMinutes: 5,
  pricingSplitThresholdMinor: null,
  authorisationAmountMinor: 5000,
  allowAgentPricing: false,
  phoneTimerStart: true,
  phoneTimerStop: true,
  phoneText: true,
  phoneVoice: true,
  phoneVideo: true,
  phoneScreenShare: true,
  phoneRecording: false,
  phoneRemoteControl: true,
  phoneFullScreen: false,
  phoneConference: false,
} as Room;

describe("form values", () => {
  it("show a saved room as the form sends it, so saving it unchanged changes nothing", () => {
    const values = settingsValuesFromRoom(room);
    expect(values.wrapUpSeconds).toBe("");
    expect(values.formCompanyName).toBe("");
    expect(values.buttonWhatsappHidden).toBe(true);
    expect(values).toMatchObject({ pricingBlockPrice: "10.00", pricingSplitThreshold: "", authorisationAmount: "50.00", pricingFreeMinutes: "0" });
    expect(changedSettings(room, data())).toEqual([]);
  });

  it("keep what was typed in a refused form", () => {
    const values = settingsValuesFromForm({ ...good, theme: "blue", buttonChatHidden: "hidden", wrapUpSeconds: "-5", includeMobile: undefined }, settingsValuesFromRoom(room));
    expect(values).toMatchObject({ theme: "blue", buttonChatHidden: true, wrapUpSeconds: "-5", includeMobile: false, allowLeaveEmail: true });
    const priced = settingsValuesFromForm({ ...good, pricingBlockPrice: "10.505", authorisationAmount: "lots", chargingMode: "automatic", allowAgentPricing: "on" }, settingsValuesFromRoom(room));
    expect(priced).toMatchObject({ pricingBlockPrice: "10.505", authorisationAmount: "lots", chargingMode: "automatic", allowAgentPricing: true, phoneTimerStart: true });
  });

  it("list the settings a save changes", () => {
    expect(changedSettings(room, data({ theme: "#ff0000", fieldPhone: "hidden", wrapUpSeconds: "30" }))).toEqual(["theme", "fieldPhone", "wrapUpSeconds"]);
    expect(changedSettings(room, data({ chargingMode: "automatic", pricingBlockPrice: "12", authorisationAmount: "60", phoneTimerStop: undefined })).sort()).toEqual(
      ["authorisationAmountMinor", "chargingMode", "phoneTimerStop", "pricingBlockPriceMinor"],
    );
  });
});
