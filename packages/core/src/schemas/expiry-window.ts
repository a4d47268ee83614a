import { AppError, type ErrorDetail } from '../errors';

/** How far ahead `expiresAt` may lie: beyond that it is almost certainly a unit or year mistake. */
export const MAX_EXPIRY_AHEAD_MS = 30 * 86_400_000;

/** How far ahead `sendAt` may lie (issue 14: at most 30 days). */
export const MAX_SEND_AT_AHEAD_MS = 30 * 86_400_000;

/**
 * Throws `VALIDATION_FAILED` listing every problem (details paths `expiresAt`, `sendAt`) unless
 * the request's `expiresAt`, if any, lies after `now` and at most 30 days ahead, and its `sendAt`,
 * if any, lies after `now`, at most 30 days ahead and not after `expiresAt`. The schema checks only
 * the format, because "now" must come from an injected clock: this runs in the accept path,
 * before anything is stored.
 */
export function assertExpiryWindow(
  request: { expiresAt?: string | undefined; sendAt?: string | undefined },
  now: Date,
): void {
  const details: ErrorDetail[] = [];
  if (request.expiresAt !== undefined) {
    const problem = windowProblem(Date.parse(request.expiresAt) - now.getTime());
    if (problem !== undefined) details.push({ path: 'expiresAt', message: problem });
  }
  if (request.sendAt !== undefined) {
    const sendAt = Date.parse(request.sendAt);
    const problem = windowProblem(sendAt - now.getTime());
    if (problem !== undefined) details.push({ path: 'sendAt', message: problem });
    // Sent at expiresAt or later would only ever be refused as expired.
    if (request.expiresAt !== undefined && sendAt >= Date.parse(request.expiresAt)) {
      details.push({ path: 'sendAt', message: 'must be before expiresAt' });
    }
  }
  if (details.length === 0) return;
  throw new AppError('VALIDATION_FAILED', 'Notification is invalid', { details });
}

function windowProblem(aheadMs: number): string | undefined {
  // The worker refuses a notification as expired once now >= expiresAt; storing one is waste.
  if (aheadMs <= 0) return 'must be in the future';
  if (aheadMs > MAX_EXPIRY_AHEAD_MS) return 'must be at most 30 days ahead';
  return undefined;
}
