import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { fileSize, partFileName } from "../../worker/format/recording-part";

type RecordingPart = { partFileName: (chatId: string, segment: number) => string; fileSize: (bytes: number) => string };

// The browser's copy is a plain module without types; a computed path loads it as is.
const browserCopy = (): Promise<RecordingPart> => import(pathToFileURL(`${import.meta.dirname}/../../static/format/recording-part.js`).href);

const CHAT = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

describe("a recorded part's file", () => {
  it("is named for the chat's first eight characters and the part's number", () => {
    expect(partFileName(CHAT, 2)).toBe("chat-1a2b3c4d-part-2.webm");
  });

  it("is sized in whole KB below a megabyte (never 0) and in MB to one decimal above", () => {
    expect(fileSize(10)).toBe("1 KB");
    expect(fileSize(860_000)).toBe("840 KB");
    expect(fileSize(1024 * 1024)).toBe("1.0 MB");
    expect(fileSize(13_107_200)).toBe("12.5 MB");
  });

  it("is named and sized the same by the browser's copy", async () => {
    const browser = await browserCopy();
    expect(browser.partFileName(CHAT, 7)).toBe(partFileName(CHAT, 7));
    for (const bytes of [0, 10, 1023, 1024, 860_000, 1024 * 1024 - 1, 1024 * 1024, 13_107_200]) expect(browser.fileSize(bytes)).toBe(fileSize(bytes));
  });
});
