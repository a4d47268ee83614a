import { parseArgs } from 'node:util';
import { topicNotificationRequestSchema, type TopicNotificationRequest } from '@herald/core';
import { callApi } from '../api-client';
import { onePositional, parseOrUsage, UsageError } from '../args';
import type { Command, CommandContext } from '../context';
import { readJsonInput } from '../json-input';
import { parseChannels } from './topic-options';

const SEND_OPTIONS = {
  title: { type: 'string' },
  body: { type: 'string' },
  url: { type: 'string' },
  channels: { type: 'string' },
  'send-at': { type: 'string' },
  critical: { type: 'boolean' },
  json: { type: 'string' },
  'idempotency-key': { type: 'string' },
} as const;

const BODY_FLAGS = ['title', 'body', 'url', 'channels', 'send-at', 'critical'] as const;

type SendValues = ReturnType<typeof parseSendArgs>['values'];

/**
 * `herald topics send <topicId> --title T [--body B] [--url U] [--channels a,b] [--send-at ISO]
 * [--critical] [--idempotency-key K]`, or the whole body with `--json file|-`: checks it against
 * the API's schema (a usage error, before any request), sends it to every subscriber of the
 * topic and prints the parent notification's id, so a script can follow it with `status`.
 */
export const topicSend: Command = async (args, ctx) => {
  const { values, positionals } = parseSendArgs(args);
  const topicId = onePositional(positionals, 'topicId');
  const body = values.json === undefined ? fromFlags(values) : await fromJson(values, ctx);
  const request = validate(body);
  const idempotencyKey = values['idempotency-key'];
  const accepted = await callApi(ctx, (client) =>
    client.sendToTopic(topicId, request, idempotencyKey === undefined ? {} : { idempotencyKey }),
  );
  ctx.io.out(accepted.id);
  ctx.io.err(`accepted: fan-out to the subscribers of ${accepted.topicId} follows`);
};

function parseSendArgs(args: string[]) {
  return parseOrUsage(() =>
    parseArgs({ args, options: SEND_OPTIONS, allowPositionals: true, strict: true }),
  );
}

function fromFlags(values: SendValues): unknown {
  if (values.title === undefined) throw new UsageError('topics send needs --title or --json');
  return {
    title: values.title,
    ...(values.body === undefined ? {} : { body: values.body }),
    ...(values.url === undefined ? {} : { url: values.url }),
    ...(values.channels === undefined ? {} : { channels: parseChannels(values.channels) }),
    ...(values['send-at'] === undefined ? {} : { sendAt: values['send-at'] }),
    ...(values.critical === true ? { critical: true } : {}),
  };
}

async function fromJson(values: SendValues, ctx: CommandContext): Promise<unknown> {
  const mixed = BODY_FLAGS.find((f) => values[f] !== undefined);
  if (mixed !== undefined) throw new UsageError(`use either --json or --${mixed}, not both`);
  return readJsonInput(values.json ?? '-', ctx);
}

function validate(body: unknown): TopicNotificationRequest {
  const result = topicNotificationRequestSchema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(body)'}: ${issue.message}`,
  );
  throw new UsageError(`the topic notification is not valid:\n${issues.join('\n')}`);
}
