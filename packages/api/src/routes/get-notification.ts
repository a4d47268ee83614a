import { AppError, isNotificationId, toView, type NotificationStore } from '@herald/core';
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { etagOf, matchesIfNoneMatch } from '../etag';
import { waitWhilePending } from '../long-poll';
import type { LongPollLimit } from '../long-poll-limit';
import { clientLimitsOf } from '../middleware/client-limits';
import { clientOf } from '../middleware/require-client-token';
import { parseOrThrow } from '../validation';

const querySchema = z.strictObject({
  waitSeconds: z.coerce.number().int().min(0).max(20).optional(),
});

/**
 * `GET /v1/notifications/:id`: the status and event history. `?waitSeconds=N` (≤ 20) holds the
 * request until the status is final, if the client has a long-poll slot free in `longPolls`
 * (else `429`, before any read). Another client's notification is a `404`, exactly like a
 * missing one, so ids reveal nothing.
 */
export function getNotification(
  store: Pick<NotificationStore, 'get'>,
  longPolls?: LongPollLimit,
): RequestHandler {
  return async (req, res) => {
    const client = clientOf(res);
    const { waitSeconds } = parseOrThrow(querySchema, req.query, 'Query');
    const release = waitSeconds
      ? longPolls?.acquire(client.clientId, clientLimitsOf(res).longPolls)
      : undefined;
    try {
      await answer(store, waitSeconds, req, res);
    } finally {
      release?.();
    }
  };
}

/** Reads the caller's notification, waits while it is Pending if asked to, and sends it. */
async function answer(
  store: Pick<NotificationStore, 'get'>,
  waitSeconds: number | undefined,
  req: Request,
  res: Response,
): Promise<void> {
  const id = String(req.params.id);
  const found = isNotificationId(id) ? await store.get(id) : undefined;
  if (found?.clientId !== clientOf(res).clientId)
    throw new AppError('NOT_FOUND', 'Notification not found');

  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const record = waitSeconds
    ? await waitWhilePending(store, found, waitSeconds * 1000, gone.signal)
    : found;

  const json = JSON.stringify(toView(record));
  const etag = etagOf(json);
  res.set('ETag', etag).set('Cache-Control', 'private, no-cache');
  if (matchesIfNoneMatch(req.get('if-none-match'), etag)) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(json);
}
