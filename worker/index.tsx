import { Hono } from "hono";
import { jsxRenderer } from "hono/jsx-renderer";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./app-env";
import { csrf } from "./http/csrf";
import { handleError } from "./http/on-error";
import { pagePolicy } from "./http/page-policy";
import { loadUser } from "./http/session";
import { adminRoutes } from "./routes/admin";
import { adminPaymentsRoutes } from "./routes/admin-payments";
import { adminPlanRoutes } from "./routes/admin-plan";
import { adminWebhookRoutes } from "./routes/admin-webhooks";
import { inboxRoutes } from "./routes/inbox";
import { clientRoutes } from "./routes/clients";
import { agentRoutes } from "./routes/agent";
import { alertRoutes } from "./routes/alerts";
import { authRoutes } from "./routes/auth";
import { chatRoutes } from "./routes/chats";
import { chatRatingRoutes } from "./routes/chat-rating";
import { chatTranscriptRoutes } from "./routes/chat-transcript";
import { callsRoutes } from "./routes/calls";
import { customerRoutes } from "./routes/customer";
import { devRoutes } from "./routes/dev";
import { embedRoutes } from "./routes/embed";
import { webhookRoutes } from "./routes/webhooks";
import { publicApiRoutes } from "./routes/public-api";
import { recordsRoutes } from "./routes/records";
import { revenueRoutes } from "./routes/revenue";
import { opsRoutes } from "./routes/ops";
import { photoRoutes } from "./routes/photos";
import { profileBodyLimit } from "./routes/agent";
import { appShellRoutes } from "./routes/app-shell";
import { pushRoutes } from "./routes/push";
import { deliverMailBatch, MAIL_SWEEP_CRON, sweepOutbox } from "./jobs/mail-delivery";
import { runPayouts } from "./jobs/payouts";
import { settlePlans } from "./jobs/plan-subscriptions";
import { RECONCILE_CRON, dayBefore, runReconciliation } from "./jobs/reconcile";
import type { Bindings } from "./app-env";
import { openDb } from "./stores/db";
import { expireAlerts } from "./stores/free-alerts";
import type { MailMessage } from "./adapters/mail-queue";
import type { WebhookMessage } from "./adapters/webhook-queue";
import { deliverWebhookBatch, sweepWebhooks } from "./jobs/webhook-delivery";

const app = new Hono<AppEnv>();

// The renderer comes first so that any failure, even before a session is loaded, renders a page.
app.use(jsxRenderer(({ children }) => <>{children}</>, { docType: true }));

// The public JSON APIs are CORS-open and cookie-free: they come before sessions and CSRF.
app.route("/api", publicApiRoutes);
app.route("/dev", devRoutes);
app.route("/embed", embedRoutes);
app.route("/webhooks", webhookRoutes);
app.route("/ops", opsRoutes); // bearer token, no session or CSRF
app.route("/photos", photoRoutes); // agents' uploaded photos: public, cookie-free

app.use(secureHeaders({ crossOriginEmbedderPolicy: false, crossOriginResourcePolicy: false, xFrameOptions: "DENY" }));
app.use(pagePolicy); // Content-Security-Policy and Permissions-Policy per kind of page
app.route("/", appShellRoutes); // /manifest.webmanifest and /sw.js: the console as an installable app
app.use(loadUser);
app.post("/agent/profile", profileBodyLimit); // before CSRF reads the form
app.use(csrf);

app.get("/", (c) => c.redirect(c.get("user") ? "/home" : "/login"));
app.route("/", authRoutes);
app.route("/admin/payments", adminPaymentsRoutes);
app.route("/admin/plan", adminPlanRoutes);
app.route("/admin/webhooks", adminWebhookRoutes);
app.route("/admin", adminRoutes);
app.route("/agent/inbox", inboxRoutes); // before /agent: administrators who are not agents read it too
app.route("/agent/clients", clientRoutes);
app.route("/agent/push", pushRoutes); // the agent's devices for Web Push
app.route("/agent", agentRoutes);
app.route("/c", customerRoutes);
app.route("/alerts", alertRoutes); // /alerts/{id}/unsubscribe: the link in a customer's alert mail
app.route("/chats", chatRoutes);
app.route("/chats", callsRoutes); // /chats/{id}/calls/…: the Cloudflare Calls proxy
app.route("/chats", chatRatingRoutes); // /chats/{id}/rating: the customer rates an ended chat
app.route("/chats", chatTranscriptRoutes); // /chats/{id}/transcript: the customer has an ended chat's transcript emailed
app.route("/", revenueRoutes); // /revenue and /revenue.csv
app.route("/", recordsRoutes); // /chat-view, /chat-records, /chats/{id}/recordings/{n}

app.notFound((c) => handleError(c, 404));
app.onError((err, c) => handleError(c, err));

// The cron triggers (wrangler.toml): the nightly reconciliation with Stripe of the day before,
// the daily payout run, and the sweep of mail the queue missed or the quota held until a new month
// (with the alerts past their day and the plans whose grace period ran out).
const scheduled: ExportedHandlerScheduledHandler<Bindings> = (controller, env, ctx) => {
  if (controller.cron === MAIL_SWEEP_CRON) {
    ctx.waitUntil(sweepOutbox(env, controller.scheduledTime).then((n) => n && console.log("mail sweep: re-enqueued", n)));
    ctx.waitUntil(sweepWebhooks(env, controller.scheduledTime).then((n) => n && console.log("webhook sweep: re-enqueued", n)));
    ctx.waitUntil(expireAlerts(openDb(env.DB), controller.scheduledTime).then((n) => n && console.log("alerts expired", n)));
    ctx.waitUntil(settlePlans(env, openDb(env.DB), controller.scheduledTime).then((n) => n && console.log("plans settled", n)));
    return;
  }
  if (controller.cron === RECONCILE_CRON) {
    const day = dayBefore(controller.scheduledTime);
    ctx.waitUntil(runReconciliation(env, day, Date.now()).then((summary) => console.log("reconciliation", day, summary)));
    return;
  }
  ctx.waitUntil(runPayouts(env, controller.scheduledTime).then((summary) => console.log("payout run", summary)));
};

// The queues' consumers: the mail queue's messages name outbox rows to send, the webhook queue's
// deliveries to post (wrangler.toml).
const queue: ExportedHandlerQueueHandler<Bindings, MailMessage | WebhookMessage> = (batch, env) =>
  batch.queue === "parley-webhooks" ? deliverWebhookBatch(batch as MessageBatch<WebhookMessage>, env) : deliverMailBatch(batch as MessageBatch<MailMessage>, env);

export default { fetch: app.fetch, scheduled, queue } satisfies ExportedHandler<Bindings, MailMessage | WebhookMessage>;

export { AgentDO } from "../durable-objects/AgentDO";
export { ConsolesDO } from "../durable-objects/ConsolesDO";
export { ChatDO } from "../durable-objects/chat/ChatDO";
export { RoomDO } from "../durable-objects/RoomDO";
