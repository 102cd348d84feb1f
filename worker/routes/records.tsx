import { Hono, type Context } from "hono";
import * as z from "zod";
import type { SessionUser } from "../accounts/sessions";
import {
  RECORD_SORTS,
  chatRecordDetails,
  listChatRecords,
  mayUploadRecording,
  readableChat,
  recordScope,
  recordingKey,
  recordingOf,
  saveRecording,
  type RecordScope,
  type RecordSort,
} from "../stores/chat-records";
import { agentTallies } from "../stores/chat-ratings";
import { openDb, type Db } from "../stores/db";
import type { AppEnv } from "../app-env";
import { partFileName } from "../format/recording-part";
import { AppError, notFound } from "../http/errors";
import { requireAgent, requireUser } from "../http/session";
import { ChatViewPage } from "../../views/ChatView";
import { ChatRecordsPage } from "../../views/ChatRecords";

// Chat View, Chat Records and the recordings of a chat. An agent reads their own chats, a
// company administrator every chat of the company; only the chat's agent uploads its parts,
// and only once its customer allowed recording. Mounted at "/".

/** Chats per page of Chat View and Chat Records. */
export const RECORDS_PAGE_SIZE = 20;
/** A part may be this big: a Worker's request body limit on Cloudflare's Free and Pro plans. */
export const MAX_RECORDING_BYTES = 100 * 1024 * 1024;

const chatIdParam = z.uuid();
const segmentParam = z.coerce.number().int().min(1).max(999);
const pageQuery = z.coerce.number().int().min(1).max(10_000).catch(1);
const sortQuery = z.enum(RECORD_SORTS).catch("newest");

const me = (c: Context<AppEnv>) => c.get("user") as SessionUser;

// Transcripts and recordings are private and change while a chat runs.
const PRIVATE = "private, no-store";

function recordingParams(c: Context<AppEnv>) {
  const chatId = chatIdParam.safeParse(c.req.param("chatId"));
  const segment = segmentParam.safeParse(c.req.param("segment"));
  if (!chatId.success || !segment.success) throw notFound("recording");
  return { chatId: chatId.data, segment: segment.data };
}

async function page(db: Db, scope: RecordScope, sort: RecordSort, pageNo: number) {
  const list = await listChatRecords(db, scope, { sort, page: pageNo, pageSize: RECORDS_PAGE_SIZE });
  return { ...list, page: pageNo, details: await chatRecordDetails(db, list.chats.map((chat) => chat.id)) };
}

export const recordsRoutes = new Hono<AppEnv>()
  // Chat View: the agent's own chats, the latest first.
  .get("/chat-view", requireUser, requireAgent, async (c) => {
    const user = me(c);
    const db = openDb(c.env.DB);
    const scope = { companyId: user.companyId, agentId: user.id };
    const [list, ratings] = await Promise.all([page(db, scope, "newest", pageQuery.parse(c.req.query("page"))), agentTallies(db, scope)]);
    c.header("Cache-Control", PRIVATE);
    return c.render(<ChatViewPage list={list} viewerId={user.id} ratings={ratings} />);
  })
  // Chat Records: the chats in the reader's scope, sorted.
  .get("/chat-records", requireUser, async (c) => {
    const user = me(c);
    const sort = sortQuery.parse(c.req.query("sort"));
    const db = openDb(c.env.DB);
    const scope = recordScope(user);
    const [list, ratings] = await Promise.all([page(db, scope, sort, pageQuery.parse(c.req.query("page"))), agentTallies(db, scope)]);
    c.header("Cache-Control", PRIVATE);
    return c.render(<ChatRecordsPage list={list} sort={sort} companyWide={user.isAdmin} viewerId={user.isAdmin ? null : user.id} ratings={ratings} />);
  })
  // One recorded part, uploaded by the chat's agent right after each Stop.
  .put("/chats/:chatId/recordings/:segment", requireUser, async (c) => {
    const user = me(c);
    const { chatId, segment } = recordingParams(c);
    const db = openDb(c.env.DB);
    const allowed = await mayUploadRecording(db, user.id, chatId);
    if (allowed === "not_agent") throw notFound("chat");
    if (allowed === "no_consent") throw new AppError("conflict", "The customer has not allowed this chat to be recorded.");
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    if (!/^video\/webm(;|$)/.test(type)) throw new AppError("unsupported_media_type", "Recordings are uploaded as WebM video (video/webm).");
    const length = Number(c.req.header("content-length") ?? NaN);
    if (!Number.isInteger(length) || length <= 0) throw new AppError("length_required", "Send the recording with its length (Content-Length).");
    if (length > MAX_RECORDING_BYTES) throw new AppError("too_large", `A recorded part may be at most ${MAX_RECORDING_BYTES / 1024 / 1024} MB; stop and start again to make shorter parts.`);
    const durationMs = z.coerce.number().int().min(0).max(86_400_000).safeParse(c.req.header("x-duration-ms"));
    const key = recordingKey(allowed.companyId, chatId, segment);
    // Streamed straight to R2: a Worker could not hold a large part in memory.
    const stored = await c.env.FILES.put(key, c.req.raw.body, { httpMetadata: { contentType: "video/webm" }, customMetadata: { chatId, agentId: user.id } });
    await saveRecording(db, { chatId, userId: user.id, segment, r2Key: key, mimeType: "video/webm", bytes: stored.size, durationMs: durationMs.success ? durationMs.data : null });
    return c.json({ chatId, segment, bytes: stored.size }, 201);
  })
  // A recorded part from R2, for those who may read the chat's record.
  .get("/chats/:chatId/recordings/:segment", requireUser, async (c) => {
    const { chatId, segment } = recordingParams(c);
    const db = openDb(c.env.DB);
    if (!(await readableChat(db, me(c), chatId))) throw notFound("recording");
    const row = await recordingOf(db, chatId, segment);
    const object = row?.r2Key ? await c.env.FILES.get(row.r2Key) : null;
    if (!object) throw notFound("recording");
    return new Response(object.body, {
      headers: {
        "content-type": "video/webm",
        "content-length": String(object.size),
        "content-disposition": `attachment; filename="${partFileName(chatId, segment)}"`,
        "cache-control": PRIVATE,
        "x-content-type-options": "nosniff",
      },
    });
  });
