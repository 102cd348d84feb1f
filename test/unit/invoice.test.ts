import { describe, expect, it } from "vitest";
import {
  applicationFeeMinor,
  durationText,
  expireClock,
  finishClock,
  invoiceValues,
  parseInvoice,
  readyClock,
  remainingSeconds,
  startClock,
  type InvoiceValues,
} from "../../worker/billing/invoice";

const form = (values: Partial<InvoiceValues>): InvoiceValues => ({ kind: "service", description: "Consultation", amount: "50.00", currency: "EUR", minutes: "30", ...values });

describe("an agent's payment request", () => {
  it("reads a service: the amount in minor units and the minutes bought in seconds", () => {
    expect(parseInvoice(form({}))).toEqual({ ok: true, terms: { kind: "service", description: "Consultation", amountMinor: 5000, currency: "EUR", durationSeconds: 1800 } });
  });

  it("reads physical goods without a duration, whatever the minutes field says", () => {
    const parsed = parseInvoice(form({ kind: "goods", minutes: "" }));
    expect(parsed).toMatchObject({ ok: true, terms: { kind: "goods", durationSeconds: null } });
  });

  it("reads amounts in a currency without decimals", () => {
    expect(parseInvoice(form({ currency: "JPY", amount: "3000" }))).toMatchObject({ ok: true, terms: { amountMinor: 3000, currency: "JPY" } });
    expect(parseInvoice(form({ currency: "JPY", amount: "30.5" }))).toEqual({ ok: false, errors: { amount: "Amounts in JPY have no decimals: enter a whole number, for example 3000." } });
  });

  it("says what is wrong with each field", () => {
    const parsed = parseInvoice({ kind: "", description: "   ", amount: "abc", currency: "XYZ", minutes: "" });
    expect(parsed).toEqual({
      ok: false,
      errors: {
        kind: "Choose Online Service Performance or Physical Goods.",
        description: "Describe what the customer pays for.",
        currency: "Choose one of EUR, USD, GBP, JPY, CHF, AUD, CAD.",
      },
    });
    expect(parseInvoice(form({ minutes: "1441" }))).toEqual({ ok: false, errors: { minutes: "Enter the minutes of service bought, a whole number from 1 to 1440." } });
    expect(parseInvoice(form({ amount: "0.49" }))).toEqual({ ok: false, errors: { amount: "Stripe cannot take less than EUR 0.50 in one payment; enter at least 0.50." } });
    expect(parseInvoice(form({ description: "x".repeat(201) }))).toEqual({ ok: false, errors: { description: "Use at most 200 characters." } });
  });

  it("gives back the form of issued terms for Buy another session", () => {
    const parsed = parseInvoice(form({ amount: "12.5", minutes: "45" }));
    if (!parsed.ok) throw new Error("expected valid terms");
    expect(invoiceValues(parsed.terms)).toEqual({ kind: "service", description: "Consultation", amount: "12.50", currency: "EUR", minutes: "45" });
  });
});

describe("Parley's application fee on a payment request", () => {
  const terms = (kind: "service" | "goods") => ({ kind, description: "x", amountMinor: 5000, currency: "EUR", durationSeconds: null });
  it("is 10 % of a service and 4 % of goods on a company's connected account", () => {
    expect(applicationFeeMinor(terms("service"), "company", true)).toBe(500);
    expect(applicationFeeMinor(terms("goods"), "company", true)).toBe(200);
  });
  it("is not an application fee when the charge is on Parley's own account (a solo agent)", () => {
    expect(applicationFeeMinor(terms("service"), "solo", false)).toBeNull();
  });
});

describe("the service clock", () => {
  const t0 = 1_000_000;
  it("shows the purchased time until Service Starts, then counts down in whole seconds", () => {
    const ready = readyClock(1800);
    expect(remainingSeconds(ready, t0)).toBe(1800);
    const running = startClock(ready, t0);
    expect(remainingSeconds(running, t0 + 400)).toBe(1800); // a started second still shows
    expect(remainingSeconds(running, t0 + 1000)).toBe(1799);
    expect(remainingSeconds(running, t0 + 1_800_000 + 5000)).toBe(0);
  });

  it("is spent at the deadline, not before, and then shows the purchased time again", () => {
    const running = startClock(readyClock(60), t0);
    expect(expireClock(running, t0 + 59_999)).toBe(running);
    const spent = expireClock(running, t0 + 60_000);
    expect(spent.state).toBe("spent");
    expect(remainingSeconds(spent, t0 + 60_000)).toBe(60);
    expect(startClock(spent, t0 + 61_000)).toBe(spent); // a spent session cannot be started again
  });

  it("stops at Service Finished", () => {
    const finished = finishClock(startClock(readyClock(60), t0));
    expect(finished.state).toBe("finished");
    expect(expireClock(finished, t0 + 120_000)).toBe(finished);
  });

  it("writes durations as people say them", () => {
    expect(durationText(1800)).toBe("30 minutes");
    expect(durationText(60)).toBe("1 minute");
    expect(durationText(5400)).toBe("1 hour 30 minutes");
    expect(durationText(7200)).toBe("2 hours");
  });
});
