// The D1 schema. `migrations/*.sql` are generated from this file by `npm run db:generate`
// (drizzle-kit) and applied by wrangler; never edit one side alone.
// Money is integer minor units beside an ISO 4217 currency; times are UTC epoch milliseconds.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { PLANS } from "../accounts/company";
import { PLAN_SOURCES } from "../accounts/subscription";
import { ALERT_OUTCOMES } from "../alerts/free-alert";
import { MAIL_KINDS, MAIL_STATUSES } from "../mail/message";
import { WEBHOOK_EVENTS } from "../webhooks/events";
import { ACCOUNT_TYPES, LEDGER_ACCOUNTS, LEDGER_KINDS } from "../billing/fees";
import { CHARGE_STATUSES } from "../billing/payment-state";
import { PAYOUT_METHODS } from "../billing/payout-method";
import { DIFFERENCE_KINDS } from "../billing/reconciliation";
import { ASSIGNMENTS, CHARGING_MODES, EMBED_POSITIONS, FIELD_VISIBILITY } from "../rooms/room";

const id = () => text("id").primaryKey();
const createdAt = () =>
  integer("created_at", { mode: "number" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);
const flag = (name: string, on: boolean) => integer(name, { mode: "boolean" }).notNull().default(on);

export const companies = sqliteTable("companies", {
  id: id(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  accountType: text("account_type", { enum: ACCOUNT_TYPES }).notNull(),
  plan: text("plan", { enum: PLANS }).notNull().default("free"),
  entitlementQuota: integer("entitlement_quota").notNull().default(500),
  entitlementUsed: integer("entitlement_used").notNull().default(0),
  /** Of entitlementUsed, how many were emails sent (the rest are connected chats). */
  entitlementEmails: integer("entitlement_emails").notNull().default(0),
  /** The month ("YYYY-MM", UTC) the two counts are of (worker/accounts/entitlement.ts); "" before the first. */
  entitlementPeriod: text("entitlement_period").notNull().default(""),
  contactEmail: text("contact_email"),
  logoUrl: text("logo_url"),
  stripeAccountId: text("stripe_account_id"),
  stripeAccountReady: flag("stripe_account_ready", false),
  createdAt: createdAt(),
});

// A company's plan subscription (worker/accounts/subscription.ts): what Stripe last said of it, or
// a complimentary plan given by Parley. `companies.plan` holds the plan it gives now.
export const planSubscriptions = sqliteTable("plan_subscriptions", {
  companyId: text("company_id")
    .primaryKey()
    .references(() => companies.id),
  source: text("source", { enum: PLAN_SOURCES }).notNull().default("stripe"),
  plan: text("plan", { enum: PLANS }).notNull(),
  status: text("status").notNull(),
  stripeCustomerId: text("stripe_customer_id").unique(),
  stripeSubscriptionId: text("stripe_subscription_id").unique(),
  currentPeriodEnd: integer("current_period_end"),
  cancelAtPeriodEnd: flag("cancel_at_period_end", false),
  graceUntil: integer("grace_until"),
  carriedPlan: text("carried_plan", { enum: PLANS }),
  carriedUntil: integer("carried_until"),
  updatedAt: integer("updated_at").notNull(),
});

export const users = sqliteTable(
  "users",
  {
    id: id(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    // URL name of the agent's private room: /c/{company}/~{handle}
    handle: text("handle").notNull(),
    passwordHash: text("password_hash").notNull(),
    isAdmin: flag("is_admin", false),
    isAgent: flag("is_agent", true),
    disabled: flag("disabled", false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_company_handle").on(t.companyId, t.handle)],
);

// Every field of spec/agent-private-profile.txt.
export const agentProfiles = sqliteTable("agent_profiles", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id),
  photoUrl: text("photo_url"),
  greeting: text("greeting").notNull().default("Hello! How can I help you today?"),
  ringtone: text("ringtone").notNull().default("classic"),
  whatsappEnabled: flag("whatsapp_enabled", false),
  whatsappNumber: text("whatsapp_number"),
  // Granted by the system administrator only.
  manualPaymentAllowed: flag("manual_payment_allowed", false),
  ownPricingEnabled: flag("own_pricing_enabled", false),
  pricingCurrency: text("pricing_currency").notNull().default("EUR"),
  pricingFreeMinutes: integer("pricing_free_minutes").notNull().default(0),
  pricingBlockPriceMinor: integer("pricing_block_price_minor").notNull().default(1000),
  pricingBlockMinutes: integer("pricing_block_minutes").notNull().default(5),
  pricingSplitThresholdMinor: integer("pricing_split_threshold_minor"),
  notificationAlert: flag("notification_alert", true),
  emailAlert: flag("email_alert", true),
  // The public room whose settings the agent's private room uses.
  privateRoomId: text("private_room_id"),
  payoutMethod: text("payout_method", { enum: PAYOUT_METHODS }),
  payoutAccount: text("payout_account"),
});

// Every setting of spec/chat-room-customizations.txt, with its default.
export const rooms = sqliteTable(
  "rooms",
  {
    id: id(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
    // Contact form
    theme: text("theme").notNull().default("#2563eb"),
    formCompanyName: text("form_company_name"),
    formLogoUrl: text("form_logo_url"),
    formHeader: text("form_header").notNull().default("Talk to us"),
    formSubheader: text("form_subheader").notNull().default("An agent will answer in moments."),
    fieldName: text("field_name", { enum: FIELD_VISIBILITY }).notNull().default("mandatory"),
    fieldEmail: text("field_email", { enum: FIELD_VISIBILITY }).notNull().default("shown"),
    fieldPhone: text("field_phone", { enum: FIELD_VISIBILITY }).notNull().default("shown"),
    fieldMessage: text("field_message", { enum: FIELD_VISIBILITY }).notNull().default("shown"),
    buttonChatHidden: flag("button_chat_hidden", false),
    buttonEmailHidden: flag("button_email_hidden", false),
    buttonVoiceHidden: flag("button_voice_hidden", false),
    buttonVideoHidden: flag("button_video_hidden", false),
    buttonWhatsappHidden: flag("button_whatsapp_hidden", true),
    // Chat assignment
    assignment: text("assignment", { enum: ASSIGNMENTS }).notNull().default("quickest"),
    sameAgent: flag("same_agent", false),
    includeMobile: flag("include_mobile", true),
    // Customer interactions
    allowLeaveEmail: flag("allow_leave_email", true),
    allowEmailAlert: flag("allow_email_alert", false),
    // The customer who gave an email address is sent the chat's transcript when it ends.
    alwaysEmailTranscript: flag("always_email_transcript", false),
    // WhatsApp assignment
    whatsappOnlineAgents: flag("whatsapp_online_agents", true),
    whatsappOfflineAgents: flag("whatsapp_offline_agents", true),
    // In-app purchase and pricing scheme
    chargingMode: text("charging_mode", { enum: CHARGING_MODES }).notNull().default("none"),
    pricingCurrency: text("pricing_currency").notNull().default("EUR"),
    pricingFreeMinutes: integer("pricing_free_minutes").notNull().default(0),
    pricingBlockPriceMinor: integer("pricing_block_price_minor").notNull().default(1000),
    pricingBlockMinutes: integer("pricing_block_minutes").notNull().default(5),
    pricingSplitThresholdMinor: integer("pricing_split_threshold_minor"),
    authorisationAmountMinor: integer("authorisation_amount_minor").notNull().default(5000),
    allowAgentPricing: flag("allow_agent_pricing", false),
    // Public profile used in email to customers
    publicCompanyName: text("public_company_name"),
    publicContactEmail: text("public_contact_email"),
    // Customer phone & agent phone buttons
    phoneText: flag("phone_text", true),
    phoneVoice: flag("phone_voice", true),
    phoneVideo: flag("phone_video", true),
    phoneScreenShare: flag("phone_screen_share", true),
    phoneRecording: flag("phone_recording", false),
    phoneRemoteControl: flag("phone_remote_control", true),
    phoneFullScreen: flag("phone_full_screen", false),
    phoneConference: flag("phone_conference", false),
    phoneSimultaneousChats: flag("phone_simultaneous_chats", false),
    phoneTimerStart: flag("phone_timer_start", true),
    phoneTimerStop: flag("phone_timer_stop", true),
    // Chat messaging and waiting screen
    hidePreviewTyping: flag("hide_preview_typing", false),
    agentRole: text("agent_role").notNull().default("Agent"),
    wrapUpSeconds: integer("wrap_up_seconds"),
    // Embed: sticky button and pop-up contact form
    embedPosition: text("embed_position", { enum: EMBED_POSITIONS }).notNull().default("right"),
    embedPopup: flag("embed_popup", true),
    embedWhisperText: text("embed_whisper_text").notNull().default("Questions? We're online."),
    embedWhisperDelaySeconds: integer("embed_whisper_delay_seconds").notNull().default(20),
    // The first website (origin) that fetched the embed script: the admin's checklist ticks "embedded".
    embedOrigin: text("embed_origin"),
    createdAt: createdAt(),
    // Retired rooms are kept for their chats and revenue; their links answer 410.
    retiredAt: integer("retired_at"),
  },
  (t) => [uniqueIndex("rooms_company_name").on(t.companyId, t.name)],
);

// A renamed room's former names, so links to them keep working (a redirect to its name now).
export const roomRenames = sqliteTable(
  "room_renames",
  {
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    oldName: text("old_name").notNull(),
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.oldName] })],
);

// Hotlines: which agents serve which rooms.
export const roomAgents = sqliteTable(
  "room_agents",
  {
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index("room_agents_user").on(t.userId)],
);

export const CHAT_STATUSES = ["waiting", "connected", "ended", "missed", "refused"] as const;
export const chats = sqliteTable(
  "chats",
  {
    id: id(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id),
    // Set for a chat that came through an agent's private room.
    privateAgentId: text("private_agent_id"),
    agentId: text("agent_id"),
    visitorId: text("visitor_id"),
    mode: text("mode", { enum: ["chat", "voice", "video"] }).notNull().default("chat"),
    status: text("status", { enum: CHAT_STATUSES }).notNull().default("waiting"),
    customerName: text("customer_name"),
    customerEmail: text("customer_email"),
    customerPhone: text("customer_phone"),
    customerMessage: text("customer_message"),
    chargingMode: text("charging_mode", { enum: CHARGING_MODES }).notNull().default("none"),
    currency: text("currency"),
    chargeableSeconds: integer("chargeable_seconds").notNull().default(0),
    amountMinor: integer("amount_minor").notNull().default(0),
    paidMinor: integer("paid_minor").notNull().default(0),
    endedBy: text("ended_by", { enum: ["customer", "agent", "timeout", "system"] }),
    createdAt: createdAt(),
    answeredAt: integer("answered_at"),
    endedAt: integer("ended_at"),
    // The customer's rating of an ended chat, 1 to 5 (worker/ratings/rating.ts), given once.
    rating: integer("rating"),
    ratingComment: text("rating_comment"),
    ratedAt: integer("rated_at"),
    // The consultation invitation whose link the customer came by: set only when it invited to this room.
    invitationId: text("invitation_id").references(() => invitations.id),
  },
  (t) => [
    index("chats_company_created").on(t.companyId, t.createdAt),
    index("chats_invitation").on(t.invitationId).where(sql`${t.invitationId} is not null`),
    index("chats_agent").on(t.agentId),
    // The agents' averages (records pages, statistics details) read only rated chats, from the index alone.
    index("chats_rated").on(t.companyId, t.agentId, t.rating).where(sql`${t.rating} is not null`),
  ],
);

export const messages = sqliteTable(
  "messages",
  {
    id: id(),
    chatId: text("chat_id")
      .notNull()
      .references(() => chats.id),
    sender: text("sender", { enum: ["customer", "agent", "system"] }).notNull(),
    userId: text("user_id"),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("messages_chat").on(t.chatId, t.createdAt)],
);

// Customer requests made while no agent is free: an email message, or an alert when one is.
export const INBOX_STATUSES = ["open", "done"] as const;
export const customerRequests = sqliteTable("customer_requests", {
  id: id(),
  companyId: text("company_id")
    .notNull()
    .references(() => companies.id),
  roomId: text("room_id")
    .notNull()
    .references(() => rooms.id),
  kind: text("kind", { enum: ["message", "alert"] }).notNull(),
  name: text("name"),
  email: text("email").notNull(),
  body: text("body"),
  handledAt: integer("handled_at"),
  createdAt: createdAt(),
  // Left in an agent's private room (/c/{company}/~{handle}): for that agent alone, though roomId
  // is the public room whose settings the private room uses.
  privateAgentId: text("private_agent_id").references(() => users.id),
  // A message in the agents' Inbox: open until an agent marks it done (handledAt is when).
  status: text("status", { enum: INBOX_STATUSES }).notNull().default("open"),
  // The last reply an agent emailed the customer from the Inbox: who, when, what.
  answeredAt: integer("answered_at"),
  answeredBy: text("answered_by").references(() => users.id),
  replyText: text("reply_text"),
  // An alert (worker/alerts/free-alert.ts): the waiting chat it came from, the room it waits on
  // (its object's key, which hears when an agent is free), the link back to the room's contact
  // form, and how it ended (handledAt is when).
  chatId: text("chat_id"),
  roomKey: text("room_key"),
  roomUrl: text("room_url"),
  alertOutcome: text("alert_outcome", { enum: ALERT_OUTCOMES }),
}, (t) => [
  index("customer_requests_company_created").on(t.companyId, t.createdAt),
  index("customer_requests_open_alerts").on(t.roomKey).where(sql`${t.kind} = 'alert' and ${t.status} = 'open'`),
]);

// Consultation invitations an agent emailed a client (the Clients page): a link to one of the
// agent's rooms, or their private room, whose contact form it fills in with the client's name and
// email. The id is the link's reference: random, so it cannot be guessed, and it grants nothing.
export const invitations = sqliteTable(
  "invitations",
  {
    id: id(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    agentId: text("agent_id")
      .notNull()
      .references(() => users.id),
    // The room invited to; for the agent's private room, the room whose settings it used then.
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id),
    // Set when the invitation is to the agent's private room (/c/{company}/~{handle}).
    privateAgentId: text("private_agent_id").references(() => users.id),
    name: text("name").notNull(),
    email: text("email").notNull(),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [index("invitations_agent_created").on(t.agentId, t.createdAt)],
);

export const recordings = sqliteTable(
  "recordings",
  {
    id: id(),
    chatId: text("chat_id")
      .notNull()
      .references(() => chats.id),
    userId: text("user_id").notNull(),
    segment: integer("segment").notNull(),
    r2Key: text("r2_key"),
    mimeType: text("mime_type").notNull(),
    bytes: integer("bytes").notNull(),
    durationMs: integer("duration_ms"),
    createdAt: createdAt(),
  },
  // One row per segment: an upload retried after a dropped connection replaces its row.
  (t) => [uniqueIndex("recordings_chat_segment").on(t.chatId, t.segment)],
);

// The customer's answer when an agent asks to record a chat (one per chat: a refusal is final).
export const recordingConsents = sqliteTable("recording_consents", {
  chatId: text("chat_id")
    .primaryKey()
    .references(() => chats.id),
  agentId: text("agent_id").notNull(),
  answer: text("answer", { enum: ["allowed", "refused"] }).notNull(),
  askedAt: integer("asked_at").notNull(),
  answeredAt: integer("answered_at").notNull(),
});

// Conference chat: agents the chat's agent invited. A row is written when the invitation is sent,
// so that a guest who joined may open the chat and find it in Chat View.
export const chatGuests = sqliteTable(
  "chat_guests",
  {
    chatId: text("chat_id")
      .notNull()
      .references(() => chats.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    invitedBy: text("invited_by").notNull(),
    invitedAt: integer("invited_at").notNull(),
    joinedAt: integer("joined_at"),
    leftAt: integer("left_at"),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.userId] }), index("chat_guests_user").on(t.userId)],
);

