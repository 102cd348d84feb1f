import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { hoursMinutesSeconds, minutesSeconds } from "../../worker/format/clock";

type Clock = { minutesSeconds: (seconds: number) => string; hoursMinutesSeconds: (seconds: number) => string };

// The controllers' copy is a plain browser module without types; a computed path loads it as is.
const browserClock = (): Promise<Clock> => import(pathToFileURL(`${import.meta.dirname}/../../static/format/clock.js`).href);

describe("a length of time as a clock", () => {
  it("shows chargeable time as minutes:seconds, minutes running on past the hour", () => {
    expect(minutesSeconds(0)).toBe("0:00");
    expect(minutesSeconds(330)).toBe("5:30");
    expect(minutesSeconds(3725)).toBe("62:05");
  });

  it("shows a session's time with hours once there are any", () => {
    expect(hoursMinutesSeconds(1799)).toBe("29:59");
    expect(hoursMinutesSeconds(3600)).toBe("1:00:00");
    expect(hoursMinutesSeconds(5)).toBe("0:05");
    expect(hoursMinutesSeconds(3725)).toBe("1:02:05");
    expect(hoursMinutesSeconds(90_061)).toBe("25:01:01");
  });

  it("counts whole seconds, and no time below zero", () => {
    expect(minutesSeconds(59.9)).toBe("0:59");
    expect(minutesSeconds(-3)).toBe("0:00");
    expect(hoursMinutesSeconds(3599.5)).toBe("59:59");
    expect(hoursMinutesSeconds(-1)).toBe("0:00");
  });

  it("reads the same in the browser's copy", async () => {
    const browser = await browserClock();
    for (const seconds of [0, 1, 59, 60, 330, 3599, 3600, 3725, 36_000, 90_061, 12.7, -4]) {
      expect(browser.minutesSeconds(seconds)).toBe(minutesSeconds(seconds));
      expect(browser.hoursMinutesSeconds(seconds)).toBe(hoursMinutesSeconds(seconds));
    }
  });
});
