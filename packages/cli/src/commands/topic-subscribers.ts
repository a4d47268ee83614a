import { parseArgs } from 'node:util';
import { callApi } from '../api-client';
import { onePositional, parseOrUsage } from '../args';
import type { Command } from '../context';
import { noOptions } from './recipient-output';
import { PAGE_OPTIONS, pageQueryOf, parseChannels, topicAndRecipient } from './topic-options';

/**
 * `topics subscribe <topicId> <recipientId> [--channels a,b]`: subscribes the recipient (or
 * replaces its channels; none: every channel it can be reached on) and prints the subscription.
 */
export const subscribe: Command = async (args, ctx) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { channels: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  const [topicId, recipientId] = topicAndRecipient(positionals);
  const channels = values.channels === undefined ? undefined : parseChannels(values.channels);
  const { subscription, created } = await callApi(ctx, (client) =>
    client.subscribe(topicId, recipientId, channels === undefined ? {} : { channels }),
  );
  ctx.io.out(JSON.stringify(subscription, null, 2));
  ctx.io.err(created ? 'subscribed' : 'the subscription was updated');
};

/** `topics unsubscribe <topicId> <recipientId>`. */
export const unsubscribe: Command = async (args, ctx) => {
  const [topicId, recipientId] = topicAndRecipient(noOptions(args));
  await callApi(ctx, (client) => client.unsubscribe(topicId, recipientId));
  ctx.io.err(`unsubscribed ${recipientId} from ${topicId}`);
};

/** `topics subscribers <topicId> [--limit N] [--cursor C]`: one page, `{ items, nextCursor? }`. */
export const listSubscribers: Command = async (args, ctx) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({ args, options: PAGE_OPTIONS, allowPositionals: true, strict: true }),
  );
  const topicId = onePositional(positionals, 'topicId');
  const page = await callApi(ctx, (client) => client.listSubscribers(topicId, pageQueryOf(values)));
  ctx.io.out(JSON.stringify(page, null, 2));
};
