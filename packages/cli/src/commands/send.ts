import { parseArgs } from 'node:util';
import { notificationRequestSchema, recipientIdSchema } from '@herald/core';
import type { NotificationRequest, RecipientNotificationRequest } from '@herald/core';
import { callApi } from '../api-client';
import { noPositionals, parseOrUsage, UsageError } from '../args';
import type { Command, CommandContext } from '../context';
import { readJsonInput } from '../json-input';

const SEND_OPTIONS = {
  channel: { type: 'string' },
  to: { type: 'string', multiple: true },
  recipient: { type: 'string' },
  cc: { type: 'string', multiple: true },
  bcc: { type: 'string', multiple: true },
  subject: { type: 'string' },
  text: { type: 'string' },
  html: { type: 'string' },
  json: { type: 'string' },
  'idempotency-key': { type: 'string' },
} as const;

type SendValues = ReturnType<typeof parseSendArgs>['values'];

/**
 * `herald send`: builds a notification from flags (email, sms, whatsapp) or takes a whole body
 * with `--json <file|->`, checks it against the API's schema, sends it and prints the `202`
 * answer. A body the schema rejects is a usage error, reported before any request. `--recipient
 * <id>` (or `recipient` in the JSON) names a recipient in place of `--to`: only its id is checked
 * here; the api resolves the address and checks the rest (`404`, `422 NO_ADDRESS`, `400`).
 */
export const sendCommand: Command = async (args, ctx) => {
  const { values, positionals } = parseSendArgs(args);
  noPositionals(positionals);
  const body = values.json === undefined ? fromFlags(values) : await fromJson(values, ctx);
  const notification = validate(body);
  const idempotencyKey = values['idempotency-key'];
  const accepted = await callApi(ctx, (client) =>
    client.sendNotificationAsync(
      notification,
      idempotencyKey === undefined ? {} : { idempotencyKey },
    ),
  );
  ctx.io.out(JSON.stringify(accepted, null, 2));
};

function parseSendArgs(args: string[]) {
  return parseOrUsage(() =>
    parseArgs({ args, options: SEND_OPTIONS, allowPositionals: true, strict: true }),
  );
}

function fromFlags(values: SendValues): unknown {
  const { channel, to = [], recipient, cc, bcc, subject, text, html } = values;
  if (recipient !== undefined && to.length > 0) {
    throw new UsageError('use either --to or --recipient, not both');
  }
  const address = recipient !== undefined ? { recipient } : undefined;
  switch (channel) {
    case 'email':
      return {
        channel,
        ...(address ?? { to: oneOrMany(to) }),
        cc: cc && oneOrMany(cc),
        bcc: bcc && oneOrMany(bcc),
        subject,
        text,
        html,
      };
    case 'sms':
    case 'whatsapp':
      if ([cc, bcc, subject, html].some((v) => v !== undefined)) {
        throw new UsageError(`--cc, --bcc, --subject and --html apply to email only`);
      }
      if (to.length > 1) throw new UsageError(`${channel} takes exactly one --to`);
      return { channel, ...(address ?? { to: to[0] }), body: text };
    case undefined:
      throw new UsageError('send needs --channel <email|sms|whatsapp> or --json <file|->');
    default:
      throw new UsageError(`--channel must be email, sms or whatsapp (send push with --json)`);
  }
}

async function fromJson(values: SendValues, ctx: CommandContext): Promise<unknown> {
  const source = values.json ?? '-';
  const flags = ['channel', 'to', 'recipient', 'cc', 'bcc', 'subject', 'text', 'html'] as const;
  const mixed = flags.find((f) => values[f] !== undefined);
  if (mixed !== undefined) throw new UsageError(`use either --json or --${mixed}, not both`);
  return readJsonInput(source, ctx);
}

function validate(body: unknown): NotificationRequest | RecipientNotificationRequest {
  if (typeof body === 'object' && body !== null && 'recipient' in body) {
    const id = recipientIdSchema.safeParse(body.recipient);
    if (!id.success) throw new UsageError(`--recipient ${id.error.issues[0]?.message ?? ''}`);
    // The api checks the rest once the address is resolved, and lists every problem.
    return body as RecipientNotificationRequest;
  }
  const result = notificationRequestSchema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(body)'}: ${issue.message}`,
  );
  throw new UsageError(`the notification is not valid:\n${issues.join('\n')}`);
}

/** A single recipient goes out as a string, the way people write the JSON by hand. */
function oneOrMany(values: string[]): string | string[] {
  const [only, ...more] = values;
  return only !== undefined && more.length === 0 ? only : values;
}