export const invoices = sqliteTable("invoices", {
  id: id(),
  chatId: text("chat_id")
    .notNull()
    .references(() => chats.id),
  agentId: text("agent_id").notNull(),
  kind: text("kind", { enum: ["service", "goods"] }).notNull(),
  description: text("description").notNull(),
  amountMinor: integer("amount_minor").notNull(),
  currency: text("currency").notNull(),
  durationSeconds: integer("duration_seconds"),
  status: text("status", { enum: ["open", "paid", "canceled"] }).notNull().default("open"),
  paymentIntentId: text("payment_intent_id"),
  createdAt: createdAt(),
  paidAt: integer("paid_at"),
});

export const charges = sqliteTable(
  "charges",
  {
    id: id(),
    chatId: text("chat_id").references(() => chats.id),
    invoiceId: text("invoice_id").references(() => invoices.id),
    seq: integer("seq").notNull(),
    kind: text("kind", { enum: ["service", "goods"] }).notNull().default("service"),
    amountMinor: integer("amount_minor").notNull(),
    currency: text("currency").notNull(),
    paymentIntentId: text("payment_intent_id"),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    status: text("status", { enum: CHARGE_STATUSES })
      .notNull()
      .default("pending"),
    failureCode: text("failure_code"),
    /** Stripe's charge (ch_…) and its balance transaction (txn_…): set once the ledger's fees were corrected to Stripe's. */
    stripeChargeId: text("stripe_charge_id"),
    balanceTransactionId: text("balance_transaction_id"),
    createdAt: createdAt(),
  },
  (t) => [index("charges_chat").on(t.chatId), index("charges_payment_intent").on(t.paymentIntentId)],
);

