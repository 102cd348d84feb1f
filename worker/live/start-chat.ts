import { getAgentProfile } from "../stores/agent-profiles";
import { insertChat } from "../stores/chats";
import { enqueueWebhooks } from "../adapters/webhook-queue";
import { openDb } from "../stores/db";
import { randomToken, sha256Hex } from "../accounts/tokens";
import type { Company } from "../accounts/company";
import { entitlementUsage } from "../accounts/entitlement";
import type { Room } from "../rooms/room";
import type { ContactInput } from "../rooms/contact-form";
import type { Location } from "../routing/presence";
import { AppError } from "../http/errors";
import { stripeClient, type StripeEnv } from "../adapters/stripe";
import { merchantFor } from "../billing/connect";
import { chatScheme } from "../billing/scheme";
import type { BillingConfig } from "./chat-bill";
import { mediaPath, type CallsEnv } from "../adapters/calls";
import { roomKey, type ChatInit, type EnqueueRequest } from "./contracts";
import { chatObject, roomObject } from "./stubs";

export type ChatRequest = {
  company: Company;
  room: Room;
  /** Set for an agent's private room. */
  privateAgent: { id: string; handle: string } | null;
  contact: ContactInput & { mode: "chat" | "voice" | "video" };
  visitorId: string;
  location: Location | null;
};

/**
 * Opens a chat: the D1 record and the chat's Durable Object, then the room's queue, which rings
 * agents. Returns the customer's secret token for the chat's page and socket.
 */
export async function startChat(env: Env & StripeEnv & CallsEnv, request: ChatRequest): Promise<{ chatId: string; token: string }> {
  const { company, room, privateAgent, contact } = request;
  if (entitlementUsage(company, Date.now()).usedUp) {
    throw new AppError(
      "unavailable",
      `${company.name} cannot take new chats at the moment: its ${company.entitlementQuota} chats for this month are used up. Please try again later or contact them by email.`,
    );
  }
  assertCanTakePayments(env, company, room);
  const chatId = crypto.randomUUID();
  const token = randomToken();
  const customer = { name: contact.name, email: contact.email, phone: contact.phone, message: contact.message };
  // A private room is named by its address (`~handle`) wherever the chat shows its room: its
  // settings come from a public room, but its chats are not that room's.
  const place = privateAgent ? `~${privateAgent.handle}` : room.name;
  const key = roomKey(company.id, place);
  const enqueue: EnqueueRequest = {
    ring: { chatId, roomKey: key, roomName: place, mode: contact.mode, customer, askedAt: Date.now(), simultaneousChats: room.phoneSimultaneousChats },
    visitorId: request.visitorId,
    location: request.location,
    rules: {
      assignment: room.assignment,
      plan: company.plan,
      sameAgent: room.sameAgent,
      includeMobile: room.includeMobile,
      simultaneousChats: room.phoneSimultaneousChats,
    },
  };
  // Without automatic charges nothing stands between the customer and an agent: the room is
  // called first, before anything else of the chat is computed or written, so that on a busy
  // thread its ring is queued ahead of the D1 record and the new chat's object. The customer is
  // answered only once the record, the start and the queue are all done; if one failed, the rings
  // are withdrawn. The chat's object lets an answer that comes before its start wait
  // (ChatDO.hasStarted). With automatic charges the chat's object keeps the request and enqueues
  // once the card is authorised.
  const roomStub = roomObject(env, key);
  const queued = room.chargingMode === "automatic" ? null : roomStub.enqueue(enqueue);
  const withdraw = () => queued && roomStub.cancel(chatId).catch((err: unknown) => console.error("withdrawing the rings of a chat that did not start failed", chatId, err));
  let customerTokenHash: string;
  let billing: BillingConfig | null;
  try {
    [customerTokenHash, billing] = await Promise.all([sha256Hex(token), billingConfig(env, request)]);
  } catch (err) {
    await withdraw();
    throw err;
  }
  const init: ChatInit = {
    chatId,
    companyId: company.id,
    roomKey: key,
    roomName: place,
    companyName: room.formCompanyName ?? company.name,
    theme: room.theme,
    contactPath: `/c/${company.slug}/${place}`,
    mode: contact.mode,
    agentRole: room.agentRole,
    hidePreviewTyping: room.hidePreviewTyping,
    allowLeaveEmail: room.allowLeaveEmail,
    allowEmailAlert: room.allowEmailAlert,
    sameAgent: room.sameAgent,
    wrapUpSeconds: room.wrapUpSeconds,
    customerTokenHash,
    customer,
    billing,
    manualPayments: room.chargingMode === "manual",
    call: {
      path: mediaPath(env),
      buttons: { text: room.phoneText, voice: room.phoneVoice, video: room.phoneVideo, screenShare: room.phoneScreenShare, fullScreen: room.phoneFullScreen, remoteControl: room.phoneRemoteControl },
    },
    recording: room.phoneRecording,
    conference: room.phoneConference,
  };
  const record = insertChat(openDb(env.DB), {
    id: chatId,
    companyId: company.id,
    roomId: room.id,
    privateAgentId: privateAgent?.id ?? null,
    visitorId: request.visitorId,
    mode: contact.mode,
    customerName: customer.name,
    customerEmail: customer.email,
    customerPhone: customer.phone,
    customerMessage: customer.message,
    chargingMode: room.chargingMode,
    invitationId: contact.invitation ?? null,
  }, place).then((events) => enqueueWebhooks(env, events));
  const started = chatObject(env, chatId).start(init, billing ? enqueue : null);
  const failed = (await Promise.allSettled([record, started, queued])).find((r) => r.status === "rejected");
  if (failed) {
    await withdraw();
    throw failed.reason;
  }
  return { chatId, token };
}

/**
 * The pricing this chat is charged by: the room's, or in an agent's private room the agent's own
 * when the room allows it. Null when the room takes no automatic charges.
 */
async function billingConfig(env: Env & StripeEnv, { company, room, privateAgent }: ChatRequest): Promise<BillingConfig | null> {
  if (room.chargingMode !== "automatic") return null;
  const profile = privateAgent && room.allowAgentPricing ? await getAgentProfile(openDb(env.DB), privateAgent.id) : null;
  const scheme = chatScheme(room, profile);
  return {
    scheme,
    holdMinor: scheme.splitThresholdMinor ?? room.authorisationAmountMinor,
    agentStarts: room.phoneTimerStart,
    agentPauses: room.phoneTimerStop,
    account: company.accountType,
    merchant: merchantFor(company)!,
  };
}

/**
 * A room that takes payments (automatic charges or invoices) needs Stripe, and a company needs its
 * own connected account (billing/connect.ts): refused before anything is written, with a message
 * the customer can act on. The admin sees the same condition on the room's settings page.
 */
function assertCanTakePayments(env: StripeEnv, company: Company, room: Room): void {
  if (room.chargingMode === "none") return;
  if (!stripeClient(env) || !merchantFor(company)) {
    throw new AppError(
      "unavailable",
      `${company.name} takes card payments in this room and has not finished setting them up, so it cannot start paid chats yet. Please try again later or contact them by email.`,
    );
  }
}
