// A recorded part's file as the pages name and size it: "chat-1a2b3c4d-part-2.webm", "840 KB".
// The browser lists the parts it holds with static/format/recording-part.js, its copy, so a part
// downloads under one name from either place (test/unit/recording-part.test.ts holds the two).

/** "chat-1a2b3c4d-part-2.webm". */
export const partFileName = (chatId: string, segment: number) => `chat-${chatId.slice(0, 8)}-part-${segment}.webm`;

/** "840 KB" (at least 1), "12.5 MB". */
export const fileSize = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
