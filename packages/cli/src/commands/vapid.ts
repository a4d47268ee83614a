import { parseArgs } from 'node:util';
import { generateVapidKeys } from '@herald/providers';
import { noPositionals, parseOrUsage, pickSubcommand } from '../args';
import type { Command, CommandContext } from '../context';

/**
 * `herald vapid generate [--json]`: a new VAPID key pair for web push, printed as the worker's
 * environment lines (or JSON). Browsers subscribe with the public key (`applicationServerKey`);
 * keep the private key secret: whoever has it can push to every subscription made with it.
 */
export const vapidCommand: Command = ([sub, ...rest], ctx) =>
  pickSubcommand('vapid', SUBCOMMANDS, sub)(rest, ctx);

function generate(args: string[], ctx: CommandContext): Promise<void> {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  noPositionals(positionals);
  const keys = generateVapidKeys();
  if (values.json === true) ctx.io.out(JSON.stringify(keys));
  else ctx.io.out(`VAPID_PUBLIC_KEY=${keys.publicKey}\nVAPID_PRIVATE_KEY=${keys.privateKey}`);
  return Promise.resolve();
}

const SUBCOMMANDS: ReadonlyMap<string, Command> = new Map([['generate', generate]]);
