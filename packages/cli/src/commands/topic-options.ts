import { CHANNELS, type Channel } from '@herald/core';
import { parseIntegerOption, UsageError } from '../args';

/** `--limit N --cursor C` of a paged topic list. */
export const PAGE_OPTIONS = {
  limit: { type: 'string' },
  cursor: { type: 'string' },
} as const;

/** The page query from `--limit` (1–100) and `--cursor`. */
export function pageQueryOf(values: { limit?: string | undefined; cursor?: string | undefined }) {
  return {
    ...(values.limit === undefined
      ? {}
      : { limit: parseIntegerOption(values.limit, '--limit', 1, 100) }),
    ...(values.cursor === undefined ? {} : { cursor: values.cursor }),
  };
}

/** `--channels email,push`: known channel names, each once. */
export function parseChannels(value: string): Channel[] {
  const names = value.split(',').map((c) => c.trim());
  const unknown = names.find((c) => !(CHANNELS as readonly string[]).includes(c));
  if (unknown !== undefined) {
    throw new UsageError(`--channels: '${unknown}' is not one of ${CHANNELS.join(', ')}`);
  }
  if (new Set(names).size !== names.length) throw new UsageError('--channels repeats a channel');
  return names as Channel[];
}

/** The two positionals `<topicId> <recipientId>`. */
export function topicAndRecipient(positionals: readonly string[]): [string, string] {
  const [topicId, recipientId, ...rest] = positionals;
  if (topicId === undefined || recipientId === undefined) {
    throw new UsageError('missing <topicId> <recipientId>');
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  return [topicId, recipientId];
}
