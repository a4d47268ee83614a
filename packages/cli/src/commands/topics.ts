import { parseArgs } from 'node:util';
import { callApi } from '../api-client';
import { noPositionals, onePositional, parseOrUsage, pickSubcommand, UsageError } from '../args';
import type { Command } from '../context';
import { noOptions, printVersioned } from './recipient-output';
import { PAGE_OPTIONS, pageQueryOf } from './topic-options';
import { topicSend } from './topic-send';
import { listSubscribers, subscribe, unsubscribe } from './topic-subscribers';

/** `topics create --name N [--description D]`: prints the new topic (its id) and its ETag. */
const createTopic: Command = async (args, ctx) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { name: { type: 'string' }, description: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  noPositionals(positionals);
  if (values.name === undefined) throw new UsageError('topics create needs --name');
  const { name, description } = values;
  const created = await callApi(ctx, (client) =>
    client.createTopic({ name, ...(description === undefined ? {} : { description }) }),
  );
  printVersioned(ctx, created.value, created.etag);
};

/** `topics list [--limit N] [--cursor C]`: one page of the caller's topics. */
const listTopics: Command = async (args, ctx) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({ args, options: PAGE_OPTIONS, allowPositionals: true, strict: true }),
  );
  noPositionals(positionals);
  const page = await callApi(ctx, (client) => client.listTopics(pageQueryOf(values)));
  ctx.io.out(JSON.stringify(page, null, 2));
};

const getTopic: Command = async (args, ctx) => {
  const id = onePositional(noOptions(args), 'topicId');
  const read = await callApi(ctx, (client) => client.getTopic(id));
  printVersioned(ctx, read.value, read.etag);
};

const deleteTopic: Command = async (args, ctx) => {
  const id = onePositional(noOptions(args), 'topicId');
  await callApi(ctx, (client) => client.deleteTopic(id));
  ctx.io.err(`deleted topic ${id}`);
};

const SUBCOMMANDS: ReadonlyMap<string, Command> = new Map([
  ['create', createTopic],
  ['list', listTopics],
  ['get', getTopic],
  ['delete', deleteTopic],
  ['subscribe', subscribe],
  ['unsubscribe', unsubscribe],
  ['subscribers', listSubscribers],
  ['send', topicSend],
]);

/**
 * `herald topics create|list|get|delete|subscribe|unsubscribe|subscribers|send …`: a client's
 * topics, their subscribers and sends to them, through the API (HERALD_API_URL, HERALD_TOKEN
 * with the audience scopes, and `notifications:send` to send). Results go to stdout.
 */
export const topicsCommand: Command = (args, ctx) => {
  const [name, ...rest] = args;
  return pickSubcommand('topics', SUBCOMMANDS, name)(rest, ctx);
};
