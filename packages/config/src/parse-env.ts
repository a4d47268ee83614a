import { AppError } from '@herald/core';
import { z } from 'zod';

/** An integer from an environment string, between `min` and `max`, with a default. */
export const intFromEnv = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** `true` or `false`, as a string (the deployables compare with `'true'`). */
export const flagFromEnv = (fallback: 'true' | 'false') =>
  z.enum(['true', 'false']).default(fallback);

/** pino's levels. */
export const logLevelSchema = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info')
  .describe('pino level; logs never contain bodies, addresses or tokens');

/**
 * Parses a deployable's environment once with its schema, listing every problem at once.
 * Throws AppError `CONFIG_INVALID` naming each variable that is wrong.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv,
  label: string,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new AppError(
      'CONFIG_INVALID',
      `Invalid ${label} configuration:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}
