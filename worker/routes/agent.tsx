import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import * as z from "zod";
import { openDb } from "../stores/db";
import { enqueueMail } from "../adapters/mail-queue";
import { SESSION_COOKIE, type SessionUser } from "../accounts/sessions";
import { getCookie } from "hono/cookie";
import { consoleSession } from "../live/agent-consoles";
import type { AppEnv } from "../app-env";
import { agentMayOpenChat } from "../stores/chats";
import { ColleagueList, type Colleague } from "../../views/live/ConferenceFragments";
import { STATUS_LABELS } from "../../views/live/ConsoleFragments";
import { sameSiteSocket } from "../http/csrf";
import { AppError, notFound } from "../http/errors";
import { formValidator, refuseForm, sentText, type FormPage } from "../http/form-validation";
import { relaySocket } from "../http/socket";
import { requireAgent, requireUser } from "../http/session";
import { roomKey, type AgentIdentity } from "../live/contracts";
import { isRoomUsable } from "../rooms/usable-rooms";
import { FormError } from "../accounts/form-error";
import { agentProfileForm, ownPricingValues, ownPricingValuesFromForm, previewOwnPricing, type OwnPricingValues } from "../agents/profile";
import { getAgentProfile, saveProfile, type AgentProfileRow } from "../stores/agent-profiles";
import { MAX_PHOTO_BYTES, MAX_PHOTO_MB, photoChoiceOf, uploadedPhotoName } from "../agents/photo";
import { deleteUnusedPhoto, storeChosenPhoto } from "../adapters/photos";
import { listColleagues } from "../stores/agents";
import { listRooms, listServedRooms } from "../stores/rooms";
import type { Room } from "../rooms/room";
import { currencyOf } from "../billing/pricing-form";
import { AgentConsole, AgentChatPanel } from "../../views/AgentConsole";
import { AgentProfilePage, OwnPricingPreview, type OwnPricingSection, type ProfileValues } from "../../views/AgentProfile";
import { previewOf } from "../../views/PricingFields";
import { agentObject, consolesObject } from "../live/stubs";
import { listDevices } from "../stores/push-subscriptions";
import { vapidPublicKey } from "../adapters/web-push";

const me = <E extends AppEnv>(c: Context<E>) => c.get("user") as SessionUser;

const servedRooms = <E extends AppEnv>(c: Context<E>) => listServedRooms(openDb(c.env.DB), me(c));

/** The agent's devices for Web Push, for the console's and the profile's control. */
const pushDevices = async <E extends AppEnv>(c: Context<E>) => ({ devices: await listDevices(openDb(c.env.DB), me(c).id), vapidKey: vapidPublicKey(c.env) });

/** The colleague list asks each agent's Durable Object: it shows the first hundred by name. */
const MAX_COLLEAGUES = 100;

const privateRoomPath = (user: SessionUser) => `/c/${user.companySlug}/~${user.handle}`;

/** Agents may set their own pricing once any room of the company allows it. */
const ownPricingOffered = (rooms: Room[]) => rooms.some((r) => r.allowAgentPricing);

const ownPricingSection = (rooms: Room[], values: OwnPricingValues): OwnPricingSection | undefined =>
  ownPricingOffered(rooms) ? { values, preview: previewOf(previewOwnPricing(values)) } : undefined;

/**
 * The profile form carries the photo: a body well beyond the photo's limit is refused before
 * anything reads it; a smaller one is read, and a photo over the limit refused next to its field.
 */
export const profileBodyLimit = bodyLimit({
  maxSize: 4 * MAX_PHOTO_BYTES,
  onError: () => {
    throw new AppError("too_large", `That photo is far over ${MAX_PHOTO_MB} MB: nothing was saved. Go back and choose a smaller one.`);
  },
});

/** The profile's photo URL when it is an uploaded photo. */
const uploadedPhotoUrl = (profile: AgentProfileRow | undefined) => (profile?.photoUrl && uploadedPhotoName(profile.photoUrl) ? profile.photoUrl : undefined);

type ProfileEnv = AppEnv & { Variables: { profile: AgentProfileRow | undefined; rooms: Room[] } };

