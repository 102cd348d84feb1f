// One recorded part as the agent's pages list it: its number, length, size, a download link to the
// file in this browser, and where it is kept.
import { minutesSeconds } from "../format/clock.js";
import { fileSize, partFileName } from "../format/recording-part.js";

const clock = (ms) => minutesSeconds(Math.round(ms / 1000));

export function partItem(part, where) {
  const item = document.createElement("li");
  item.className = "recording-part";
  item.dataset.segment = String(part.segment);
  const name = document.createElement("strong");
  name.textContent = `Part ${part.segment}`;
  const facts = document.createElement("span");
  facts.className = "muted small";
  facts.textContent = `${clock(part.durationMs)} · ${fileSize(part.blob.size)}`;
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
