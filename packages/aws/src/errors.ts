import { AppError } from '@herald/core';

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TransactionInProgressException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalServerError',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
]);

const NETWORK_NAMES = new Set(['TimeoutError', 'AbortError', 'NetworkingError']);

/**
 * Translates an AWS SDK failure into an AppError. Throttling, 5xx answers, timeouts and
 * network errors (the store or queue cannot be reached right now, and a retry may succeed)
 * become `UNAVAILABLE`; anything else (a bug, a missing table, bad input) becomes `INTERNAL`.
 * An AppError passes through unchanged. The SDK error is kept as `cause`.
 */
export function toStoreError(err: unknown, operation = 'AWS call'): AppError {
  if (err instanceof AppError) return err;
  if (isTransient(err)) {
    return new AppError('UNAVAILABLE', `${operation} is unavailable`, { cause: err });
  }
  return new AppError('INTERNAL', `${operation} failed`, { cause: err });
}

/**
 * Like toStoreError, but every failure is `UNAVAILABLE`: to its callers the queue either took
 * the call or it did not, and a missing queue is an outage of the same kind.
 */
export function toQueueError(err: unknown, operation: string): AppError {
  const mapped = toStoreError(err, operation);
  return mapped.code === 'UNAVAILABLE'
    ? mapped
    : new AppError('UNAVAILABLE', `${operation} failed`, { cause: err });
}

/** True for a DynamoDB conditional write whose condition did not hold. */
export function isConditionalCheckFailed(err: unknown): boolean {
  return hasErrorName(err, 'ConditionalCheckFailedException');
}

/**
 * True when the SDK error is one of these exceptions. Compares the last segment of `name` and
 * of `Code`, because SQS's JSON protocol with query compatibility reports
 * `AWS.SimpleQueueService.QueueNameExists` where the model says `QueueNameExists`.
 */
export function hasErrorName(err: unknown, ...names: string[]): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { name, Code } = err as { name?: unknown; Code?: unknown };
  return [name, Code].some((n) => typeof n === 'string' && names.includes(lastSegment(n)));
}

function isTransient(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as {
    name?: unknown;
    code?: unknown;
    $fault?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    cause?: unknown;
  };
  if (typeof e.name === 'string') {
    const name = lastSegment(e.name);
    if (THROTTLING.has(name) || NETWORK_NAMES.has(name)) return true;
  }
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (e.$retryable !== undefined && e.$retryable !== null) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  if (e.$fault === 'server') return true;
  // Node wraps socket failures (fetch, undici) a level or two down.
  return depth < 3 && e.cause !== undefined && isTransient(e.cause, depth + 1);
}

function lastSegment(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('.'), name.lastIndexOf('#')) + 1);
}
