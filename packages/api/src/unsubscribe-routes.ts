import { AppError, createTokenBucketPacer, type Clock } from '@herald/core';
import type { Express, RequestHandler } from 'express';
import { methodNotAllowed } from './routes/method-not-allowed';
import { getUnsubscribe, postUnsubscribe, type UnsubscribeDeps } from './routes/unsubscribe';

/** Unsubscribe requests per second one api instance serves, all callers together. */
export const UNSUBSCRIBE_RATE_PER_SECOND = 20;
/** The burst of {@link UNSUBSCRIBE_RATE_PER_SECOND}. */
export const UNSUBSCRIBE_BURST = 100;

/**
 * The unsubscribe links' routes, `GET` and `POST /v1/unsubscribe/:token`. They take no bearer
 * token (the signed link is the authority, and it names the client), so they sit outside the
 * client middleware, behind one rate limit for every caller of this instance (`429` beyond), so
 * unauthenticated traffic is bounded however it is spread.
 */
export function registerUnsubscribeRoutes(app: Express, deps: UnsubscribeDeps): void {
  const limit = globalRateLimit(deps.clock);
  app.get('/v1/unsubscribe/:token', limit, getUnsubscribe(deps));
  app.post('/v1/unsubscribe/:token', limit, ...postUnsubscribe(deps));
  app.all('/v1/unsubscribe/:token', methodNotAllowed('GET, POST'));
}

function globalRateLimit(clock: Clock): RequestHandler {
  const pacer = createTokenBucketPacer(
    { all: { ratePerSecond: UNSUBSCRIBE_RATE_PER_SECOND, burst: UNSUBSCRIBE_BURST } },
    clock,
  );
  return (_req, _res, next) => {
    const waitMs = pacer.reserve('all');
    if (waitMs > 0) {
      throw new AppError('RATE_LIMITED', 'Too many unsubscribe requests; retry later', {
        details: { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) },
      });
    }
    next();
  };
}
