// The pages' scripts and styles as scripts/build-assets.mjs built them: content-hashed files under
// /build/, one set per audience. The JSON is generated (not committed) before start, tests and deploy.
import built from "./page-assets.generated.json";

/** `customer`: the bare pages a business's customers see; `staff`: agents' and administrators' pages. */
export type Audience = "customer" | "staff";

/** `preload`: the chunks `script` imports at once, fetched alongside it instead of after it. */
export type PageAssets = { css: string; script: string; preload: string[] };

export const pageAssets = (audience: Audience): PageAssets => built[audience];

/**
 * The customers' second stylesheet: what their pages show beyond the contact form and the waiting
 * screen (a connected chat's calls, payments and ratings, the card pages). Their other pages load
 * it with the first; the chat page fetches it at idle priority and its connected chat names it.
 */
export const customerChatCss: string = built.customer.chatCss;
