// One recorded part as the agent's pages list it: its number, length, size, a download link to the
// file in this browser, and where it is kept.
import { minutesSeconds } from "../format/clock.js";

const clock = (ms) => minutesSeconds(Math.round(ms / 1000));

const size = (bytes) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

export const partFileName = (chatId, segment) => `chat-${chatId.slice(0, 8)}-part-${segment}.webm`;

export function partItem(part, where) {
  const item = document.createElement("li");
  item.className = "recording-part";
  item.dataset.segment = String(part.segment);
  const name = document.createElement("strong");
  name.textContent = `Part ${part.segment}`;
  const facts = document.createElement("span");
  facts.className = "muted small";
  facts.textContent = `${clock(part.durationMs)} · ${size(part.blob.size)}`;
  const link = document.createElement("a");
  link.className = "btn btn-small btn-ghost";
  link.href = URL.createObjectURL(part.blob);
  link.download = partFileName(part.chatId, part.segment);
  link.textContent = "Download";
  const status = document.createElement("span");
  status.className = "part-status small";
  status.textContent = where;
  item.append(name, facts, link, status);
  return item;
}
