import { describe, expect, it } from "vitest";
import { isoDay } from "../../worker/billing/revenue";
import { utcDateTime, utcTime } from "../../worker/format/utc";

describe("an instant as the pages write it", () => {
  const t = Date.UTC(2025, 4, 31, 14, 5, 59, 999);

  it("writes the UTC date and time to the minute, without rounding up", () => {
    expect(utcDateTime(t)).toBe("2025-05-31 14:05");
    expect(utcTime(t)).toBe("14:05");
    expect(isoDay(t)).toBe("2025-05-31");
  });

  it("keeps to UTC across midnight", () => {
    const late = Date.UTC(2025, 11, 31, 23, 59);
    expect(utcDateTime(late)).toBe("2025-12-31 23:59");
    expect(isoDay(late + 60_000)).toBe("2026-01-01");
    expect(utcTime(late + 60_000)).toBe("00:00");
  });
});
