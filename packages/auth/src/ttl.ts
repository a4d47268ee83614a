import { AppError } from '@herald/core';

/** The shortest token lifetime `parseTtl` accepts: 1 minute. */
export const MIN_TTL_SECONDS = 60;

/** The longest token lifetime `parseTtl` accepts: 400 days. Revocations must outlive it. */
export const MAX_TTL_SECONDS = 400 * 24 * 60 * 60;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/**
 * Parses a token lifetime: `'30d'`, `'12h'`, `'15m'`, `'3600s'` or bare seconds (`'3600'`).
 * Returns seconds. Throws AppError `VALIDATION_FAILED` for any other shape or a value outside
 * {@link MIN_TTL_SECONDS}..{@link MAX_TTL_SECONDS}.
 */
export function parseTtl(input: string): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(input.trim());
  if (match === null) {
    throw new AppError(
      'VALIDATION_FAILED',
      `invalid ttl '${input}': use a number followed by s, m, h or d (e.g. 30d, 12h, 15m, 3600s)`,
    );
  }
  const [, amount = '', unit = ''] = match;
  const seconds =
    Number(amount) * (unit === '' ? 1 : UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS]);
  assertTtlInRange(seconds);
  return seconds;
}

/** Throws AppError `VALIDATION_FAILED` unless `seconds` is a whole number within the bounds. */
export function assertTtlInRange(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < MIN_TTL_SECONDS || seconds > MAX_TTL_SECONDS) {
    throw new AppError(
      'VALIDATION_FAILED',
      `ttl must be between 1 minute and 400 days (${MIN_TTL_SECONDS}..${MAX_TTL_SECONDS} seconds)`,
    );
  }
}
