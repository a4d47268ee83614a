import { AppError } from '@herald/core';
import type { RequestHandler } from 'express';

/** Notifications are immutable: writes other than POST to the collection get `405` with `Allow`. */
export function methodNotAllowed(allow: string): RequestHandler {
  return (req, res) => {
    res.set('Allow', allow);
    throw new AppError(
      'METHOD_NOT_ALLOWED',
      `${req.method} is not allowed here; notifications are immutable`,
    );
  };
}
