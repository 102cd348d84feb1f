import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { openDb } from "../stores/db";
import { SESSION_COOKIE } from "../accounts/sessions";
import { deleteSession } from "../stores/sessions";
import * as z from "zod";
import { closeAgentConsoles, consoleSession } from "../live/agent-consoles";
import { SignInThrottled } from "../accounts/signin";
import { signIn } from "../stores/signins";
import { signUp } from "../stores/companies";
import { PLANS } from "../accounts/company";
import { stripeClient } from "../adapters/stripe";
import { checkoutForPlan } from "../jobs/plan-subscriptions";
import { FormError } from "../accounts/form-error";
import { signInForm, signUpForm } from "../accounts/validation";
import type { AppEnv } from "../app-env";
import { AppError } from "../http/errors";
import { deviceToken, rememberDevice } from "../http/device";
import { formValidator, refuseForm, sentText, type FormPage } from "../http/form-validation";
import { endSessionCookie, startSession } from "../http/session";
import { LoginPage, SignUpPage, type SignUpValues } from "../../views/AuthPages";

// Only same-site paths are followed after sign-in, never another host.
const safeNext = (next: unknown) => (typeof next === "string" && /^\/(?![/\\])/.test(next) ? next : null);
const homeOf = (user: { isAdmin: boolean }) => (user.isAdmin ? "/admin" : "/agent");

// The page to go back to after signing in comes with the form.
const loginForm = signInForm.extend({ next: z.unknown().optional().transform(safeNext) });
// A refused sign-in never says which part was wrong.
const loginAgain: FormPage<AppEnv> = (c, sent) => c.render(<LoginPage error="Enter your email and password." next={safeNext(sent.next) ?? undefined} />);

// The plan chosen at sign-up: Forever Free unless another is picked.
const signUpWithPlan = signUpForm.and(z.object({ plan: z.enum(PLANS, { error: "Choose Forever Free, Pro or Large Enterprise." }).default("free") }));

const signUpAgain: FormPage<AppEnv> = (c, sent, errors) => {
  const values: SignUpValues = {};
  for (const key of ["accountType", "companyName", "companySlug", "name", "email", "plan"] as const) values[key] = sentText(sent, key);
  return c.render(<SignUpPage values={values} errors={errors} />);
};

export const authRoutes = new Hono<AppEnv>()
  .get("/login", (c) => {
    const user = c.get("user");
    if (user) return c.redirect(homeOf(user));
    return c.render(<LoginPage next={c.req.query("next")} />);
  })
  .post("/login", formValidator(loginForm, loginAgain), async (c) => {
    const { email, password, next } = c.req.valid("form");
    try {
      const client = { ip: c.req.header("cf-connecting-ip") ?? "local", deviceToken: deviceToken(c) };
      const userId = await signIn(openDb(c.env.DB), email, password, client);
      await startSession(c, userId);
      await rememberDevice(c, userId);
      return c.redirect(next ?? "/home", 303);
    } catch (err) {
      if (err instanceof SignInThrottled) c.header("Retry-After", String(Math.ceil(err.waitMs / 1000)));
      if (err instanceof AppError && (err.status === 401 || err.status === 429)) {
        c.status(err.status === 429 ? 429 : 422);
        return c.render(<LoginPage email={email} next={next ?? undefined} error={err.message} />);
      }
      throw err;
    }
  })
  .post("/logout", async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await deleteSession(openDb(c.env.DB), token);
    // The consoles this session opened stop ringing at once (a closed laptop's too).
    const user = c.get("user");
    if (token && user?.isAgent) {
      await closeAgentConsoles(c.env, { companyId: user.companyId, agentId: user.id }, await consoleSession(token), "signed-out").catch((err: unknown) =>
        console.error("consoles not closed at sign-out", user.id, err),
      );
    }
    endSessionCookie(c);
    return c.redirect("/login", 303);
  })
  .get("/home", (c) => {
    const user = c.get("user");
    return c.redirect(user ? homeOf(user) : "/login");
  })
  .get("/signup", (c) => c.render(<SignUpPage />))
  .post("/signup", formValidator(signUpWithPlan, signUpAgain), async (c) => {
    const form = c.req.valid("form");
    const db = openDb(c.env.DB);
    try {
      // Every account starts on Forever Free; a paid plan starts when Stripe confirms its payment.
      const account = await signUp(db, form);
      await startSession(c, account.userId);
      await rememberDevice(c, account.userId);
      if (form.plan === "free") return c.redirect("/admin", 303);
      const stripe = stripeClient(c.env);
      if (!stripe) return c.redirect("/admin/plan", 303);
      const company = { id: account.companyId, name: form.companyName };
      const origin = new URL(c.req.url).origin;
      const checkout = await checkoutForPlan(db, stripe, { company, email: form.email, plan: form.plan, origin, now: Date.now() }).catch((err: unknown) => {
        // The account exists: the admin picks the plan again on the Plan page.
        console.error("checkout at sign-up failed", account.companyId, err);
        return "/admin/plan";
      });
      return c.redirect(checkout, 303);
    } catch (err) {
      if (!(err instanceof FormError)) throw err;
      return refuseForm(c, signUpAgain, err.fields);
    }
  });
