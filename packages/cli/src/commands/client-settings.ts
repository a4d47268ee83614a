import { parseArgs } from 'node:util';
import type { ClientSettingsChange, ClientSettingsStore } from '@herald/aws';
import { assertClientId } from '@herald/auth';
import { AppError, notificationRequestSchema, type ClientLimitOverrides } from '@herald/core';
import { onePositional, parseIntegerOption, parseOrUsage, UsageError } from '../args';
import type { CommandContext } from '../context';

/** The largest limit the CLI takes: far above any sane rate, low enough to catch a typo. */
const MAX_LIMIT = 1_000_000;

/** `--flag` → the override it sets. */
const LIMIT_FLAGS = {
  'send-rate': 'sendPerSecond',
  'send-burst': 'sendBurst',
  'read-rate': 'readPerSecond',
  'read-burst': 'readBurst',
  'long-polls': 'longPolls',
  'recipient-cap': 'recipientCap',
} as const satisfies Record<string, keyof ClientLimitOverrides>;

type LimitFlag = keyof typeof LIMIT_FLAGS;

const SET_OPTIONS = {
  'allow-slack-webhooks': { type: 'string' },
  ...Object.fromEntries(Object.keys(LIMIT_FLAGS).map((flag) => [flag, { type: 'string' }])),
} as const;

/**
 * `herald client set <id> [--allow-slack-webhooks a,b] [--send-rate N] …`: changes the options
 * given and keeps the rest. A limit of `default` drops the override; an empty webhook list allows
 * none. Prints the resulting settings as JSON. The api and worker see them within 30 s.
 */
export async function setClient(args: string[], ctx: CommandContext): Promise<void> {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({ args, options: SET_OPTIONS, allowPositionals: true, strict: true }),
  );
  const clientId = clientIdOf(positionals);
  const change = changeOf(values);
  const settings = await withStore(ctx, (store) => store.set(clientId, change));
  ctx.io.out(JSON.stringify(settings, null, 2));
}

/**
 * `herald client show <id>`: prints the client's settings as JSON; a client never configured
 * shows the defaults (no webhooks, no overrides) at version 0.
 */
export async function showClient(args: string[], ctx: CommandContext): Promise<void> {
  const { positionals } = parseOrUsage(() =>
    parseArgs({ args, options: {}, allowPositionals: true, strict: true }),
  );
  const clientId = clientIdOf(positionals);
  const settings = await withStore(ctx, (store) => store.get(clientId));
  const shown = settings ?? { clientId, allowedSlackWebhooks: [], limits: {}, version: 0 };
  ctx.io.out(JSON.stringify(shown, null, 2));
}

function clientIdOf(positionals: string[]): string {
  const clientId = onePositional(positionals, 'client id');
  parseOrUsage(() => assertClientId(clientId));
  return clientId;
}

function changeOf(values: Record<string, string | undefined>): ClientSettingsChange {
  const change: ClientSettingsChange = {};
  const webhooks = values['allow-slack-webhooks'];
  if (webhooks !== undefined) change.allowedSlackWebhooks = webhookNames(webhooks);
  const limits: ClientLimitOverrides = {};
  let anyLimit = false;
  for (const [flag, key] of Object.entries(LIMIT_FLAGS) as [
    LimitFlag,
    keyof ClientLimitOverrides,
  ][]) {
    const value = values[flag];
    if (value === undefined) continue;
    anyLimit = true;
    limits[key] =
      value === 'default' ? undefined : parseIntegerOption(value, `--${flag}`, 1, MAX_LIMIT);
  }
  if (anyLimit) change.limits = limits;
  if (webhooks === undefined && !anyLimit) {
    throw new UsageError('client set needs at least one option (see herald help)');
  }
  return change;
}

/** Comma-separated names as `to.webhook` takes them; an empty string is the empty list. */
function webhookNames(list: string): string[] {
  if (list === '') return [];
  const names = list.split(',');
  for (const name of names) {
    // The notification schema is the one definition of a valid name.
    const probe = { channel: 'slack', to: { webhook: name }, text: 'x' };
    if (!notificationRequestSchema.safeParse(probe).success) {
      throw new UsageError(
        `--allow-slack-webhooks: '${name}' is not a webhook name (a-z, 0-9, "_", "-"; up to 64)`,
      );
    }
  }
  return names;
}

async function withStore<R>(
  ctx: CommandContext,
  use: (store: ClientSettingsStore) => Promise<R>,
): Promise<R> {
  const handle = ctx.services.openClientSettingsStore(ctx.config.aws);
  try {
    return await use(handle.store);
  } catch (err) {
    // Only an unreachable store is reported with where it was looked for.
    if (err instanceof AppError && err.code !== 'UNAVAILABLE') throw err;
    const { aws } = ctx.config;
    const where = aws.dynamodbEndpoint ?? `AWS region ${aws.region}`;
    const message = err instanceof Error ? err.message : String(err);
    throw new AppError(
      'UNAVAILABLE',
      `cannot reach the client settings (${where}, table ${aws.tableName}): ${message}`,
      { cause: err },
    );
  } finally {
    handle.close();
  }
}
