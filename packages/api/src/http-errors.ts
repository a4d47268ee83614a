import type { ErrorCode } from '@herald/core';

/** The one place error codes become HTTP statuses. A new code without a status fails to compile. */
export const HTTP_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_MISMATCH: 422,
  NO_ADDRESS: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  PROVIDER_FAILED: 502,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

/** The shared error body: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}
