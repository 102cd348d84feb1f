// The pages' scripts and styles as scripts/build-assets.mjs built them: content-hashed files under
// /build/, one set per audience. The JSON is generated (not committed) before start, tests and deploy.
import built from "./page-assets.generated.json";

/** `customer`: the bare pages a business's customers see; `staff`: agents' and administrators' pages. */
export type Audience = "customer" | "staff";

/** `preload`: the chunks `script` imports at once, fetched alongside it instead of after it. */
export type PageAssets = { css: string; script: string; preload: string[] };

export const pageAssets = (audience: Audience): PageAssets => built[audience];
