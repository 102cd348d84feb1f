import { describe, expect, it } from "vitest";
import { entitlementPeriod, entitlementUsage, periodEnd } from "../../worker/accounts/entitlement";

const at = (iso: string) => Date.parse(iso);

describe("entitlementPeriod", () => {
  it("is the calendar month in UTC, whatever the local time zone says", () => {
    expect(entitlementPeriod(at("2026-11-30T23:59:59.999Z"))).toBe("2026-11");
    expect(entitlementPeriod(at("2026-12-01T00:00:00.000Z"))).toBe("2026-12");
    // 1 December 00:30 in Paris is still November in UTC.
    expect(entitlementPeriod(at("2026-12-01T00:30:00+01:00"))).toBe("2026-11");
  });

  it("orders as text the way months follow each other, across a year", () => {
    const months = ["2026-09", "2026-10", "2026-11", "2026-12", "2027-01"];
    expect([...months].reverse().sort()).toEqual(months);
    expect("" < "2026-01").toBe(true);
  });
});

describe("periodEnd", () => {
  it("is the first instant of the next month, December into January", () => {
    expect(periodEnd("2026-11")).toBe(at("2026-12-01T00:00:00Z"));
    expect(periodEnd("2026-12")).toBe(at("2027-01-01T00:00:00Z"));
    expect(periodEnd("2028-02")).toBe(at("2028-03-01T00:00:00Z"));
  });
});

describe("entitlementUsage", () => {
  const company = { entitlementPeriod: "2026-11", entitlementUsed: 500, entitlementEmails: 20, entitlementQuota: 500 };

  it("counts the stored chats and emails while their month lasts, used up at the quota", () => {
    expect(entitlementUsage(company, at("2026-11-30T23:59:59.999Z"))).toEqual({
      used: 500,
      chats: 480,
      emails: 20,
      quota: 500,
      usedUp: true,
      resetsAt: at("2026-12-01T00:00:00Z"),
    });
  });

  it("starts again at 0 on the 1st of the next month, before anything is counted in it", () => {
    expect(entitlementUsage(company, at("2026-12-01T00:00:00.000Z"))).toEqual({
      used: 0,
      chats: 0,
      emails: 0,
      quota: 500,
      usedUp: false,
      resetsAt: at("2027-01-01T00:00:00Z"),
    });
  });

  it("counts nothing yet for a company that never counted (no month stored)", () => {
    expect(entitlementUsage({ ...company, entitlementPeriod: "" }, at("2026-11-15T12:00:00Z"))).toMatchObject({ used: 0, usedUp: false });
  });

  it("keeps a count a Worker with a later clock moved to the next month, rather than going back", () => {
    expect(entitlementUsage({ ...company, entitlementPeriod: "2026-12", entitlementUsed: 3, entitlementEmails: 0 }, at("2026-11-30T23:59:59Z"))).toMatchObject({
      used: 3,
      resetsAt: at("2027-01-01T00:00:00Z"),
    });
  });
});
