import { AppError, CHANNELS, type ErrorDetail } from '@herald/core';
import type { z } from 'zod';

/**
 * Parses `input` with `schema`, or throws `VALIDATION_FAILED` listing every problem with its
 * path, so a client can fix all of them in one go.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError('VALIDATION_FAILED', `${what} is invalid`, {
    details: toDetails(result.error.issues),
  });
}

export function toDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.flatMap((issue): ErrorDetail[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: 'is not a known field',
      }));
    }
    if (issue.code === 'invalid_union' && issue.path.length === 0 && 'discriminator' in issue) {
      return [{ path: 'channel', message: `must be one of ${CHANNELS.join(', ')}` }];
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc === '' ? String(key) : `${acc}.${String(key)}`;
  }, '');
}
