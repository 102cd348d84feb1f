import { describe, expect, it } from "vitest";
import { connectState, merchantFor, onboardingOutcome } from "../../worker/billing/connect";
import { payoutForm } from "../../worker/billing/payout-method";

const company = (stripeAccountId: string | null, stripeAccountReady: boolean) => ({ accountType: "company" as const, stripeAccountId, stripeAccountReady });

describe("where a customer's payment goes", () => {
  it("goes to a company's own connected account once it is ready", () => {
    expect(merchantFor(company("acct_1", true))).toEqual({ stripeAccount: "acct_1" });
  });

  it("cannot go anywhere for a company that has not connected, or not finished connecting", () => {
    expect(merchantFor(company(null, false))).toBeNull();
    expect(merchantFor(company("acct_1", false))).toBeNull();
  });

  it("goes to Parley's account for a solo professional, connected or not", () => {
    expect(merchantFor({ accountType: "solo", stripeAccountId: null, stripeAccountReady: false })).toEqual({ stripeAccount: null });
  });
});

describe("a company's Connect state", () => {
  it("is not connected, incomplete, or ready", () => {
    expect(connectState(company(null, false))).toBe("not_connected");
    expect(connectState(company("acct_1", false))).toBe("incomplete");
    expect(connectState(company("acct_1", true))).toBe("ready");
  });

  it("after onboarding: ready only when Stripe enables charges; in review when every detail was sent", () => {
    expect(onboardingOutcome({ charges_enabled: true, details_submitted: true }, "company")).toBe("ready");
    expect(onboardingOutcome({ charges_enabled: false, details_submitted: true }, "company")).toBe("in_review");
    expect(onboardingOutcome({ charges_enabled: false, details_submitted: false }, "company")).toBe("incomplete");
  });
});

describe("a solo professional's payout method", () => {
  it("takes Stripe, PayPal, AliPay or WeChat Pay with the account to pay into", () => {
    expect(payoutForm.parse({ payoutMethod: "paypal", payoutAccount: " me@example.com " })).toEqual({ payoutMethod: "paypal", payoutAccount: "me@example.com" });
    expect(payoutForm.parse({ payoutMethod: "alipay", payoutAccount: "+86 138 0000 0000" }).payoutMethod).toBe("alipay");
    expect(payoutForm.parse({ payoutMethod: "wechat_pay", payoutAccount: "wx_tutor" }).payoutAccount).toBe("wx_tutor");
  });

  it("needs an email address for Stripe and PayPal, and refuses other methods or an empty account", () => {
    const issue = (input: object) => payoutForm.safeParse(input).error?.issues[0];
    expect(issue({ payoutMethod: "stripe", payoutAccount: "acct" })).toMatchObject({ path: ["payoutAccount"], message: "Enter the email address of your Stripe account." });
    expect(issue({ payoutMethod: "cash", payoutAccount: "x" })).toMatchObject({ path: ["payoutMethod"], message: "Choose how you want to be paid." });
    expect(issue({ payoutMethod: "alipay", payoutAccount: "   " })).toMatchObject({ path: ["payoutAccount"], message: "Enter the account to pay into." });
  });
});
