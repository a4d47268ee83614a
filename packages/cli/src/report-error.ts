import { isHeraldApiError } from '@herald/client';
import type { HeraldApiError } from '@herald/client';
import { isAppError } from '@herald/core';
import type { ErrorDetail } from '@herald/core';
import { UsageError } from './args';
import type { CliIo } from './io';

/** Exit code for a command that ran and failed. */
export const EXIT_FAILURE = 1;
/** Exit code for a malformed command line. */
export const EXIT_USAGE = 2;

/** Prints `err` for an operator and returns the exit code to use. */
export function reportError(err: unknown, io: CliIo): number {
  if (err instanceof UsageError) {
    io.err(`herald: ${err.message}`);
    io.err("Run 'herald help' for usage.");
    return EXIT_USAGE;
  }
  if (isHeraldApiError(err)) {
    reportApiError(err, io);
    return EXIT_FAILURE;
  }
  if (isAppError(err)) {
    io.err(`herald: ${err.message}`);
    return EXIT_FAILURE;
  }
  io.err(
    `herald: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  return EXIT_FAILURE;
}

function reportApiError(err: HeraldApiError, io: CliIo): void {
  io.err(`herald: the API answered ${err.status} ${err.code}: ${err.message}`);
  if (Array.isArray(err.details)) {
    for (const detail of err.details) io.err(`  ${describeDetail(detail)}`);
  } else if (err.details !== undefined) {
    io.err(`  ${JSON.stringify(err.details)}`);
  }
  if (err.requestId !== undefined) io.err(`  request id: ${err.requestId}`);
}

function describeDetail(detail: unknown): string {
  if (isErrorDetail(detail))
    return `${detail.path === '' ? '(body)' : detail.path}: ${detail.message}`;
  return JSON.stringify(detail);
}

function isErrorDetail(value: unknown): value is ErrorDetail {
  if (typeof value !== 'object' || value === null) return false;
  const { path, message } = value as Partial<Record<keyof ErrorDetail, unknown>>;
  return typeof path === 'string' && typeof message === 'string';
}
