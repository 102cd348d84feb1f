import { Hono, type Context } from "hono";
import type { SessionUser } from "../accounts/sessions";
import { newId } from "../accounts/tokens";
import { enqueueWebhookDeliveries } from "../adapters/webhook-queue";
import type { AppEnv } from "../app-env";
import { AppError, notFound } from "../http/errors";
import { formValidator, type FormPage, type SentForm } from "../http/form-validation";
import { requireAdmin, requireUser } from "../http/session";
import { auditInsert } from "../stores/audit";
import { openDb } from "../stores/db";
import { deleteEndpoint, endpointOf, endpointsOf, insertEndpoint, recentDeliveries, resendDelivery, setEndpointSecret } from "../stores/webhooks";
import { endpointForm } from "../webhooks/endpoint-form";
import { newSigningSecret, sealSecret } from "../webhooks/secret";
import { WebhooksPage, type ShownSecret } from "../../views/AdminWebhooks";

// The admin's Webhooks page (/admin/webhooks): the company's endpoints, each one's signing secret
// shown once (when added, when rotated), removing one, and the recent deliveries with a way to
// resend one. Only
// the company's administrator; another company's endpoint or delivery is not found (404).

const me = (c: Context<AppEnv>) => c.get("user") as SessionUser;

/** npm start and the tests may post to http://localhost; production only to public https hosts. */
const isLocal = (c: Context<AppEnv>) => c.env.ENVIRONMENT === "local" || c.env.ENVIRONMENT === "test";

function secretKey(c: Context<AppEnv>): string {
  if (!c.env.WEBHOOK_SECRET_KEY) throw new AppError("unavailable", "Webhooks are not configured on this server yet (WEBHOOK_SECRET_KEY).");
  return c.env.WEBHOOK_SECRET_KEY;
}

async function render(c: Context<AppEnv>, extra: { sent?: SentForm; errors?: Record<string, string>; secret?: ShownSecret; notice?: string } = {}) {
  const db = openDb(c.env.DB);
  const { companyId } = me(c);
  const [endpoints, deliveries] = await Promise.all([endpointsOf(db, companyId), recentDeliveries(db, companyId)]);
  // A page that shows a secret is not kept by the browser or anyone between.
  if (extra.secret) c.header("Cache-Control", "no-store");
  return c.render(<WebhooksPage endpoints={endpoints} deliveries={deliveries} local={isLocal(c)} {...extra} />);
}

/** What the page says after a form that leads back to it (`?done=`). */
const NOTICES: Record<string, string> = {
  resent: "The event was queued again: it is sent in a moment.",
  deleted: "The endpoint was removed: no more events are sent to it.",
};

const formAgain: FormPage<AppEnv> = (c, sent, errors) => render(c, { sent, errors });

export const adminWebhookRoutes = new Hono<AppEnv>()
  .use(requireUser, requireAdmin)
  .get("/", (c) => render(c, { notice: NOTICES[c.req.query("done") ?? ""] }))
  .post(
    "/",
    formValidator((c) => endpointForm(isLocal(c)), formAgain),
    async (c) => {
      const { url, events } = c.req.valid("form");
      const key = secretKey(c);
      const db = openDb(c.env.DB);
      const user = me(c);
      const id = newId();
      const secret = newSigningSecret();
      await insertEndpoint(db, { id, companyId: user.companyId, url, events, secretSealed: await sealSecret(key, id, secret), origin: new URL(c.req.url).origin });
      await auditInsert(db, { companyId: user.companyId, userId: user.id, action: "webhook.endpoint.added", subject: id, detail: { url, events } }).run();
      c.status(201);
      return render(c, { secret: { endpointId: id, url, secret, rotated: false } });
    },
  )
  .post("/:id/rotate", async (c) => {
    const key = secretKey(c);
    const db = openDb(c.env.DB);
    const user = me(c);
    const endpoint = await endpointOf(db, user.companyId, c.req.param("id"));
    if (!endpoint) throw notFound("endpoint");
    const secret = newSigningSecret();
    await setEndpointSecret(db, user.companyId, endpoint.id, await sealSecret(key, endpoint.id, secret));
    await auditInsert(db, { companyId: user.companyId, userId: user.id, action: "webhook.secret.rotated", subject: endpoint.id }).run();
    return render(c, { secret: { endpointId: endpoint.id, url: endpoint.url, secret, rotated: true } });
  })
  // Its deliveries go with it, queued ones too: the consumer finds nothing to send and moves on.
  .post("/:id/delete", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const endpoint = await endpointOf(db, user.companyId, c.req.param("id"));
    if (!endpoint || !(await deleteEndpoint(db, user.companyId, endpoint.id))) throw notFound("endpoint");
    await auditInsert(db, { companyId: user.companyId, userId: user.id, action: "webhook.endpoint.deleted", subject: endpoint.id, detail: { url: endpoint.url } }).run();
    return c.redirect("/admin/webhooks?done=deleted", 303);
  })
  .post("/deliveries/:id/resend", async (c) => {
    const db = openDb(c.env.DB);
    const user = me(c);
    const id = await resendDelivery(db, user.companyId, c.req.param("id"), newId());
    if (!id) throw notFound("delivery");
    await enqueueWebhookDeliveries(c.env, [id]);
    return c.redirect("/admin/webhooks?done=resent", 303);
  });
