import { openDb } from "../adapters/db";
import { chats } from "../db/schema";
import { randomToken, sha256Hex } from "../accounts/tokens";
import type { Company, Room } from "../rooms/queries";
import type { ContactInput } from "../rooms/contact-form";
import type { Location } from "../routing/presence";
import { AppError } from "../http/errors";
import { roomKey, type ChatInit } from "./types";

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
 * Opens a chat: the D1 record first, then the chat's Durable Object, then the room's queue,
 * which rings agents. Returns the customer's secret token for the chat's page and socket.
 */
export async function startChat(env: Env, request: ChatRequest): Promise<{ chatId: string; token: string }> {
  const { company, room, privateAgent, contact } = request;
  if (company.entitlementUsed >= company.entitlementQuota) {
    throw new AppError(
      "unavailable",
      `${company.name} cannot take new chats at the moment: its ${company.entitlementQuota} chats for this period are used up. Please try again later or contact them by email.`,
    );
  }
  const chatId = crypto.randomUUID();
  const token = randomToken();
  const customer = { name: contact.name, email: contact.email, phone: contact.phone, message: contact.message };
  await openDb(env.DB)
    .insert(chats)
    .values({
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
    });

  const key = roomKey(company.id, privateAgent ? `~${privateAgent.handle}` : room.name);
  const init: ChatInit = {
    chatId,
    companyId: company.id,
    roomKey: key,
    roomName: room.name,
    companyName: room.formCompanyName ?? company.name,
    contactPath: `/c/${company.slug}/${privateAgent ? `~${privateAgent.handle}` : room.name}`,
    mode: contact.mode,
    agentRole: room.agentRole,
    hidePreviewTyping: room.hidePreviewTyping,
    allowLeaveEmail: room.allowLeaveEmail,
    allowEmailAlert: room.allowEmailAlert,
    sameAgent: room.sameAgent,
    wrapUpSeconds: room.wrapUpSeconds,
    customerTokenHash: await sha256Hex(token),
    customer,
  };
  await env.CHAT.get(env.CHAT.idFromName(chatId)).start(init);
  await env.ROOM.get(env.ROOM.idFromName(key)).enqueue({
    ring: { chatId, roomKey: key, roomName: room.name, mode: contact.mode, customer, askedAt: Date.now(), simultaneousChats: room.phoneSimultaneousChats },
    visitorId: request.visitorId,
    location: request.location,
    rules: {
      assignment: room.assignment,
      plan: company.plan,
      sameAgent: room.sameAgent,
      includeMobile: room.includeMobile,
      simultaneousChats: room.phoneSimultaneousChats,
    },
  });
  return { chatId, token };
}