// Double-entry revenue ledger: the lines of one transaction sum to zero.
export const ledgerEntries = sqliteTable(
  "ledger_entries",
  {
    id: id(),
    txnId: text("txn_id").notNull(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    chatId: text("chat_id"),
    agentId: text("agent_id"),
    chargeId: text("charge_id"),
    kind: text("kind", { enum: LEDGER_KINDS }).notNull(),
    account: text("account", { enum: LEDGER_ACCOUNTS }).notNull(),
    amountMinor: integer("amount_minor").notNull(),
    currency: text("currency").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("ledger_company_created").on(t.companyId, t.createdAt), index("ledger_txn").on(t.txnId)],
);

export const payouts = sqliteTable("payouts", {
  id: id(),
  companyId: text("company_id")
    .notNull()
    .references(() => companies.id),
  userId: text("user_id").notNull(),
  method: text("method", { enum: PAYOUT_METHODS }).notNull(),
  amountMinor: integer("amount_minor").notNull(),
  currency: text("currency").notNull(),
  // scheduled → (due) sending → paid | failed (retried with the next attempt); a method Parley
  // pays by hand (PayPal, AliPay, WeChat Pay) goes scheduled → manual → paid.
  state: text("state", { enum: ["scheduled", "sending", "paid", "failed", "manual"] }).notNull().default("scheduled"),
  dueAt: integer("due_at").notNull(),
  /** Numbers the Stripe Transfer requests: one idempotency key per attempt, a new one only after Stripe refused the last. */
  attempt: integer("attempt").notNull().default(0),
  /** Where it was sent: the connected account (acct_…), or the PayPal/AliPay/WeChat account. */
  destination: text("destination"),
  /** Stripe's transfer id, or the operator's reference of a payout made by hand. */
  reference: text("reference"),
  failureCode: text("failure_code"),
  failureReason: text("failure_reason"),
  paidAt: integer("paid_at"),
  createdAt: createdAt(),
});

// The daily reconciliation with Stripe (worker/jobs/reconcile.ts): each company's UTC day of
// ledger compared with Stripe's balance transactions. Checking a day again replaces its row and
// its differences.
export const reconciliations = sqliteTable(
  "reconciliations",
  {
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    /** The UTC day checked: 2025-05-31. */
    day: text("day").notNull(),
    checkedAt: integer("checked_at").notNull(),
    /** Parley's charges and payouts compared. */
    compared: integer("compared").notNull(),
    differences: integer("differences").notNull(),
    /** Why the check could not finish (Stripe unreachable); null when it did. */
    error: text("error"),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.day] })],
);

