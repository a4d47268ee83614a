import { parseArgs } from 'node:util';
import {
  createAwsClients,
  createDlqAdmin,
  resolveBulkQueueUrl,
  resolveDeadLetterQueueUrl,
  resolveQueueUrl,
  type DlqAdmin,
} from '@herald/aws';
import { AppError } from '@herald/core';
import {
  noPositionals,
  parseIntegerOption,
  parseOrUsage,
  pickSubcommand,
  UsageError,
} from '../args';
import type { Command, CommandContext } from '../context';

const MAX_LIST = 1_000;

/** Which dead-letter queue: the work queue's (default) or the bulk queue's (topic children). */
type DlqChoice = 'work' | 'bulk';

const QUEUE_OPTION = { queue: { type: 'string' } } as const;

function queueChoice(value: string | undefined): DlqChoice {
  if (value === undefined || value === 'work') return 'work';
  if (value === 'bulk') return 'bulk';
  throw new UsageError('--queue is work or bulk');
}

/**
 * `herald dlq list [--queue work|bulk] [--limit N]`: one JSON line per message in the work (or
 * bulk) queue's dead-letter queue (messageId, notificationId, receiveCount, sentTimestamp).
 * Listing hides the messages only while it runs.
 */
const listDlq = async (args: string[], ctx: CommandContext) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { limit: { type: 'string' }, ...QUEUE_OPTION },
      allowPositionals: true,
    }),
  );
  noPositionals(positionals);
  const limit =
    values.limit === undefined ? 100 : parseIntegerOption(values.limit, '--limit', 1, MAX_LIST);
  await withDlqAdmin(ctx, queueChoice(values.queue), async (admin) => {
    for (const message of await admin.list(limit)) ctx.io.out(JSON.stringify(message));
  });
};

/**
 * `herald dlq redrive [--queue work|bulk] (--all | <messageId>…)`: moves messages back to the
 * queue whose DLQ it is (send, then delete from the DLQ), printing one JSON line per message
 * moved. Fails (exit 1) when a given message id was not found, after moving the others.
 */
const redriveDlq = async (args: string[], ctx: CommandContext) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { all: { type: 'boolean' }, ...QUEUE_OPTION },
      allowPositionals: true,
    }),
  );
  if (values.all === true && positionals.length > 0) {
    throw new UsageError('give either --all or message ids, not both');
  }
  if (values.all !== true && positionals.length === 0) {
    throw new UsageError('give --all or the message ids to redrive');
  }
  await withDlqAdmin(ctx, queueChoice(values.queue), async (admin) => {
    const result = await admin.redrive(values.all === true ? 'all' : positionals);
    for (const message of result.moved) ctx.io.out(JSON.stringify(message));
    ctx.io.err(`redrove ${result.moved.length} message(s)`);
    if (result.notFound.length > 0) {
      throw new AppError(
        'NOT_FOUND',
        `not in the dead-letter queue: ${result.notFound.join(', ')}`,
      );
    }
  });
};

const SUBCOMMANDS: ReadonlyMap<string, Command> = new Map([
  ['list', listDlq],
  ['redrive', redriveDlq],
]);

/**
 * `herald dlq <list|redrive>`: inspect and redrive the work queue's dead-letter queue, or with
 * `--queue bulk` the bulk queue's.
 */
export const dlqCommand: Command = async (args, ctx) => {
  const [name, ...rest] = args;
  await pickSubcommand('dlq', SUBCOMMANDS, name)(rest, ctx);
};

async function withDlqAdmin(
  ctx: CommandContext,
  choice: DlqChoice,
  use: (admin: DlqAdmin) => Promise<void>,
): Promise<void> {
  const { aws } = ctx.config;
  const clients = createAwsClients({
    region: aws.region,
    sqsEndpoint: aws.sqsEndpoint,
    credentials: aws.credentials,
  });
  try {
    const workUrl = aws.queueUrl ?? (await resolveQueueUrl(clients.sqs, aws.queueName));
    const queueUrl =
      choice === 'work'
        ? workUrl
        : await resolveBulkQueueUrl(clients.sqs, {
            HERALD_QUEUE_NAME: aws.queueName,
            HERALD_QUEUE_URL: workUrl,
          });
    // HERALD_DLQ_URL names the work queue's DLQ; the bulk queue's comes from its redrive policy.
    const dlqUrl =
      (choice === 'work' ? aws.dlqUrl : undefined) ??
      (await resolveDeadLetterQueueUrl(clients.sqs, queueUrl));
    await use(createDlqAdmin({ sqs: clients.sqs, queueUrl, dlqUrl }));
  } finally {
    // Keep-alive sockets would otherwise hold the process open after the command is done.
    clients.dynamodb.destroy();
    clients.sqs.destroy();
    clients.sns.destroy();
  }
}
