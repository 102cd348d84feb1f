import { CsrfField, Layout } from "./Layout";
import { Field, FormAlert, type Errors } from "./Form";

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

export type SignUpValues = Partial<Record<"accountType" | "companyName" | "companySlug" | "name" | "email", string>>;

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
