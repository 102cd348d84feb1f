import { Hono, type Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { SessionUser } from "../accounts/sessions";
import { enqueueMail } from "../adapters/mail-queue";
import type { AppEnv } from "../app-env";
import { formValidator, sentText, type FieldErrors, type FormPage } from "../http/form-validation";
import { POLICIES } from "../http/rate-limit";
import { requireAgent, requireUser } from "../http/session";
import { invitationForm, type InvitableRoom } from "../invitations/invitation";
import { openDb } from "../stores/db";
import { listInvitableRooms, listSentInvitations, sendInvitation } from "../stores/invitations";
import { countUnlessHeld } from "../stores/rate-counters";
import { ClientsPage, type InvitationValues } from "../../views/Clients";

// The Clients page (/agent/clients): an agent invites a client to a consultation by email, a link
// to one of the rooms they serve or their private room, and sees the invitations they sent.

const me = <E extends AppEnv>(c: Context<E>) => c.get("user") as SessionUser;

type ClientsEnv = AppEnv & { Variables: { rooms: InvitableRoom[] } };

/** The rooms this agent may invite to: the form offers them, and accepts no other. */
const invitableRooms = createMiddleware<ClientsEnv>(async (c, next) => {
  c.set("rooms", await listInvitableRooms(openDb(c.env.DB), me(c)));
  await next();
});

async function clientsPage(c: Context<ClientsEnv>, { values, errors, sentId }: { values?: InvitationValues; errors?: FieldErrors; sentId?: string } = {}) {
  const invitations = await listSentInvitations(openDb(c.env.DB), me(c));
  const sent = sentId ? invitations.find((i) => i.id === sentId) : undefined;
  return c.render(<ClientsPage rooms={c.var.rooms} invitations={invitations} values={values} errors={errors} sent={sent} />);
}

const valuesOf = (sent: Parameters<FormPage<ClientsEnv>>[1]): InvitationValues => ({
  name: sentText(sent, "name"),
  email: sentText(sent, "email"),
  room: sentText(sent, "room"),
  note: sentText(sent, "note"),
});

const inviteAgain: FormPage<ClientsEnv> = (c, sent, errors) => clientsPage(c, { values: valuesOf(sent), errors });

export const clientRoutes = new Hono<ClientsEnv>()
  .use(requireUser, requireAgent, invitableRooms)
  .get("/", (c) => clientsPage(c, { sentId: c.req.query("sent") }))
  .post("/", formValidator((c) => invitationForm(c.var.rooms.map((r) => r.value)), inviteAgain), async (c) => {
    const db = openDb(c.env.DB);
    const form = c.req.valid("form");
    const held = await countUnlessHeld(db, { key: `invitation:${me(c).id}`, policy: POLICIES.invitation });
    if (held) {
      // The form again, as typed: the agent sends it once the hour is over.
      c.status(429);
      const values = { ...form, note: form.note ?? undefined };
      return clientsPage(c, { values, errors: { form: `You have sent many invitations in a short time. Please try again in ${held.minutes} minutes.` } });
    }
    const room = c.var.rooms.find((r) => r.value === form.room)!;
    const { id, mailId } = await sendInvitation(db, me(c), room, form, new URL(c.req.url).origin);
    await enqueueMail(c.env, [mailId]);
    return c.redirect(`/agent/clients?sent=${id}`, 303);
  });
