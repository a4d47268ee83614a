import type { ErrorCode } from '@herald/core';

/**
 * What `HeraldApiError.code` can hold: a server {@link ErrorCode}, or one the client falls back to
 * when the body is not Herald's error shape (a proxy's HTML page, an empty `304`):
 * `NOT_MODIFIED` (304), `RATE_LIMITED` (429), `UNAVAILABLE` (503), `INVALID_RESPONSE` (a success
 * whose body is not JSON) and `HTTP_ERROR` (anything else). Open-ended, so a code added to the
 * server later still type-checks; branch on the known ones.
 */
export type HeraldErrorCode =
  | ErrorCode
  | 'NOT_MODIFIED'
  | 'RATE_LIMITED'
  | 'INVALID_RESPONSE'
  | 'HTTP_ERROR'
  | (string & Record<never, never>);

/** The fields of a {@link HeraldApiError}. */
export interface HeraldApiErrorInit {
  status: number;
  code: HeraldErrorCode;
  message: string;
  details?: unknown;
  requestId?: string;
  retryAfterSeconds?: number;
}

/**
 * Herald answered, but not with success: every non-2xx response (and a 2xx whose body is not
 * JSON) becomes one of these. Branch on `code` (or `status`), never on `message`. Network
 * failures, timeouts and aborts are not wrapped: they reject with `fetch`'s own errors.
 */
export class HeraldApiError extends Error {
  /** The HTTP status, e.g. `400`. */
  readonly status: number;
  /** The server's `error.code`, or a fallback (see {@link HeraldErrorCode}). */
  readonly code: HeraldErrorCode;
  /** The server's `error.details` (validation issues), or the start of a non-JSON body. */
  readonly details?: unknown;
  /** The `X-Request-Id` of the failed request: quote it when reporting a 5xx. */
  readonly requestId?: string;
  /** From `Retry-After` on a `429` or `503`: wait this long before retrying. */
  readonly retryAfterSeconds?: number;

  constructor(init: HeraldApiErrorInit, options?: ErrorOptions) {
    super(init.message, options);
    this.name = 'HeraldApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** True when `err` is a {@link HeraldApiError}. Never throws. */
export function isHeraldApiError(err: unknown): err is HeraldApiError {
  return err instanceof HeraldApiError;
}

const FALLBACK_CODES: Partial<Record<number, HeraldErrorCode>> = {
  304: 'NOT_MODIFIED',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};
const MAX_DETAIL_CHARS = 500;

/** Builds the error for a non-2xx answer from its status, headers and raw body text. */
export function errorFromResponse(
  status: number,
  statusText: string,
  headers: Headers,
  bodyText: string,
): HeraldApiError {
  const shaped = parseErrorShape(bodyText);
  const requestId = headers.get('x-request-id') ?? shaped?.requestId;
  const retryAfterSeconds =
    status === 429 || status === 503 ? parseRetryAfter(headers.get('retry-after')) : undefined;
  const common = { status, requestId, retryAfterSeconds };
  if (shaped) return new HeraldApiError({ ...common, ...shaped });
  const text = bodyText.trim();
  return new HeraldApiError({
    ...common,
    code: FALLBACK_CODES[status] ?? 'HTTP_ERROR',
    message: `HTTP ${status}${statusText ? ` ${statusText}` : ''}`,
    details: text ? { body: text.slice(0, MAX_DETAIL_CHARS) } : undefined,
  });
}

/** `Retry-After` is either delay-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function parseErrorShape(
  bodyText: string,
): { code: string; message: string; details?: unknown; requestId?: string } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const { code, message, details, requestId } = body.error;
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  return {
    code,
    message,
    ...(details !== undefined ? { details } : {}),
    ...(typeof requestId === 'string' ? { requestId } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
