import { isAppError } from '@herald/core';

/** A mistake in the command line itself: the CLI prints it with a usage hint and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Runs `parse` (a `parseArgs` call or an argument-value parser such as `parseTtl`) and turns its
 * complaints into a UsageError: `parseArgs` errors carry `ERR_PARSE_ARGS_*` codes, value parsers
 * throw AppError `VALIDATION_FAILED`. Anything else propagates unchanged.
 */
export function parseOrUsage<R>(parse: () => R): R {
  try {
    return parse();
  } catch (err) {
    if (isParseArgsError(err) || (isAppError(err) && err.code === 'VALIDATION_FAILED')) {
      throw new UsageError(err.message);
    }
    throw err;
  }
}

/**
 * The entry of `table` named `name`, for commands with subcommands (`keys generate`). Throws a
 * UsageError naming `group` when `name` is missing or unknown.
 */
export function pickSubcommand<C>(
  group: string,
  table: ReadonlyMap<string, C>,
  name: string | undefined,
): C {
  if (name === undefined) throw new UsageError(`${group} needs a subcommand`);
  const picked = table.get(name);
  if (picked === undefined) throw new UsageError(`unknown ${group} subcommand '${name}'`);
  return picked;
}

/** The single positional argument a command takes, named `name` in the error. */
export function onePositional(positionals: readonly string[], name: string): string {
  const [first, ...rest] = positionals;
  if (first === undefined || first === '') throw new UsageError(`missing <${name}>`);
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  return first;
}

/** Fails when a command that takes no positional arguments got some. */
export function noPositionals(positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
}

/** Parses a whole number within bounds, for options such as `--limit`. */
export function parseIntegerOption(
  value: string,
  option: string,
  min: number,
  max: number,
): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`${option} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

// Duck-typed: node:util's errors come from another realm under jest, so instanceof would lie.
function isParseArgsError(err: unknown): err is { code: string; message: string } {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return (
    typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_') && typeof message === 'string'
  );
}
