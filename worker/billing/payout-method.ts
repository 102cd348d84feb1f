import * as z from "zod";

// Where a solo professional's 80 % is paid out (cheat sheet: Pricing – "Solo User" account):
// PayPal, Stripe, AliPay or WeChat Pay, with the account to pay into.

export const PAYOUT_METHODS = ["stripe", "paypal", "alipay", "wechat_pay"] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];

export const PAYOUT_METHOD_LABELS: Record<PayoutMethod, string> = { stripe: "Stripe", paypal: "PayPal", alipay: "AliPay", wechat_pay: "WeChat Pay" };

/** What identifies the account to pay into, per method: the label and hint of the form field. */
export const PAYOUT_ACCOUNT_HINTS: Record<PayoutMethod, string> = {
  stripe: "The email address of your Stripe account.",
  paypal: "The email address of your PayPal account.",
  alipay: "The email address or mobile number of your AliPay account.",
  wechat_pay: "Your WeChat ID.",
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const payoutForm = z
  .object({
    payoutMethod: z.enum(PAYOUT_METHODS, { error: "Choose how you want to be paid." }),
    payoutAccount: z.string().trim().min(1, "Enter the account to pay into.").max(120, "Use at most 120 characters."),
  })
  .superRefine((v, ctx) => {
    // Stripe and PayPal find an account by its email; AliPay and WeChat also take a phone number or ID.
    if ((v.payoutMethod === "stripe" || v.payoutMethod === "paypal") && !EMAIL.test(v.payoutAccount))
      ctx.addIssue({ code: "custom", path: ["payoutAccount"], message: `Enter the email address of your ${PAYOUT_METHOD_LABELS[v.payoutMethod]} account.` });
  });

export type PayoutInput = z.infer<typeof payoutForm>;
