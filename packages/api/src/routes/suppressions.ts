import {
  AppError,
  parseSuppressionAddress,
  type SuppressionEntry,
  type SuppressionList,
} from '@herald/core';
import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import { clientOf, requireScope } from '../middleware/require-client-token';
import { parseOrThrow } from '../validation';
import { methodNotAllowed } from './method-not-allowed';

/** What the suppression routes need. */
export interface SuppressionRouteDeps {
  suppressions: SuppressionList;
  /** Token check (and the client's settings), as for every client route. */
  auth: RequestHandler[];
  /** The per-client read limit. */
  limit: RequestHandler[];
}

const listQuerySchema = z.strictObject({ cursor: z.string().min(1).max(800).optional() });

/** An entry as the api shows it. */
function entryView(e: SuppressionEntry) {
  return {
    address: e.address,
    reason: e.reason,
    ...(e.notificationId === undefined ? {} : { notificationId: e.notificationId }),
    createdAt: e.createdAt,
  };
}

/**
 * `GET /v1/suppressions?cursor=` (`audience:read`): the caller's suppressed addresses in address
 * order, 100 a page, `{ items, nextCursor? }`. `DELETE /v1/suppressions/:address`
 * (`audience:write`): lifts one entry, `204`, or `404` when the caller has none for it. The
 * address is the entry's key, URL-encoded (`email%3Aada%40example.com`); an email address is
 * matched without regard to case. A malformed address or cursor is `400`; every operation is
 * keyed by the caller's client id, so another client's entries are invisible.
 */
export function registerSuppressionRoutes(app: Express, deps: SuppressionRouteDeps): void {
  const { suppressions, auth, limit } = deps;
  app.get('/v1/suppressions', ...auth, requireScope('audience:read'), ...limit, listRoute());
  app.all('/v1/suppressions', methodNotAllowed('GET', 'an entry is lifted with DELETE'));
  const one = '/v1/suppressions/:address';
  app.delete(one, ...auth, requireScope('audience:write'), ...limit, deleteRoute());
  app.all(one, methodNotAllowed('DELETE', 'entries are added by Herald from provider verdicts'));

  function listRoute(): RequestHandler {
    return async (req, res) => {
      const query = parseOrThrow(listQuerySchema, req.query, 'Query');
      const page = await suppressions.list(clientOf(res).clientId, query.cursor);
      res.set('Cache-Control', 'private, no-cache').json({
        items: page.items.map(entryView),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      });
    };
  }

  function deleteRoute(): RequestHandler {
    return async (req, res) => {
      const address = parseSuppressionAddress(String(req.params.address));
      if (address === undefined) {
        throw new AppError('VALIDATION_FAILED', 'address is not a suppression address', {
          details: [
            {
              path: 'params.address',
              message:
                'must be email:<address>, sms:<E.164>, whatsapp:<E.164> or push:<target key>',
            },
          ],
        });
      }
      if (!(await suppressions.remove(clientOf(res).clientId, address))) {
        throw new AppError('NOT_FOUND', 'No such suppression entry');
      }
      res.status(204).end();
    };
  }
}
