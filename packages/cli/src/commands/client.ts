import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { assertClientId } from '@herald/auth';
import { AppError } from '@herald/core';
import { deriveClientSecret } from '@herald/guards';
import { noPositionals, parseOrUsage, pickSubcommand, UsageError } from '../args';
import type { Command, CommandContext } from '../context';
import { setClient, showClient } from './client-settings';

/**
 * `herald client secret|set|show`: a client's callback secret (below) and its settings (see
 * client-settings.ts).
 */
export const clientCommand: Command = ([sub, ...rest], ctx) =>
  pickSubcommand('client', SUBCOMMANDS, sub)(rest, ctx);

/**
 * `herald client secret --client <id>`: prints the secret a client uses to verify the
 * `Herald-Signature` header on its callbacks. Derived from HERALD_CALLBACK_SECRET, so nothing
 * per client is stored and every worker signs with the same secret.
 */
async function secret(args: string[], ctx: CommandContext): Promise<void> {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { client: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  noPositionals(positionals);
  if (values.client === undefined) throw new UsageError('client secret needs --client <id>');
  assertClientId(values.client);
  ctx.io.out(deriveClientSecret(await masterSecret(ctx), values.client));
}

async function masterSecret(ctx: CommandContext): Promise<string> {
  const { value, path } = ctx.config.callbackSecret;
  if (value !== undefined) return value;
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    throw new AppError(
      'CONFIG_INVALID',
      `no callback secret: set HERALD_CALLBACK_SECRET, or start the local stack (it writes ${path})`,
    );
  }
}

const SUBCOMMANDS: ReadonlyMap<string, Command> = new Map([
  ['secret', secret],
  ['set', setClient],
  ['show', showClient],
]);
