import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderConfigReference, writeConfigReferenceSection } from '@herald/config';
import { noPositionals, parseOrUsage } from '../args';
import type { CliIo } from '../io';

/** What `herald config` needs: it runs without the CLI's own configuration, so it works even when that is wrong. */
export interface ConfigCommandContext {
  io: CliIo;
  cwd: string;
}

/**
 * `herald config [--write-readme]`: the configuration reference, every variable of every
 * deployable generated from their schemas, as a markdown table; with `--write-readme`, rewrites
 * the table between the config-reference markers of `./README.md` instead (`pnpm
 * config:reference`). Throws AppError `CONFIG_INVALID` when the README has no markers.
 */
export async function configCommand(args: string[], ctx: ConfigCommandContext): Promise<void> {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { 'write-readme': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  noPositionals(positionals);
  const table = renderConfigReference();
  if (values['write-readme'] !== true) {
    ctx.io.out(table);
    return;
  }
  const path = resolve(ctx.cwd, 'README.md');
  const readme = await readFile(path, 'utf8');
  const updated = writeConfigReferenceSection(readme, table);
  if (updated === readme) {
    ctx.io.out(`${path}: the configuration reference is up to date`);
    return;
  }
  await writeFile(path, updated);
  ctx.io.out(`${path}: the configuration reference was rewritten`);
}
