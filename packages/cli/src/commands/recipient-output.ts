import { parseArgs } from 'node:util';
import { parseOrUsage } from '../args';
import type { CommandContext } from '../context';

/** Prints a versioned value as JSON on stdout and its ETag on stderr (for `--if-match`). */
export function printVersioned(ctx: CommandContext, value: unknown, etag: string): void {
  ctx.io.out(JSON.stringify(value, null, 2));
  if (etag !== '') ctx.io.err(`ETag: ${etag}`);
}

/** The positionals of a subcommand that takes no options. */
export function noOptions(args: readonly string[]): string[] {
  return parseOrUsage(() =>
    parseArgs({ args: [...args], options: {}, allowPositionals: true, strict: true }),
  ).positionals;
}
