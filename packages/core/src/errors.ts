import type { RefusalCode } from './refusal-code';

/**
 * Every failure Herald reports carries one of these codes. Callers branch on `code`, never on
 * message text. The HTTP mapping lives in `@herald/api` only.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'IDEMPOTENCY_MISMATCH'
  /** A send naming a recipient that has no address (or no device) for the channel. */
  | 'NO_ADDRESS'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'PROVIDER_FAILED'
  | 'CONFIG_INVALID'
  | 'INTERNAL';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly details?: unknown;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions & { details?: unknown },
  ) {
    super(message, options);
    this.name = this.constructor.name;
    this.details = options?.details;
  }
}

/**
 * Thrown by a provider adapter. `retryable` says whether the same message may succeed later
 * (SMTP 4xx, timeouts) or never will (SMTP 5xx, invalid recipient). `reasonCode` becomes the
 * notification's `reason.code` when it ends `Refused`.
 */
export class ProviderError extends AppError {
  constructor(
    readonly provider: string,
    readonly retryable: boolean,
    message: string,
    options?: ErrorOptions & {
      reasonCode?: RefusalCode;
      providerCode?: string;
      deadTarget?: boolean;
      retryAfterMs?: number;
    },
  ) {
    super('PROVIDER_FAILED', message, options);
    this.reasonCode = options?.reasonCode ?? 'provider_rejected';
    this.providerCode = options?.providerCode;
    this.deadTarget = options?.deadTarget ?? false;
    this.retryAfterMs = options?.retryAfterMs;
  }
  readonly reasonCode: RefusalCode;
  readonly providerCode?: string;
  /**
   * The target can never receive again (web push 404/410, SNS EndpointDisabled): later
   * notifications to it are refused at once, without calling the provider.
   */
  readonly deadTarget: boolean;
  /**
   * The provider asked not to be called again before this many ms (`Retry-After`, Slack's
   * `ratelimited`): a retry waits at least this long (capped by the retry policy's maximum).
   */
  readonly retryAfterMs: number | undefined;
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
