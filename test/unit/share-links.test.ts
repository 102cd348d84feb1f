import { describe, expect, it } from "vitest";
import { privateRoomLinks, roomShareLinks } from "../../worker/rooms/share-links";

describe("roomShareLinks", () => {
  it("gives the contact form, its voice and video modes, WhatsApp, the embed tag and both statistics addresses", () => {
    expect(roomShareLinks("https://parley.example", "acme", "GENERAL")).toEqual({
      contactForm: "https://parley.example/c/acme/GENERAL",
      voice: "https://parley.example/c/acme/GENERAL?mode=voice",
      video: "https://parley.example/c/acme/GENERAL?mode=video",
      whatsapp: "https://parley.example/c/acme/GENERAL/whatsapp",
      embedSnippet: '<script src="https://parley.example/embed/acme/GENERAL.js" async></script>',
      statsBrief: "https://parley.example/api/stats/acme/GENERAL",
      statsDetails: "https://parley.example/api/stats/acme/GENERAL/details",
    });
  });

  it("percent-encodes what a URL path cannot hold, so the snippet's attribute cannot be closed", () => {
    const links = roomShareLinks("https://parley.example", 'a"b', "X Y");
    expect(links.embedSnippet).toBe('<script src="https://parley.example/embed/a%22b/X%20Y.js" async></script>');
  });
});

describe("privateRoomLinks", () => {
  it("are the agent's ~handle room's contact form, voice, video and WhatsApp links", () => {
    expect(privateRoomLinks("https://parley.example", "acme", "ann-lee")).toEqual({
      contactForm: "https://parley.example/c/acme/~ann-lee",
      voice: "https://parley.example/c/acme/~ann-lee?mode=voice",
      video: "https://parley.example/c/acme/~ann-lee?mode=video",
      whatsapp: "https://parley.example/c/acme/~ann-lee/whatsapp",
    });
  });
});
