import { parseArgs } from 'node:util';
import type { NotificationStatus } from '@herald/core';
import { callApi } from '../api-client';
import { noPositionals, parseIntegerOption, parseOrUsage, UsageError } from '../args';
import type { Command } from '../context';

const STATUSES: readonly NotificationStatus[] = ['Pending', 'Refused', 'Delivered'];

const LIST_OPTIONS = {
  status: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
} as const;

/**
 * `herald list [--status S] [--limit N] [--cursor C]`: prints one page of the caller's own
 * notifications, newest first, as `{ items, nextCursor? }`.
 */
export const listCommand: Command = async (args, ctx) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({ args, options: LIST_OPTIONS, allowPositionals: true, strict: true }),
  );
  noPositionals(positionals);
  const status = values.status === undefined ? undefined : parseStatus(values.status);
  const limit =
    values.limit === undefined ? undefined : parseIntegerOption(values.limit, '--limit', 1, 100);
  const page = await callApi(ctx, (client) =>
    client.listNotifications({ status, limit, cursor: values.cursor }),
  );
  ctx.io.out(JSON.stringify(page, null, 2));
};

function parseStatus(value: string): NotificationStatus {
  const status = STATUSES.find((s) => s.toLowerCase() === value.toLowerCase());
  if (status === undefined) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  return status;
}
