// Instants as the pages write them: in UTC, since the server does not know the reader's time zone.

/** "2025-05-31 14:05". */
export const utcDateTime = (t: number) => new Date(t).toISOString().slice(0, 16).replace("T", " ");

/** "14:05". */
export const utcTime = (t: number) => new Date(t).toISOString().slice(11, 16);

/** "1 January 2027": a day in words, for a date people plan by. */
export const utcLongDate = (t: number) => new Date(t).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
