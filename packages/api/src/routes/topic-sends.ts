import {
  AppError,
  isTopicSendId,
  toTopicSendView,
  type ChildStore,
  type TopicSendCancelled,
  type TopicSendRecord,
  type TopicSendStore,
  type TopicStore,
} from '@herald/core';
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { clientOf } from '../middleware/require-client-token';
import { pageQuerySchema, topicIdOf, topicNotFound } from '../topic-http';
import { parseOrThrow } from '../validation';

/** What the topic-send reads and the cancel need. */
export interface TopicSendReadDeps {
  sends: Pick<TopicSendStore, 'get' | 'listByTopic'>;
  children: Pick<ChildStore, 'countChildren' | 'listChildren'>;
  topics: Pick<TopicStore, 'getTopic'>;
  /** Core `createCancelTopicSend`. */
  cancel: (input: { clientId: string; notificationId: string }) => Promise<TopicSendCancelled>;
}

/** The caller's topic send named by `:id`, or `404` (unknown, malformed, or another client's). */
async function ownTopicSend(
  deps: Pick<TopicSendReadDeps, 'sends'>,
  req: Request,
  clientId: string,
): Promise<TopicSendRecord> {
  const id = String(req.params.id);
  const record = isTopicSendId(id) ? await deps.sends.get(id) : undefined;
  if (record?.clientId !== clientId) throw new AppError('NOT_FOUND', 'Notification not found');
  return record;
}

/**
 * `GET /v1/notifications/:id` for a topic send: its status, events and fan-out summary. The
 * children's counts come from the byParent index while it is Pending, and from the counts
 * stored with its final status after (they no longer change).
 */
export function getTopicSend(deps: TopicSendReadDeps): RequestHandler {
  return async (req, res) => {
    // `waitSeconds` is accepted as for a notification, but a topic send is answered at once:
    // its counts are an index read, too costly to repeat every second of a long-poll.
    parseOrThrow(getQuerySchema, req.query, 'Query');
    const record = await ownTopicSend(deps, req, clientOf(res).clientId);
    const counts = record.finalCounts ?? (await deps.children.countChildren(record.id));
    res.set('Cache-Control', 'private, no-cache').json(toTopicSendView(record, counts));
  };
}

const getQuerySchema = z.strictObject({
  waitSeconds: z.coerce.number().int().min(0).max(20).optional(),
});

const childrenQuerySchema = pageQuerySchema.extend({
  status: z.enum(['Pending', 'Refused', 'Delivered']).optional(),
});

/**
 * `GET /v1/notifications/:id/children?status=&cursor=&limit=`: a topic send's children, each
 * with its recipient, channel, device (push), status and reason, `{ items, nextCursor }`.
 */
export function listChildren(deps: TopicSendReadDeps): RequestHandler {
  return async (req, res) => {
    const query = parseOrThrow(childrenQuerySchema, req.query, 'Query');
    const record = await ownTopicSend(deps, req, clientOf(res).clientId);
    const page = await deps.children.listChildren(record.id, {
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    res.set('Cache-Control', 'private, no-cache').json(page);
  };
}

/**
 * `GET /v1/topics/:topicId/notifications`: what was sent to a topic, newest first. Each item is
 * the topic send's summary; `fanOut.children` is there once it is final (`GET` the topic send
 * for live counts while it is Pending).
 */
export function listTopicSends(deps: TopicSendReadDeps): RequestHandler {
  return async (req, res) => {
    const clientId = clientOf(res).clientId;
    const topicId = topicIdOf(req);
    const query = parseOrThrow(pageQuerySchema, req.query, 'Query');
    if ((await deps.topics.getTopic(clientId, topicId)) === undefined) throw topicNotFound();
    const page = await deps.sends.listByTopic(clientId, topicId, {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    res.set('Cache-Control', 'private, no-cache').json({
      items: page.items.map((r) => {
        const counts = r.finalCounts ?? { Pending: 0, Delivered: 0, Refused: 0 };
        const { events, fanOut, ...summary } = toTopicSendView(r, counts);
        const { children, ...progress } = fanOut;
        return { ...summary, fanOut: { ...progress, ...(r.finalCounts ? { children } : {}) } };
      }),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    });
  };
}

/**
 * `POST /v1/notifications/:id/cancel` for a topic send: `200` with its view and
 * `cancelledChildren`; `409` when it is final or nothing was left to cancel.
 */
export function cancelTopicSendRoute(deps: TopicSendReadDeps): RequestHandler {
  return async (req, res) => {
    const clientId = clientOf(res).clientId;
    const id = String(req.params.id);
    if (!isTopicSendId(id)) throw new AppError('NOT_FOUND', 'Notification not found');
    const { record, cancelledChildren } = await deps.cancel({ clientId, notificationId: id });
    const counts = record.finalCounts ?? (await deps.children.countChildren(record.id));
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .json({ ...toTopicSendView(record, counts), cancelledChildren });
  };
}
