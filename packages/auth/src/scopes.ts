import { AppError } from '@herald/core';

/**
 * Every scope a client token can carry. A route names the one it needs: sending and reading
 * notifications, and managing (`audience:write`) or reading (`audience:read`) recipients and
 * their devices.
 */
export const SCOPES = [
  'notifications:send',
  'notifications:read',
  'audience:read',
  'audience:write',
] as const;

/** One of {@link SCOPES}. */
export type Scope = (typeof SCOPES)[number];

/** True when `value` is a scope Herald knows. */
export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/**
 * Parses a comma-separated scope list (`'notifications:send,notifications:read'`), trimming
 * blanks and dropping duplicates. Throws AppError `VALIDATION_FAILED` for an unknown scope or an
 * empty list, so a typo never issues a token that silently lacks a permission.
 */
export function parseScopes(input: string): Scope[] {
  const parts = input
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) {
    throw new AppError('VALIDATION_FAILED', `no scope given; known scopes: ${SCOPES.join(', ')}`);
  }
  const unknown = parts.filter((s) => !isScope(s));
  if (unknown.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `unknown scope ${unknown.join(', ')}; known scopes: ${SCOPES.join(', ')}`,
    );
  }
  return [...new Set(parts.filter(isScope))];
}
