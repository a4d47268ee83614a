import { parseArgs } from 'node:util';
import { callApi } from '../api-client';
import { onePositional, parseOrUsage } from '../args';
import type { Command } from '../context';

/**
 * `herald cancel <id>`: cancels a notification whose send has not started and prints its view
 * (now Refused, `cancelled`). A started or final one is the api's `409`, an unknown one its `404`
 * (exit 1, like any api error).
 */
export const cancelCommand: Command = async (args, ctx) => {
  const { positionals } = parseOrUsage(() =>
    parseArgs({ args, options: {}, allowPositionals: true, strict: true }),
  );
  const id = onePositional(positionals, 'id');
  const view = await callApi(ctx, (client) => client.cancelNotification(id));
  ctx.io.out(JSON.stringify(view, null, 2));
};