export const reconciliationDifferences = sqliteTable(
  "reconciliation_differences",
  {
    id: id(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    day: text("day").notNull(),
    kind: text("kind", { enum: DIFFERENCE_KINDS }).notNull(),
    /** The ledger transaction concerned (a charge's id, a payout's `{id}:paid`); null when the ledger has none. */
    txnId: text("txn_id"),
    chatId: text("chat_id"),
    /** Stripe's object concerned (ch_…, tr_…, dp_…, or the pi_… Parley charged); null when Stripe has none. */
    stripeObject: text("stripe_object"),
    currency: text("currency").notNull(),
    /** What the ledger says and what Stripe says, in minor units; null for the side that has nothing. */
    ledgerMinor: integer("ledger_minor"),
    stripeMinor: integer("stripe_minor"),
    createdAt: createdAt(),
  },
  (t) => [index("reconciliation_differences_company_day").on(t.companyId, t.day)],
);

// Applied once: a Stripe event id seen twice is ignored.
export const stripeEvents = sqliteTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  createdAt: createdAt(),
});

// The one way mail leaves (worker/stores/outbox.ts): a row is written in the same batch as the
// event that causes it, and the mail queue's consumer sends it (worker/jobs/mail-delivery.ts).
export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: id(),
    companyId: text("company_id").references(() => companies.id),
    kind: text("kind", { enum: MAIL_KINDS }).notNull().default("notice"),
    toAddress: text("to_address").notNull(),
    /** The sender's display name (the room's public profile, else the company); the address is the operator's MAIL_FROM. */
    fromName: text("from_name"),
    replyTo: text("reply_to"),
    subject: text("subject").notNull(),
    bodyText: text("body_text").notNull(),
    bodyHtml: text("body_html"),
    /** Extra header fields as a JSON object (List-Unsubscribe on alerts), checked free of CR/LF when written. */
    headers: text("headers"),
    status: text("status", { enum: MAIL_STATUSES }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    /** Why the last attempt failed, or why the mail is held: what the admin's mail log shows. */
    note: text("note"),
    /** A queued mail that failed waits until then; the sweep re-enqueues what the queue missed. */
    nextAttemptAt: integer("next_attempt_at"),
    /** The delivery that marked the row `sending`, and when: only it may mark the row sent. */
    claim: text("claim"),
    claimedAt: integer("claimed_at"),
    createdAt: createdAt(),
    sentAt: integer("sent_at"),
  },
  (t) => [index("email_outbox_company_created").on(t.companyId, t.createdAt), index("email_outbox_status").on(t.status, t.nextAttemptAt)],
);

