import { Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../app-env";
import { notFound } from "../http/errors";
import { openDb } from "../stores/db";
import { alertCompanyName, unsubscribeAlerts } from "../stores/free-alerts";
import { AlertUnsubscribePage } from "../../views/AlertUnsubscribe";

// The unsubscribe link of a customer's alert mail (its List-Unsubscribe header too). No session:
// the alert's id, known only to the mail's reader, is what lets them stop their alerts.

const alertId = z.uuid();

export const alertRoutes = new Hono<AppEnv>()
  .get("/:id/unsubscribe", async (c) => {
    const id = alertId.safeParse(c.req.param("id"));
    const companyName = id.success ? await alertCompanyName(openDb(c.env.DB), id.data) : undefined;
    if (!id.success || companyName === undefined) throw notFound("alert");
    return c.render(<AlertUnsubscribePage companyName={companyName} alertId={id.data} />);
  })
  .post("/:id/unsubscribe", async (c) => {
    const id = alertId.safeParse(c.req.param("id"));
    const companyName = id.success ? await unsubscribeAlerts(openDb(c.env.DB), id.data) : undefined;
    if (!id.success || companyName === undefined) throw notFound("alert");
    return c.render(<AlertUnsubscribePage companyName={companyName} alertId={id.data} done />);
  });
