import { CsrfField, Layout } from "./Layout";
import { Field, FormAlert, type Errors } from "./Form";
import type { Plan } from "../worker/accounts/company";
import { PLAN_LIMITS } from "../worker/accounts/plan-limits";
import { formatMoney } from "../worker/billing/currency";

const PLAN_ORDER: Plan[] = ["free", "pro", "enterprise"];
const PLAN_BLURB: Record<Plan, string> = {
  free: "the GENERAL room",
  pro: "paid rooms and more rooms",
  enterprise: "nearest-agent routing",
};

export function LoginPage({ email, next, error }: { email?: string; next?: string; error?: string }) {
  return (
    <Layout title="Sign in">
      <section class="auth-card card">
        <h1>Sign in</h1>
        <p class="muted">Agents and administrators sign in here.</p>
        <form method="post" action="/login" class="stack">
          <CsrfField />
          <FormAlert message={error} />
          <input type="hidden" name="next" value={next ?? ""} />
          <Field name="email" label="Email" type="email" value={email} required autocomplete="username" />
          <Field name="password" label="Password" type="password" required autocomplete="current-password" />
          <button type="submit" class="btn btn-primary btn-block">
            Sign in
          </button>
        </form>
        <p class="muted center">
          New to Parley? <a href="/signup">Create an account</a>
        </p>
      </section>
    </Layout>
  );
}

export type SignUpValues = Partial<Record<"accountType" | "companyName" | "companySlug" | "name" | "email" | "plan", string>>;

export function SignUpPage({ values = {}, errors = {} }: { values?: SignUpValues; errors?: Errors }) {
  const type = values.accountType ?? "solo";
  return (
    <Layout title="Create account">
      <section class="auth-card card wide">
        <h1>Create your Parley account</h1>
        <form method="post" action="/signup" class="stack">
          <CsrfField />
          <fieldset class={errors.accountType ? "choice has-error" : "choice"}>
            <legend>Account type</legend>
            <label class="choice-card">
              <input type="radio" name="accountType" value="solo" checked={type === "solo"} />
              <strong>Solo User</strong>
              <span>You are the agent: a tutor, a doctor, an adviser. Three rooms ready, including paid ones.</span>
            </label>
            <label class="choice-card">
              <input type="radio" name="accountType" value="company" checked={type === "company"} />
              <strong>Company</strong>
              <span>You run a team of agents. You are the administrator; add agents and rooms after.</span>
            </label>
            {errors.accountType ? <p class="error">{errors.accountType}</p> : null}
          </fieldset>
          <div class="grid-2">
            <Field name="companyName" label="Business name" value={values.companyName} errors={errors} required maxlength={80} />
            <Field
              name="companySlug"
              label="Your address"
              value={values.companySlug}
              errors={errors}
              required
              maxlength={40}
              placeholder="acme"
              hint="Customers reach you at /c/your-address/GENERAL"
            />
          </div>
          <div class="grid-2">
            <Field name="name" label="Your name" value={values.name} errors={errors} required autocomplete="name" maxlength={80} />
            <Field name="email" label="Email" type="email" value={values.email} errors={errors} required autocomplete="email" />
          </div>
          <Field
            name="password"
            label="Password"
            type="password"
            errors={errors}
            required
            autocomplete="new-password"
            hint="At least 10 characters. A few unrelated words are easy to remember and hard to guess."
          />
          <fieldset class={errors.plan ? "choice choice-3 has-error" : "choice choice-3"}>
            <legend>Plan</legend>
            {PLAN_ORDER.map((plan) => (
              <label class="choice-card">
                <input type="radio" name="plan" value={plan} checked={(values.plan ?? "free") === plan} />
                <strong>{PLAN_LIMITS[plan].name}</strong>
                {/* Its words never contain another field's label ("Email", "Company"): tests and assistive tools find fields by label. */}
                <span>
                  {PLAN_LIMITS[plan].priceMinor ? `${formatMoney(PLAN_LIMITS[plan].priceMinor, PLAN_LIMITS[plan].currency)} a month` : "Free"} ·{" "}
                  {PLAN_LIMITS[plan].entitlementQuota.toLocaleString("en")} chats and mail messages each month · {PLAN_BLURB[plan]}
                </span>
              </label>
            ))}
            <p class="small muted plan-choice-note">A paid plan is paid on Stripe's page right after your account is made; until Stripe confirms it, you are on Forever Free.</p>
            {errors.plan ? <p class="error">{errors.plan}</p> : null}
          </fieldset>
          <button type="submit" class="btn btn-primary btn-block">
            Create account
          </button>
        </form>
        <p class="muted center">
          Already have an account? <a href="/login">Sign in</a>
        </p>
      </section>
    </Layout>
  );
}