// Integrators' webhook endpoints: a URL per company, the events it wants (a JSON array of
// WEBHOOK_EVENTS), and its signing secret sealed (worker/webhooks/secret.ts): it is shown once.
export const WEBHOOK_ENDPOINT_STATUSES = ["active", "failing"] as const;
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: id(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    url: text("url").notNull(),
    events: text("events", { mode: "json" }).$type<(typeof WEBHOOK_EVENTS)[number][]>().notNull(),
    secretSealed: text("secret_sealed").notNull(),
    /** Failing: a delivery was given up after 24 hours; the next delivery that succeeds makes it active again. */
    status: text("status", { enum: WEBHOOK_ENDPOINT_STATUSES }).notNull().default("active"),
    /** Where the admin added it (https://parley.example): the failing-endpoint mail links back there. */
    origin: text("origin"),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_endpoints_company").on(t.companyId)],
);

// The webhook outbox: one row per event and endpoint, written in the batch of the event; the
// webhook queue's consumer claims, sends and settles it (worker/jobs/webhook-delivery.ts).
export const WEBHOOK_DELIVERY_STATUSES = ["queued", "sending", "delivered", "failed"] as const;
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: id(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    type: text("type", { enum: WEBHOOK_EVENTS }).notNull(),
    /** The event's JSON exactly as signed and sent, every attempt alike. */
    payload: text("payload").notNull(),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    /** The receiver's last answer: its status code and body (truncated), or why there was none. */
    responseCode: integer("response_code"),
    responseBody: text("response_body"),
    note: text("note"),
    claim: text("claim"),
    claimedAt: integer("claimed_at"),
    createdAt: createdAt(),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [index("webhook_deliveries_endpoint_created").on(t.endpointId, t.createdAt), index("webhook_deliveries_event").on(t.eventId), index("webhook_deliveries_status").on(t.status, t.nextAttemptAt)],
);

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: id(),
    companyId: text("company_id"),
    userId: text("user_id"),
    action: text("action").notNull(),
    subject: text("subject"),
    detail: text("detail"),
    createdAt: createdAt(),
  },
  (t) => [index("audit_company_created").on(t.companyId, t.createdAt)],
);

