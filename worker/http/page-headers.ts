// Headers for the site's HTML. The room page asks for the camera and the
// microphone, so who may frame it is a security decision: only the site
// itself and the operator's EMBED_ORIGINS (the iframe API, docs/client.md).
// Browsers enforce frame-ancestors; an embedder not listed gets a blocked
// frame, never a page that can be clicked through.
import type { Config } from "../config";

export function frameAncestors(config: Config): string {
  return ["frame-ancestors", "'self'", ...config.origins.embedders].join(" ");
}

/** The response with the page's own headers added when it is HTML; anything else as it is. */
export function withPageHeaders(response: Response, config: Config): Response {
  if (!response.headers.get("content-type")?.startsWith("text/html")) return response;
  const page = new Response(response.body, response);
  page.headers.set("Content-Security-Policy", frameAncestors(config));
  return page;
}
