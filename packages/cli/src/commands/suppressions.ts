import { parseArgs } from 'node:util';
import { callApi } from '../api-client';
import { noPositionals, onePositional, parseOrUsage, pickSubcommand } from '../args';
import type { Command } from '../context';
import { noOptions } from './recipient-output';

/** `herald suppressions list [--cursor C]`: one page of the list as JSON (`{ items, nextCursor? }`). */
const listSuppressions: Command = async (args, ctx) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { cursor: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  noPositionals(positionals);
  const page = await callApi(ctx, (client) =>
    client.listSuppressions(values.cursor === undefined ? {} : { cursor: values.cursor }),
  );
  ctx.io.out(JSON.stringify(page, null, 2));
};

/** `herald suppressions delete <address>`: lifts one entry (the api's 404 when there is none). */
const deleteSuppression: Command = async (args, ctx) => {
  const address = onePositional(noOptions(args), 'address');
  await callApi(ctx, (client) => client.deleteSuppression(address));
  ctx.io.err(`lifted ${address}`);
};

const SUBCOMMANDS: ReadonlyMap<string, Command> = new Map([
  ['list', listSuppressions],
  ['delete', deleteSuppression],
]);

/**
 * `herald suppressions list|delete …`: the client's suppression list through the API
 * (HERALD_API_URL, HERALD_TOKEN with `audience:read` / `audience:write`).
 */
export const suppressionsCommand: Command = (args, ctx) => {
  const [name, ...rest] = args;
  return pickSubcommand('suppressions', SUBCOMMANDS, name)(rest, ctx);
};