/** The agent's saved profile and the company's rooms: the form offers own pricing by them. */
const profileAndRooms = createMiddleware<ProfileEnv>(async (c, next) => {
  const user = me(c);
  const db = openDb(c.env.DB);
  const [profile, all] = await Promise.all([getAgentProfile(db, user.id), listRooms(db, user.companyId)]);
  c.set("profile", profile);
  c.set("rooms", all.map((r) => r.room));
  await next();
});

const profileAgain: FormPage<ProfileEnv> = async (c, sent, errors) => {
  const user = me(c);
  const { profile, rooms } = c.var;
  const text = (k: string) => sentText(sent, k) ?? "";
  const values: ProfileValues = {
    photo: text("photo"),
    photoUrl: text("photoUrl"),
    uploadedPhotoUrl: uploadedPhotoUrl(profile),
    greeting: text("greeting"),
    ringtone: text("ringtone"),
    whatsappNumber: text("whatsappNumber"),
    privateRoomId: text("privateRoomId"),
    whatsappEnabled: sent.whatsappEnabled === "on",
    notificationAlert: sent.notificationAlert === "on",
    emailAlert: sent.emailAlert === "on",
  };
  const [served, push] = await Promise.all([servedRooms(c), pushDevices(c)]);
  return c.render(
    <AgentProfilePage
      name={user.name}
      privateRoomPath={privateRoomPath(user)}
      values={values}
      ownPricing={ownPricingSection(rooms, ownPricingValuesFromForm(sent, ownPricingValues(profile)))}
      profile={profile}
      rooms={rooms}
      servedRoomNames={served.map((r) => r.name)}
      errors={errors}
      push={push}
    />,
  );
};

