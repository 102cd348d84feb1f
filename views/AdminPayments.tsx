import type { PayoutDestination, PayoutRow } from "../worker/stores/payouts";
import type { ConnectState, OnboardingOutcome } from "../worker/billing/connect";
import type { RunSummary } from "../worker/jobs/payouts";
import { PAYOUT_ACCOUNT_HINTS, PAYOUT_METHOD_LABELS, PAYOUT_METHODS } from "../worker/billing/payout-method";
import type { Company } from "../worker/accounts/company";
import { Field, type Errors } from "./Form";
import { CsrfField, Layout } from "./Layout";
import { PayoutDestinationLine, PayoutTable } from "./Payouts";

// The admin's Payments page (spec: Business Revenue — How You Get Paid, Pricing).

type Props = {
  company: Company;
  state: ConnectState;
  /** Rooms whose customers pay (manual or automatic charging). */
  paidRooms: string[];
  stripeConfigured: boolean;
  payouts: PayoutRow[];
  destination: PayoutDestination;
  /** Back from Stripe's onboarding: how far it got. */
  notice?: OnboardingOutcome | null;
  saved?: boolean;
  /** After "Pay out now": what the run did. */
  run?: RunSummary | null;
  payoutValues?: Record<string, string>;
  errors?: Errors;
};

const STATE_BADGE: Record<ConnectState, { label: string; class: string }> = {
  not_connected: { label: "Not connected", class: "badge badge-muted" },
  incomplete: { label: "Setup incomplete", class: "badge badge-warn" },
  ready: { label: "Connected", class: "badge badge-ok" },
};

export function AdminPaymentsPage(props: Props) {
  const solo = props.company.accountType === "solo";
  return (
    <Layout title="Payments">
      <div class="page-head">
        <div>
          <h1>Payments</h1>
          <p class="muted">
            {solo
              ? "Parley collects your customers' payments and pays your share out to you."
              : `How customers pay ${props.company.name}, and where the money goes.`}
          </p>
        </div>
      </div>
      {solo ? <SoloPayouts {...props} /> : <CompanyConnect {...props} />}
    </Layout>
  );
}

function CompanyConnect({ company, state, paidRooms, stripeConfigured, notice }: Props) {
  const badge = STATE_BADGE[state];
  return (
    <>
      {notice === "ready" && state === "ready" ? (
        <div class="alert alert-ok payments-flash" role="status">
          <strong>Your Stripe account is connected.</strong> Customers' payments now go straight to it.
        </div>
      ) : null}
      {notice === "in_review" && state !== "ready" ? (
        <div class="alert alert-warn payments-flash" role="status">
          <strong>Stripe is checking your details.</strong> Your account can take payments as soon as Stripe has verified them; this page shows it then.
        </div>
      ) : null}
      {notice === "incomplete" && state !== "ready" ? (
        <div class="alert alert-warn payments-flash" role="status">
          <strong>Stripe needs a few more details</strong> before your account can take payments. Continue the setup when you have them at hand.
        </div>
      ) : null}
      {state !== "ready" && paidRooms.length ? (
        <div class="alert alert-warn payments-flash" role="alert" id="payments-blocked">
          <strong>Customers cannot pay yet.</strong> {paidRooms.join(", ")} {paidRooms.length === 1 ? "takes" : "take"} payments, and paid chats are refused until
          your Stripe account is connected.
        </div>
      ) : null}

      <section class="card connect-card" aria-labelledby="stripe-title" data-state={state}>
        <div class="connect-head">
          <div class="connect-logo" aria-hidden="true">
            S
          </div>
          <div>
            <h2 id="stripe-title">
              Stripe account <span class={badge.class}>{badge.label}</span>
            </h2>
            <p class="muted">
              Your customers pay {company.name} directly through Stripe: the money goes to your own Stripe account and from there to your bank. Parley never
              holds it and never sees card details.
            </p>
          </div>
        </div>

        {state === "ready" ? (
          <div class="connect-body">
            <ConnectedAccount accountId={company.stripeAccountId} enabled="Payments" />
            <a class="btn btn-ghost" href="https://dashboard.stripe.com/" target="_blank" rel="noopener">
              Open your Stripe dashboard ↗
            </a>
          </div>
        ) : (
          <form method="post" action="/admin/payments/connect" class="connect-body">
            <CsrfField />
            <p class="small muted connect-steps">
              {state === "not_connected"
                ? "Stripe asks for your business details and a bank account (a few minutes), then sends you back here."
                : "You started connecting your Stripe account; Stripe still needs some details before it can take payments."}
            </p>
            <button type="submit" class="btn btn-primary" disabled={!stripeConfigured}>
              {state === "not_connected" ? "Connect with Stripe" : "Continue setup"}
            </button>
            {stripeConfigured ? null : <p class="small muted">Stripe is not configured on this server yet (STRIPE_SECRET_KEY).</p>}
          </form>
        )}
      </section>

      <section class="card" aria-labelledby="fees-title">
        <h2 id="fees-title">Fees</h2>
        <ul class="fee-list">
          <li>
            <strong>10 %</strong> of each payment for online services (consultations, tutoring, training), as Parley's platform fee.
          </li>
          <li>
            <strong>4 %</strong> of each payment for physical goods.
          </li>
          <li>
            <strong>Stripe's own fees</strong> (for cards about 2.9 % + 0.30; they vary by country), refunds and chargebacks are charged to your Stripe account
            by Stripe.
          </li>
        </ul>
      </section>
    </>
  );
}

