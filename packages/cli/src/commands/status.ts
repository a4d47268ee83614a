import { parseArgs } from 'node:util';
import { callApi } from '../api-client';
import { onePositional, parseIntegerOption, parseOrUsage } from '../args';
import type { Command } from '../context';

/** The longest `--wait` accepted: an hour is plenty for an operator watching one notification. */
const MAX_WAIT_SECONDS = 3600;

/**
 * `herald status <id> [--wait <seconds>]`: prints the notification's view. With `--wait` it waits
 * until the notification is Delivered or Refused, and prints the last view (possibly still
 * Pending) when the time runs out.
 */
export const statusCommand: Command = async (args, ctx) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { wait: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  const id = onePositional(positionals, 'id');
  const waitSeconds =
    values.wait === undefined
      ? undefined
      : parseIntegerOption(values.wait, '--wait', 1, MAX_WAIT_SECONDS);
  const view = await callApi(ctx, (client) =>
    waitSeconds === undefined
      ? client.getNotificationStatus(id)
      : client.waitForStatus(id, { timeoutMs: waitSeconds * 1000 }),
  );
  ctx.io.out(JSON.stringify(view, null, 2));
};
