import { toView, type NotificationStore } from '@herald/core';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { clientOf } from '../middleware/require-client-token';
import { parseOrThrow } from '../validation';

const querySchema = z.strictObject({
  status: z.enum(['Pending', 'Refused', 'Delivered']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(2048).optional(),
});

/** `GET /v1/notifications`: the caller's own notifications, newest first, cursor-paged. */
export function listNotifications(store: Pick<NotificationStore, 'listByClient'>): RequestHandler {
  return async (req, res) => {
    const client = clientOf(res);
    const query = parseOrThrow(querySchema, req.query, 'Query');
    const page = await store.listByClient(client.clientId, {
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    res.set('Cache-Control', 'private, no-cache').json({
      items: page.items.map((r) => {
        const { events, ...summary } = toView(r);
        return summary;
      }),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    });
  };
}
