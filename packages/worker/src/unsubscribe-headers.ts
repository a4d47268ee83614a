import type { Logger, NotificationRecord } from '@herald/core';
import { createUnsubscribeTokens, type UnsubscribeTokens } from '@herald/guards';

/** The path under the api's public URL where unsubscribe links land (`/v1/unsubscribe/:token`). */
export const UNSUBSCRIBE_PATH = '/v1/unsubscribe/';

/**
 * RFC 8058 headers for the emails of a topic send: a notification whose `audience` names a
 * recipient and a topic (a topic's child), on the email channel, gets `List-Unsubscribe:
 * <${publicUrl}/v1/unsubscribe/<token>>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`;
 * anything else gets none. The token names the notification's client, recipient and topic, so a
 * link opts out exactly that recipient of that topic's email, for that client. Pure.
 */
export function createUnsubscribeHeaders(opts: {
  /** The api's public base URL (`HERALD_PUBLIC_URL`); a trailing slash is ignored. */
  publicUrl: string;
  tokens: UnsubscribeTokens;
}): (record: NotificationRecord) => Record<string, string> | undefined {
  const base = opts.publicUrl.replace(/\/+$/, '');
  return (record) => {
    const audience = record.audience;
    if (record.request.channel !== 'email' || audience?.topicId === undefined) return undefined;
    const token = opts.tokens.sign({
      clientId: record.clientId,
      recipientId: audience.recipientId,
      topicId: audience.topicId,
    });
    return {
      'List-Unsubscribe': `<${base}${UNSUBSCRIBE_PATH}${token}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
  };
}

/**
 * The worker's unsubscribe headers from its settings: both `HERALD_PUBLIC_URL` and
 * `HERALD_LINK_SECRET` are needed; with only one of them topic emails go out without the
 * headers, and a warning says which is missing (the worker still starts: a deployment that set
 * a public URL for Twilio receipts alone keeps working after an upgrade).
 */
export function unsubscribeHeadersFromConfig(
  config: { HERALD_PUBLIC_URL?: string | undefined; HERALD_LINK_SECRET?: string | undefined },
  logger: Pick<Logger, 'warn'>,
): ReturnType<typeof createUnsubscribeHeaders> | undefined {
  const { HERALD_PUBLIC_URL: publicUrl, HERALD_LINK_SECRET: secret } = config;
  if (publicUrl !== undefined && secret !== undefined) {
    return createUnsubscribeHeaders({ publicUrl, tokens: createUnsubscribeTokens(secret) });
  }
  if (publicUrl !== undefined || secret !== undefined) {
    logger.warn(
      { missing: publicUrl === undefined ? 'HERALD_PUBLIC_URL' : 'HERALD_LINK_SECRET' },
      'topic emails carry no List-Unsubscribe header: it needs both HERALD_PUBLIC_URL and HERALD_LINK_SECRET',
    );
  }
  return undefined;
}
