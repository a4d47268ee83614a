import { AppError } from '../errors';

/** How far ahead `expiresAt` may lie: beyond that it is almost certainly a unit or year mistake. */
export const MAX_EXPIRY_AHEAD_MS = 30 * 86_400_000;

/**
 * Throws `VALIDATION_FAILED` (details path `expiresAt`) unless the request's `expiresAt`, if any,
 * lies after `now` and at most 30 days ahead. The schema checks only the format, because "now"
 * must come from an injected clock: this runs in the accept path, before anything is stored.
 */
export function assertExpiryWindow(request: { expiresAt?: string | undefined }, now: Date): void {
  if (request.expiresAt === undefined) return;
  const problem = expiryProblem(Date.parse(request.expiresAt) - now.getTime());
  if (problem === undefined) return;
  throw new AppError('VALIDATION_FAILED', 'Notification is invalid', {
    details: [{ path: 'expiresAt', message: problem }],
  });
}

function expiryProblem(aheadMs: number): string | undefined {
  // The worker refuses a notification as expired once now >= expiresAt; storing one is waste.
  if (aheadMs <= 0) return 'must be in the future';
  if (aheadMs > MAX_EXPIRY_AHEAD_MS) return 'must be at most 30 days ahead';
  return undefined;
}
