import { createHeraldClient, isHeraldApiError } from './index';
import { startFakeHeraldApi, type FakeAnswer, type FakeHeraldApi } from './testing';

const T = '2026-01-01T00:00:00.000Z';
const TOPIC = '3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b';
const topic = { id: TOPIC, name: 'Ops', createdAt: T, updatedAt: T };
const sub = { topicId: TOPIC, recipientId: 'alice@example.com', createdAt: T, updatedAt: T };

let api: FakeHeraldApi;
let answer: FakeAnswer;

beforeEach(async () => {
  answer = () => ({ status: 500, json: { error: { code: 'INTERNAL', message: 'unscripted' } } });
  api = await startFakeHeraldApi((req, gone) => answer(req, gone));
});

afterEach(async () => {
  await api.close();
});

const herald = () => createHeraldClient({ baseUrl: api.baseUrl, token: 'tok-1' });
const seen = () =>
  api.requests.map(
    (r) => `${r.method} ${r.path}${r.query.size > 0 ? `?${r.query.toString()}` : ''}`,
  );
const bodyOf = (i: number) => JSON.parse(api.requests[i]?.body ?? 'null') as unknown;

describe('topics', () => {
  it('creates, reads, renames with If-Match and deletes a topic, returning ETags', async () => {
    answer = (req) =>
      req.method === 'DELETE'
        ? { status: 204 }
        : { status: req.method === 'POST' ? 201 : 200, headers: { etag: '"t1"' }, json: topic };
    const client = herald();

    const created = await client.createTopic({ name: 'Ops', description: 'alarms' });
    const read = await client.getTopic(TOPIC);
    const renamed = await client.updateTopic(TOPIC, { description: null }, { ifMatch: '"t0"' });
    await client.deleteTopic(TOPIC);

    expect(created).toEqual({ value: topic, etag: '"t1"' });
    expect(read).toEqual(created);
    expect(renamed.value).toEqual(topic);
    expect(seen()).toEqual([
      'POST /v1/topics',
      `GET /v1/topics/${TOPIC}`,
      `PATCH /v1/topics/${TOPIC}`,
      `DELETE /v1/topics/${TOPIC}`,
    ]);
    expect(bodyOf(0)).toEqual({ name: 'Ops', description: 'alarms' });
    expect(bodyOf(2)).toEqual({ description: null });
    expect(api.requests[2]?.headers['if-match']).toBe('"t0"');
    expect(api.requests[0]?.headers.authorization).toBe('Bearer tok-1');
  });

  it('pages through topics with limit and cursor', async () => {
    answer = () => ({ status: 200, json: { items: [topic], nextCursor: 'c2' } });

    const page = await herald().listTopics({ limit: 1, cursor: 'c1' });

    expect(page).toEqual({ items: [topic], nextCursor: 'c2' });
    expect(seen()).toEqual(['GET /v1/topics?limit=1&cursor=c1']);
  });

  it('rejects with the API error for a topic the caller does not have', async () => {
    answer = () => ({ status: 404, json: { error: { code: 'NOT_FOUND', message: 'no' } } });

    const err: unknown = await herald()
      .getTopic('nope')
      .catch((e: unknown) => e);

    expect(isHeraldApiError(err) && err.code).toBe('NOT_FOUND');
  });
});

