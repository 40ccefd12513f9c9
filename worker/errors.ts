import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Error codes the HTTP API answers with, in `{"error": CODE, "message": TEXT}`. */
export type ApiErrorCode =
  | "bad-room"
  | "upgrade-required"
  | "forbidden-origin"
  | "too-many-joins"
  | "too-many-requests"
  | "not-found"
  | "internal";

/** An HTTP error whose body is the API's JSON error shape. */
export class ApiError extends HTTPException {
  constructor(status: ContentfulStatusCode, code: ApiErrorCode, message: string, headers?: HeadersInit) {
    super(status, { res: errorResponse(status, code, message, headers), message });
  }
}

export function errorResponse(
  status: ContentfulStatusCode,
  code: ApiErrorCode,
  message: string,
  headers?: HeadersInit,
): Response {
  return Response.json({ error: code, message }, { status, ...(headers ? { headers } : {}) });
}
