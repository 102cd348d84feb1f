// A recorded part's file as the pages name and size it: "chat-1a2b3c4d-part-2.webm", "840 KB".
// The browser's copy of worker/format/recording-part.ts, so a part downloads under one name from
// the server and from this browser (test/unit/recording-part.test.ts holds the two).

/** "chat-1a2b3c4d-part-2.webm". */
export const partFileName = (chatId, segment) => `chat-${chatId.slice(0, 8)}-part-${segment}.webm`;

/** "840 KB" (at least 1), "12.5 MB". */
export const fileSize = (bytes) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
