import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from './args';
import type { CommandContext } from './context';

/**
 * The JSON of `--json <file|->`: a file relative to the working directory, or stdin for `-`.
 * An unreadable file or text that is not JSON is a UsageError naming the source; what the JSON
 * means is left to the API, which lists every problem.
 */
export async function readJsonInput(source: string, ctx: CommandContext): Promise<unknown> {
  let text: string;
  try {
    text =
      source === '-'
        ? await ctx.io.readStdin()
        : await readFile(resolve(ctx.config.cwd, source), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`--json: cannot read ${source} (${code})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(
      `--json: ${source === '-' ? 'stdin' : source} is not valid JSON (${String(err)})`,
    );
  }
}
