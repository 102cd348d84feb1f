// Lengths of time as every screen writes them: "5:30". The browser's copy of worker/format/clock.ts,
// which the server's pages use (test/unit/clock.test.ts holds the two to one answer).

const pad = (n) => String(n).padStart(2, "0");

/** 330 → "5:30", 3725 → "62:05": minutes run on past the hour, as the meter counts chargeable time. */
export function minutesSeconds(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${pad(s % 60)}`;
}

/** 1799 → "29:59", 3725 → "1:02:05": hours once there are any, as a paid session's time is shown. */
export function hoursMinutesSeconds(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  return h > 0 ? `${h}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}` : minutesSeconds(s);
}
