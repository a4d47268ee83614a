import { AppError } from '@herald/core';
import type { Request } from 'express';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The request's `Idempotency-Key`, or `undefined` when none was sent. A key that is not 1–255
 * printable ASCII characters is `VALIDATION_FAILED` (400): the same rule for every route that
 * takes one, so a key valid on one send route is valid on all.
 */
export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Idempotency-Key must be 1-255 printable ASCII characters',
      {
        details: [
          { path: 'headers.idempotency-key', message: 'must be 1-255 printable ASCII characters' },
        ],
      },
    );
  }
  return key;
}
