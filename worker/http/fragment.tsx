import type { Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import { RequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../app-env";

/**
 * An htmx fragment (no doctype, no layout) that may read the request like a page does:
 * `c.html` alone renders without it, and a view using `useRequestContext` (CsrfField) throws.
 */
export const fragment = <E extends AppEnv>(c: Context<E>, node: JSX.Element) => c.html(<RequestContext.Provider value={c}>{node}</RequestContext.Provider>);
