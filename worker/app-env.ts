import type { SessionUser } from "./accounts/sessions";

export type Bindings = Env & {
  // Secrets and optional settings (see .dev.vars.example); all may be unset locally.
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_API_BASE?: string;
  /** The publishable key for Stripe.js (the Payment Element in the customer's browser). */
  STRIPE_PUBLISHABLE_KEY?: string;
  /** Where Stripe.js is loaded from; https://js.stripe.com/v3/ unless a test points it at the fake's stand-in. */
  STRIPE_JS_URL?: string;
  CALLS_APP_ID?: string;
  CALLS_APP_SECRET?: string;
  CALLS_API_BASE?: string;
  TURN_KEY_ID?: string;
  TURN_KEY_API_TOKEN?: string;
  /** The SMTP relay mail is sent through (worker/adapters/mail.ts); unset: mail waits in the outbox and fails after its retries. */
  SMTP_HOST?: string;
  SMTP_PORT?: string;
  /** "starttls" (the default), "tls" or "none" (a local catcher only). */
  SMTP_SECURE?: string;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
  /** The address every mail is sent from; the sender's name is the room's or the company's. */
  MAIL_FROM?: string;
  /** Bearer token of Parley's operators for /ops (marking hand-paid payouts paid); unset: no /ops routes. */
  OPS_API_TOKEN?: string;
  /** Web Push (worker/adapters/web-push.ts): the VAPID key pair and the contact for push services; unset: no push. */
  VAPID_PUBLIC_KEY?: string;
  VAPID_PRIVATE_KEY?: string;
  VAPID_SUBJECT?: string;
  /** 32 random bytes in base64: the AES-GCM key that seals webhook endpoints' signing secrets (worker/webhooks/secret.ts). */
  WEBHOOK_SECRET_KEY?: string;
};

export type AppEnv = {
  Bindings: Bindings;
  Variables: {
    user: SessionUser | null;
    csrfToken: string;
  };
};