function SoloPayouts(props: Props) {
  const { payouts, destination, payoutValues, errors = {}, saved, run } = props;
  const method = payoutValues?.payoutMethod ?? destination?.method ?? "";
  const account = payoutValues?.payoutAccount ?? destination?.account ?? "";
  return (
    <>
      {saved ? (
        <div class="alert alert-ok payments-flash" role="status">
          <strong>Saved.</strong> Your next payouts go to {destination ? PAYOUT_METHOD_LABELS[destination.method] : "this account"}.
        </div>
      ) : null}
      <section class="card" id="payouts" aria-labelledby="payouts-title">
        <h2 id="payouts-title">Payouts</h2>
        <p class="muted">
          Parley keeps 20 % of each payment and pays the processing fees; your 80 % is paid out within 5 business days of the chat.
        </p>
        <form method="post" action="/admin/payments/payout" class="payout-form">
          <CsrfField />
          <fieldset class={errors.payoutMethod ? "choice choice-4 has-error" : "choice choice-4"} id="g-payoutMethod">
            <legend>Pay me through</legend>
            {PAYOUT_METHODS.map((m) => (
              <label class="choice-card">
                <strong>
                  <input type="radio" name="payoutMethod" value={m} checked={method === m} /> {PAYOUT_METHOD_LABELS[m]}
                </strong>
                <span>{PAYOUT_ACCOUNT_HINTS[m]}</span>
              </label>
            ))}
            {errors.payoutMethod ? (
              <p class="error" role="alert">
                {errors.payoutMethod}
              </p>
            ) : null}
          </fieldset>
          <Field name="payoutAccount" label="Account to pay into" value={account} errors={errors} maxlength={120} required />
          <button type="submit" class="btn btn-primary">
            Save payout method
          </button>
        </form>
      </section>
      {destination?.method === "stripe" ? <SoloStripeAccount {...props} /> : null}
      <section class="card" aria-labelledby="payout-list-title">
        <div class="payouts-head">
          <h2 id="payout-list-title">Scheduled and past payouts</h2>
          <form method="post" action="/admin/payments/payouts/run">
            <CsrfField />
            <button type="submit" class="btn btn-ghost" disabled={!payouts.some((p) => p.state !== "paid" && p.state !== "manual")}>
              Pay out now
            </button>
          </form>
        </div>
        {run ? <RunFlash run={run} /> : null}
        {destination ? <PayoutDestinationLine destination={destination} canEdit={false} /> : null}
        <p class="muted small">
          Parley sends payouts that are due every day at 06:00 UTC; Pay out now sends those due today at once, and tries again those that failed.
        </p>
        <PayoutTable payouts={payouts} />
      </section>
    </>
  );
}

/** A solo paid out through Stripe receives transfers on an Express account of their own. */
function SoloStripeAccount({ company, state, stripeConfigured, notice }: Props) {
  const badge = STATE_BADGE[state];
  return (
    <section class="card connect-card" aria-labelledby="stripe-title" data-state={state}>
      <div class="connect-head">
        <div class="connect-logo" aria-hidden="true">
          S
        </div>
        <div>
          <h2 id="stripe-title">
            Stripe account for payouts <span class={badge.class}>{badge.label}</span>
          </h2>
          <p class="muted">Parley transfers your 80 % to a Stripe account of your own; Stripe pays it on to your bank.</p>
        </div>
      </div>
      {notice && notice !== "ready" && state !== "ready" ? (
        <p class="alert alert-warn payments-flash" role="status">
          {notice === "in_review" ? "Stripe is checking your details; payouts start once it has verified them." : "Stripe needs a few more details before it can receive payouts."}
        </p>
      ) : null}
      {state === "ready" ? (
        <ConnectedAccount accountId={company.stripeAccountId} enabled="Payouts" extraClass="connect-body" />
      ) : (
        <form method="post" action="/admin/payments/connect" class="connect-body">
          <CsrfField />
          <p class="small muted connect-steps">Until it is connected, Stripe payouts that fall due wait here as failed and are sent at the next run after.</p>
          <button type="submit" class="btn btn-primary" disabled={!stripeConfigured}>
            {state === "not_connected" ? "Connect with Stripe" : "Continue setup"}
          </button>
        </form>
      )}
    </section>
  );
}

function RunFlash({ run }: { run: RunSummary }) {
  const parts = [
    run.paid ? `${run.paid} paid out` : null,
    run.manual ? `${run.manual} due to be paid by hand` : null,
    run.failed ? `${run.failed} failed` : null,
    run.pending ? `${run.pending} still sending` : null,
  ].filter((p) => p !== null);
  return (
    <p class={run.failed ? "alert alert-warn payments-flash" : "alert alert-ok payments-flash"} role="status" id="payout-run">
      {parts.length ? `Payout run: ${parts.join(", ")}.` : "Nothing is due yet."}
    </p>
  );
}

/** On a room's settings page: the room asks for payments the company cannot take yet. */
export function PaymentsSetupWarning({ companyName }: { companyName: string }) {
  return (
    <div class="alert alert-warn payments-warning" role="alert" id="payments-warning">
      <strong>Customers cannot pay in this room yet.</strong> {companyName} has no connected Stripe account, so paid chats here are refused.{" "}
      <a href="/admin/payments">Connect your Stripe account</a>
    </div>
  );
}

/** A connected Stripe account that is ready: its id, and what Stripe enabled on it. */
function ConnectedAccount({ accountId, enabled, extraClass }: { accountId: string | null; enabled: "Payments" | "Payouts"; extraClass?: string }) {
  return (
    <dl class={extraClass ? `connect-facts ${extraClass}` : "connect-facts"}>
      <div>
        <dt>Account</dt>
        <dd>
          <code>{accountId}</code>
        </dd>
      </div>
      <div>
        <dt>{enabled}</dt>
        <dd>Enabled</dd>
      </div>
    </dl>
  );
}
