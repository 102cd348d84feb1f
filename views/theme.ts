// A room's theme colour on a customer page: the contact form and every page of its chat after it.
// Only a plain #rrggbb reaches the style attribute (settings validate it; older chats have none).

/** The style attribute that sets `--theme` for the page's themed parts, or nothing. */
export const themeStyle = (theme: string | undefined) => (theme && /^#[0-9a-f]{6}$/i.test(theme) ? `--theme:${theme}` : undefined);
