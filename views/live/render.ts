import type { JSX } from "hono/jsx/jsx-runtime";

/** Renders a synchronous JSX fragment to the HTML string a Durable Object sends over a socket. */
export const toHtml = (node: JSX.Element): string => node.toString() as string;
