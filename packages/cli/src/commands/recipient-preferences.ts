import { parseArgs } from 'node:util';
import type { RecipientPreferences } from '@herald/core';
import { callApi } from '../api-client';
import { onePositional, parseOrUsage, pickSubcommand, UsageError } from '../args';
import type { Command } from '../context';
import { readJsonInput } from '../json-input';
import { noOptions, printVersioned } from './recipient-output';

/** `preferences get <id>`: the preferences as JSON (`{}` when none), their ETag on stderr. */
const getPreferences: Command = async (args, ctx) => {
  const id = onePositional(noOptions(args), 'id');
  const read = await callApi(ctx, (client) => client.getPreferences(id));
  printVersioned(ctx, read.value, read.etag);
};

/** `preferences put <id> --json file|- [--if-match ETAG]`: replaces them all. */
const putPreferences: Command = async (args, ctx) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { json: { type: 'string' }, 'if-match': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  const id = onePositional(positionals, 'id');
  if (values.json === undefined) throw new UsageError('preferences put needs --json <file|->');
  // The API validates them and lists every problem.
  const preferences = (await readJsonInput(values.json, ctx)) as RecipientPreferences;
  const ifMatch = values['if-match'];
  const written = await callApi(ctx, (client) =>
    client.putPreferences(id, preferences, ifMatch === undefined ? {} : { ifMatch }),
  );
  printVersioned(ctx, written.value, written.etag);
};

const SUBCOMMANDS: ReadonlyMap<string, Command> = new Map([
  ['get', getPreferences],
  ['put', putPreferences],
]);

/** `herald recipients preferences get|put …`. */
export const preferencesCommand: Command = (args, ctx) => {
  const [name, ...rest] = args;
  return pickSubcommand('recipients preferences', SUBCOMMANDS, name)(rest, ctx);
};