export const agentRoutes = new Hono<AppEnv>()
  .use(requireUser, requireAgent)
  .get("/", async (c) => {
    const user = me(c);
    const device = c.req.query("device") === "mobile" ? "mobile" : null;
    const [rooms, push] = await Promise.all([servedRooms(c), pushDevices(c)]);
    return c.render(
      <AgentConsole user={user} rooms={rooms} origin={new URL(c.req.url).origin} device={device} push={push} />,
    );
  })
  // The console's socket: the agent's Durable Object, told who the agent is and which rooms they serve.
  .get("/ws", sameSiteSocket, async (c) => {
    if (c.req.header("upgrade") !== "websocket") return c.text("Expected a WebSocket.", 426);
    const user = me(c);
    const profile = await getAgentProfile(openDb(c.env.DB), user.id);
    const usable = (await servedRooms(c)).filter((r) => isRoomUsable(user.plan, r.rank));
    const cf = c.req.raw.cf as { latitude?: string; longitude?: string } | undefined;
    const identity: AgentIdentity = {
      agentId: user.id,
      email: user.email,
      name: user.name,
      companyId: user.companyId,
      ringtone: profile?.ringtone ?? "classic",
      notify: profile?.notificationAlert ?? true,
      greeting: profile?.greeting ?? "Hello! How can I help you today?",
      photoUrl: profile?.photoUrl ?? null,
      roomKeys: [...usable.map((r) => roomKey(user.companyId, r.name)), roomKey(user.companyId, `~${user.handle}`)],
      location: cf?.latitude && cf.longitude ? { lat: Number(cf.latitude), lon: Number(cf.longitude) } : null,
    };
    const device = c.req.query("device") === "mobile" ? "mobile" : "browser";
    const url = new URL(c.req.url);
    url.search = `?device=${device}`;
    const stub = consolesObject(c.env, user.companyId, user.id);
    // The session's name lets signing out close the consoles it opened (worker/live/agent-consoles.ts).
    const session = await consoleSession(getCookie(c, SESSION_COOKIE) ?? "");
    return relaySocket(
      await stub.fetch(new Request(url, { headers: { upgrade: "websocket", "x-parley-agent": JSON.stringify(identity), "x-parley-session": session } })),
    );
  })
  .get("/profile", async (c) => {
    const user = me(c);
    const db = openDb(c.env.DB);
    const [profile, all, served, push] = await Promise.all([
      getAgentProfile(db, user.id),
      listRooms(db, user.companyId),
      servedRooms(c),
      pushDevices(c),
    ]);
    const uploaded = uploadedPhotoUrl(profile);
    const values: ProfileValues = {
      photo: photoChoiceOf(profile?.photoUrl),
      // An uploaded photo's address is Parley's: the address field is for one of the agent's own.
      photoUrl: uploaded ? "" : (profile?.photoUrl ?? ""),
      uploadedPhotoUrl: uploaded,
      greeting: profile?.greeting ?? "",
      ringtone: profile?.ringtone ?? "classic",
      whatsappEnabled: profile?.whatsappEnabled ?? false,
      whatsappNumber: profile?.whatsappNumber ?? "",
      notificationAlert: profile?.notificationAlert ?? true,
      emailAlert: profile?.emailAlert ?? true,
      privateRoomId: profile?.privateRoomId ?? all[0]?.room.id,
    };
    const rooms = all.map((r) => r.room);
    return c.render(
      <AgentProfilePage
        name={user.name}
        privateRoomPath={privateRoomPath(user)}
        values={values}
        ownPricing={ownPricingSection(rooms, ownPricingValues(profile))}
        profile={profile}
        rooms={rooms}
        servedRoomNames={served.map((r) => r.name)}
        saved={c.req.query("saved") === "1"}
        push={push}
      />,
    );
  })
  // The own-pricing price in words, refreshed while the agent types (no I/O).
  .get("/profile/pricing-preview", (c) => c.html(<OwnPricingPreview preview={previewOf(previewOwnPricing(c.req.query()))} />))
  // Manual payment request is the administrator's to grant: a field of that name is not read here.
  .post("/profile", profileAndRooms, formValidator((c, sent) => agentProfileForm(ownPricingOffered(c.var.rooms), currencyOf(sent), uploadedPhotoUrl(c.var.profile) !== undefined), profileAgain), async (c) => {
    const user = me(c);
    const { ownPricing, photo, ...fields } = c.req.valid("form");
    const before = c.var.profile?.photoUrl ?? null;
    const photoUrl = await storeChosenPhoto(c.env.FILES, photo, before);
    const profile = { ...fields, photoUrl };
    let mails: string[];
    try {
      mails = await saveProfile(openDb(c.env.DB), user, profile, ownPricing);
    } catch (err) {
      // Not saved: a photo just uploaded for it is nobody's.
      await deleteUnusedPhoto(c.env.FILES, photoUrl, before);
      if (err instanceof FormError) return refuseForm(c, profileAgain, err.fields);
      throw err;
    }
    await enqueueMail(c.env, mails);
    await deleteUnusedPhoto(c.env.FILES, before, photoUrl);
    await agentObject(c.env, user.id).updateProfile({
      greeting: profile.greeting,
      photoUrl,
      ringtone: profile.ringtone,
      notify: profile.notificationAlert,
    });
    return c.redirect("/agent/profile?saved=1", 303);
  })
  .get("/chats/:chatId", async (c) => {
    const id = z.uuid().safeParse(c.req.param("chatId"));
    if (!id.success || !(await agentMayOpenChat(c.env.DB, me(c), id.data))) throw notFound("chat");
    return c.html(<AgentChatPanel chatId={id.data} />);
  })
  // Conference chat: the chat's agent picks colleagues to invite, seeing where each is now.
  .get("/chats/:chatId/colleagues", async (c) => {
    const user = me(c);
    const id = z.uuid().safeParse(c.req.param("chatId"));
    if (!id.success || !(await agentMayOpenChat(c.env.DB, user, id.data))?.host) throw notFound("chat");
    return c.html(<ColleagueList chatId={id.data} colleagues={await colleagues(c.env, user)} />);
  });

/** The company's other agents, with their consoles' state (an agent DO never opened knows nothing). */
async function colleagues(env: Env, user: SessionUser): Promise<Colleague[]> {
  const agents = await listColleagues(openDb(env.DB), user, MAX_COLLEAGUES);
  return Promise.all(
    agents.map(async (a) => {
      const presence = await agentObject(env, a.id).presence();
      const states = [presence?.browser, presence?.mobile].filter((s) => s != null);
      const free = states.filter((s) => s !== "SERVING_CUSTOMER");
      const shown = free[0] ?? states[0];
      return { agentId: a.id, name: a.name, presence: shown ? STATUS_LABELS[shown] : "Not at the console", invitable: free.length > 0 };
    }),
  );
}
