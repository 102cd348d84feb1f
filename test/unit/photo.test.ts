import { describe, expect, it } from "vitest";
import { photoChoiceOf, photoTypeOf, servedPhotoType, uploadedPhotoName } from "../../worker/agents/photo";

const bytes = (...parts: (number[] | string)[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));
const NAME = "A".repeat(31) + "_";

describe("photoTypeOf", () => {
  it("knows JPEG, PNG and WebP by their first bytes", () => {
    expect(photoTypeOf(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(photoTypeOf(bytes([0x89], "PNG\r\n", [0x1a, 0x0a, 0]))).toBe("image/png");
    expect(photoTypeOf(bytes("RIFF", [1, 2, 3, 4], "WEBPVP8 "))).toBe("image/webp");
  });

  it("refuses anything else, however it is named: SVG, GIF, HTML, another RIFF file, a cut-off header", () => {
    for (const head of [bytes("<svg xmlns="), bytes("GIF89a"), bytes("<!doctype html>"), bytes("RIFF", [0, 0, 0, 0], "WAVE"), bytes([0x89], "PNG"), bytes()]) {
      expect(photoTypeOf(head)).toBeNull();
    }
  });
});

describe("names of uploaded photos", () => {
  it("serve the type their extension was given from the checked bytes, and nothing for a name Parley never gives", () => {
    expect(servedPhotoType(`${NAME}.png`)).toBe("image/png");
    expect(servedPhotoType(`${NAME}.jpg`)).toBe("image/jpeg");
    expect(servedPhotoType(`${NAME}.webp`)).toBe("image/webp");
    for (const name of [`${NAME}.svg`, `${NAME}.png.html`, "short.png", `../${NAME}.png`, `${NAME}x.png`]) expect(servedPhotoType(name)).toBeNull();
  });

  it("tell an uploaded photo from a web address or none, for the form's option", () => {
    expect(uploadedPhotoName(`/photos/${NAME}.png`)).toBe(`${NAME}.png`);
    expect(uploadedPhotoName(`https://parley.example/photos/${NAME}.png`)).toBeNull();
    expect(uploadedPhotoName(null)).toBeNull();
    expect(photoChoiceOf(`/photos/${NAME}.webp`)).toBe("upload");
    expect(photoChoiceOf("https://photos.example/me.png")).toBe("url");
    expect(photoChoiceOf(null)).toBe("initials");
  });
});
