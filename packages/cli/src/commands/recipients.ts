import { parseArgs } from 'node:util';
import type { RecipientProfile } from '@herald/core';
import { callApi } from '../api-client';
import { onePositional, parseOrUsage, pickSubcommand, UsageError } from '../args';
import type { Command, CommandContext } from '../context';
import { noOptions, printVersioned } from './recipient-output';
import { readJsonInput } from '../json-input';
import { devicesCommand } from './recipient-devices';
import { preferencesCommand } from './recipient-preferences';

const PROFILE_FLAGS = ['email', 'phone', 'whatsapp', 'name', 'locale', 'timezone'] as const;

const PUT_OPTIONS = {
  ...Object.fromEntries(PROFILE_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
  json: { type: 'string' },
  'if-match': { type: 'string' },
} as const;

/**
 * `herald recipients put <id> [--email …] [--phone …] [--whatsapp …] [--name …] [--locale …]
 * [--timezone …] [--json file|-] [--if-match ETAG]`: creates or replaces the profile (the flags,
 * or a whole profile as JSON, not both) and prints it; its ETag goes to stderr. The API checks
 * the profile and lists every problem.
 */
const putRecipient: Command = async (args, ctx) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({ args, options: PUT_OPTIONS, allowPositionals: true, strict: true }),
  );
  const id = onePositional(positionals, 'id');
  const profile = await profileOf(values, ctx);
  const ifMatch = values['if-match'];
  const written = await callApi(ctx, (client) =>
    client.putRecipient(id, profile, ifMatch === undefined ? {} : { ifMatch }),
  );
  printVersioned(ctx, written.value, written.etag);
};

const getRecipient: Command = async (args, ctx) => {
  const id = onePositional(noOptions(args), 'id');
  const read = await callApi(ctx, (client) => client.getRecipient(id));
  printVersioned(ctx, read.value, read.etag);
};

const deleteRecipient: Command = async (args, ctx) => {
  const id = onePositional(noOptions(args), 'id');
  await callApi(ctx, (client) => client.deleteRecipient(id));
  ctx.io.err(`deleted recipient ${id}`);
};

const SUBCOMMANDS: ReadonlyMap<string, Command> = new Map([
  ['put', putRecipient],
  ['get', getRecipient],
  ['delete', deleteRecipient],
  ['devices', devicesCommand],
  ['preferences', preferencesCommand],
]);

/**
 * `herald recipients put|get|delete|devices|preferences …`: a client's recipients through the
 * API (HERALD_API_URL, HERALD_TOKEN with the audience scopes). Results go to stdout as JSON.
 */
export const recipientsCommand: Command = (args, ctx) => {
  const [name, ...rest] = args;
  return pickSubcommand('recipients', SUBCOMMANDS, name)(rest, ctx);
};

async function profileOf(
  values: Partial<Record<(typeof PROFILE_FLAGS)[number] | 'json', string | undefined>>,
  ctx: CommandContext,
): Promise<RecipientProfile> {
  const given = PROFILE_FLAGS.filter((flag) => values[flag] !== undefined);
  if (values.json !== undefined) {
    if (given[0] !== undefined)
      throw new UsageError(`use either --json or --${given[0]}, not both`);
    // The API validates the profile and lists every problem; the CLI does not second-guess it.
    return (await readJsonInput(values.json, ctx)) as RecipientProfile;
  }
  return Object.fromEntries(given.map((flag) => [flag, values[flag]]));
}
