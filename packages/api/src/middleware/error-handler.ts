import { AppError, type Logger } from '@herald/core';
import type { ErrorRequestHandler } from 'express';
import { HTTP_STATUS, type ErrorBody } from '../http-errors';
import { translateBodyError } from './json-body';

/**
 * The single error handler, registered last. 4xx errors show their message and details; a 5xx
 * shows a generic message and the request id, and is logged with its cause.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (rawErr: unknown, req, res, _next) => {
    const err = translateBodyError(rawErr);
    const requestId = res.locals.requestId as string | undefined;
    const appErr = err instanceof AppError ? err : undefined;
    const status = appErr ? HTTP_STATUS[appErr.code] : 500;
    const body: ErrorBody =
      appErr && status < 500
        ? {
            error: {
              code: appErr.code,
              message: appErr.message,
              ...(appErr.details !== undefined ? { details: appErr.details } : {}),
            },
          }
        : {
            error: {
              code: appErr?.code === 'UNAVAILABLE' ? 'UNAVAILABLE' : 'INTERNAL',
              message: messageFor5xx(status),
              requestId,
            },
          };
    if (status >= 500) {
      logger.error(
        { requestId, method: req.method, path: req.path, err: describe(err) },
        'request failed',
      );
    }
    if (status === 503) res.set('Retry-After', '2');
    if (appErr?.code === 'RATE_LIMITED') res.set('Retry-After', String(retryAfterOf(appErr)));
    if (res.headersSent) return;
    res.status(status).json(body);
  };
}

/** `RATE_LIMITED` errors carry `details: { retryAfterSeconds }`; the header is whole seconds ≥ 1. */
function retryAfterOf(err: AppError): number {
  const details = err.details as { retryAfterSeconds?: unknown } | undefined;
  const seconds = details?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds)
    ? Math.max(1, Math.ceil(seconds))
    : 1;
}

function messageFor5xx(status: number): string {
  return status === 503
    ? 'Herald cannot reach its store right now; retry with the same Idempotency-Key'
    : 'Internal error';
}

function describe(err: unknown) {
  if (err instanceof Error)
    return {
      name: err.name,
      message: err.message,
      stack: err.stack,
      cause: err.cause instanceof Error ? err.cause.message : undefined,
    };
  return { message: String(err) };
}
