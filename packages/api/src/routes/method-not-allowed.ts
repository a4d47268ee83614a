import { AppError } from '@herald/core';
import type { RequestHandler } from 'express';

/**
 * `405` with `Allow` for any method a route does not take. Notifications are immutable, so that
 * is the default reason; `reason` replaces it elsewhere.
 */
export function methodNotAllowed(
  allow: string,
  reason = 'notifications are immutable',
): RequestHandler {
  return (req, res) => {
    res.set('Allow', allow);
    throw new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed here; ${reason}`);
  };
}