export const sessions = sqliteTable("sessions", {
  // SHA-256 of the cookie value: a leaked table does not leak live sessions.
  idHash: text("id_hash").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id),
  expiresAt: integer("expires_at").notNull(),
  createdAt: createdAt(),
});

// Fixed-window counters for rate limits (worker/http/rate-limit.ts): failed sign-ins per IP,
// contact forms per IP.
export const rateCounters = sqliteTable("rate_counters", {
  key: text("key").primaryKey(),
  count: integer("count").notNull(),
  windowStart: integer("window_start").notNull(),
});

// Failed sign-ins per account and client, and per account from clients it does not know
// (worker/accounts/signin-throttle.ts): each failure past the free ones makes the next wait longer.
export const signinFailures = sqliteTable("signin_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  lastFailureAt: integer("last_failure_at").notNull(),
});

// Browsers that have signed in to an account (SHA-256 of their device cookie): others' failed
// guesses never slow these down.
export const knownDevices = sqliteTable(
  "known_devices",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    deviceHash: text("device_hash").notNull(),
    lastSignInAt: integer("last_sign_in_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.deviceHash] })],
);

// Web Push subscriptions (worker/push): each device an agent allowed to be notified on while
// away from the console. The endpoint is the push service's address for that device.
export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    endpoint: text("endpoint").notNull().unique(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    /** What the agent sees in the device list, read from the browser's User-Agent ("Chrome on Android"). */
    label: text("label").notNull(),
    /** The sign-in that subscribed it: signing out of that browser stops its notifications. */
    sessionHash: text("session_hash").references(() => sessions.idHash, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [index("push_subscriptions_user").on(t.userId)],
);