describe('subscribers', () => {
  it('subscribes with or without channels, saying whether it was new, and unsubscribes', async () => {
    answer = (req) =>
      req.method === 'DELETE'
        ? { status: 204 }
        : { status: req.body.includes('channels') ? 200 : 201, json: sub };
    const client = herald();

    const first = await client.subscribe(TOPIC, 'alice@example.com');
    const narrowed = await client.subscribe(TOPIC, 'alice@example.com', { channels: ['email'] });
    await client.unsubscribe(TOPIC, 'alice@example.com');

    expect(first).toEqual({ subscription: sub, created: true });
    expect(narrowed.created).toBe(false);
    expect(bodyOf(0)).toEqual({});
    expect(bodyOf(1)).toEqual({ channels: ['email'] });
    expect(seen()).toEqual([
      `PUT /v1/topics/${TOPIC}/subscribers/alice%40example.com`,
      `PUT /v1/topics/${TOPIC}/subscribers/alice%40example.com`,
      `DELETE /v1/topics/${TOPIC}/subscribers/alice%40example.com`,
    ]);
  });

  it('lists a topic’s subscribers and a recipient’s subscriptions, page by page', async () => {
    answer = () => ({ status: 200, json: { items: [sub] } });
    const client = herald();

    const subscribers = await client.listSubscribers(TOPIC, { cursor: 'c1' });
    const subscriptions = await client.listSubscriptions('alice@example.com', { limit: 10 });

    expect(subscribers).toEqual({ items: [sub] });
    expect(subscriptions).toEqual({ items: [sub] });
    expect(seen()).toEqual([
      `GET /v1/topics/${TOPIC}/subscribers?cursor=c1`,
      'GET /v1/recipients/alice%40example.com/subscriptions?limit=10',
    ]);
  });
});

describe('topic sends', () => {
  const accepted = { id: 'ntf_01', kind: 'topic', topicId: TOPIC, status: 'Pending', createdAt: T };
  const parent = {
    ...accepted,
    updatedAt: T,
    events: [{ at: T, type: 'accepted' }],
    fanOut: {
      recipients: 3,
      children: { Pending: 1, Delivered: 2, Refused: 0 },
      skipped: { optedOut: 1, suppressed: 0, noAddress: 0 },
      complete: true,
    },
  };

  it('sends to a topic with an Idempotency-Key and returns the parent', async () => {
    answer = () => ({ status: 202, json: accepted });

    const sent = await herald().sendToTopic(
      TOPIC,
      { title: 'Beam down', channels: ['push'], critical: true },
      { idempotencyKey: 'beam-1' },
    );

    expect(sent).toEqual(accepted);
    expect(seen()).toEqual([`POST /v1/topics/${TOPIC}/notifications`]);
    expect(api.requests[0]?.headers['idempotency-key']).toBe('beam-1');
    expect(bodyOf(0)).toEqual({ title: 'Beam down', channels: ['push'], critical: true });
  });

  it('reads a parent with its fan-out, lists a topic’s sends and a parent’s children', async () => {
    const child = {
      id: 'ntf_02',
      recipient: 'alice',
      channel: 'push',
      deviceId: 'dev_1',
      status: 'Delivered',
    };
    answer = (req) => {
      if (req.path.endsWith('/children'))
        return { status: 200, json: { items: [child], nextCursor: 'n' } };
      if (req.path.startsWith('/v1/topics/')) return { status: 200, json: { items: [parent] } };
      return { status: 200, json: parent };
    };
    const client = herald();

    const view = await client.getTopicNotification('ntf_01');
    const sends = await client.listTopicNotifications(TOPIC, { cursor: 'c1' });
    const children = await client.listChildren('ntf_01', { status: 'Delivered', cursor: 'c2' });

    expect(view.fanOut.children.Delivered).toBe(2);
    expect(sends.items).toHaveLength(1);
    expect(children).toEqual({ items: [child], nextCursor: 'n' });
    expect(seen()).toEqual([
      'GET /v1/notifications/ntf_01',
      `GET /v1/topics/${TOPIC}/notifications?cursor=c1`,
      'GET /v1/notifications/ntf_01/children?status=Delivered&cursor=c2',
    ]);
  });

  it('rejects a reused key with another body as IDEMPOTENCY_MISMATCH', async () => {
    answer = () => ({
      status: 422,
      json: { error: { code: 'IDEMPOTENCY_MISMATCH', message: 'key reused' } },
    });

    const err: unknown = await herald()
      .sendToTopic(TOPIC, { title: 'x' }, { idempotencyKey: 'k' })
      .catch((e: unknown) => e);

    expect(isHeraldApiError(err) && err.code).toBe('IDEMPOTENCY_MISMATCH');
  });
});
