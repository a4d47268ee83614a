import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { keyFilePaths, listKeys, retireKey, writeNewSigningKey } from '@herald/auth';
import { noPositionals, onePositional, parseOrUsage, pickSubcommand } from '../args';
import type { Command, CommandContext } from '../context';

const DIR_OPTION = { dir: { type: 'string' } } as const;

/**
 * `herald keys generate|list|retire`: manages the signing keys in the keys directory
 * (`--dir`, default from the configuration). Generating rotates: old public keys stay trusted.
 */
export const keysCommand: Command = ([sub, ...rest], ctx) =>
  pickSubcommand('keys', SUBCOMMANDS, sub)(rest, ctx);

function parseDir(args: string[], ctx: CommandContext) {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({ args, options: DIR_OPTION, allowPositionals: true, strict: true }),
  );
  const dir = values.dir === undefined ? ctx.config.keysDir : resolve(ctx.config.cwd, values.dir);
  return { dir, positionals };
}

async function generate(args: string[], ctx: CommandContext): Promise<void> {
  const { dir, positionals } = parseDir(args, ctx);
  noPositionals(positionals);
  const kid = await writeNewSigningKey(dir);
  const paths = keyFilePaths(dir);
  ctx.io.out(`kid ${kid}`);
  ctx.io.out(`jwks ${paths.jwks}`);
  ctx.io.err(
    `The new key is active: tokens issued from now on are signed with it. Make sure the api ` +
      `trusts ${paths.jwks} (HERALD_JWKS); it re-reads it on the first token with the new kid.`,
  );
}

async function list(args: string[], ctx: CommandContext): Promise<void> {
  const { dir, positionals } = parseDir(args, ctx);
  noPositionals(positionals);
  const keys = await listKeys(dir);
  if (keys.length === 0) {
    ctx.io.err(`no keys in ${dir}; create one with 'herald keys generate'`);
    return;
  }
  for (const key of keys) ctx.io.out(key.active ? `${key.kid} active` : key.kid);
}

async function retire(args: string[], ctx: CommandContext): Promise<void> {
  // A kid is a base64url thumbprint and may start with "-": take it before parsing options.
  const first = args[0];
  const kidFirst = first !== undefined && first !== '--' && !first.startsWith('--dir');
  const { dir, positionals } = parseDir(kidFirst ? args.slice(1) : args, ctx);
  const kid = kidFirst ? (noPositionals(positionals), first) : onePositional(positionals, 'kid');
  await retireKey(dir, kid);
  ctx.io.out(`retired ${kid}`);
  ctx.io.err(
    'Tokens signed with it are rejected once the api re-reads its JWKS (HERALD_JWKS_REFRESH_MS, 60 s).',
  );
}

const SUBCOMMANDS: ReadonlyMap<string, Command> = new Map([
  ['generate', generate],
  ['list', list],
  ['retire', retire],
]);
