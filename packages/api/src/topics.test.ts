import { isTopicId } from '@herald/core';
import { useAudienceApp } from './testing-audience';

const audience = useAudienceApp();
const { call } = audience;

interface TopicBody {
  id: string;
  name: string;
  description?: string;
  createdAt: string;
  updatedAt: string;
}

async function createTopic(body: unknown = { name: 'Ops', description: 'Ops alarms' }) {
  const res = await call('POST', '/v1/topics', { body });
  return { res, topic: (await res.json()) as TopicBody };
}

describe('POST /v1/topics', () => {
  it('creates a topic with a UUID v4 id (201, Location, ETag)', async () => {
    const { res, topic } = await createTopic();

    expect(res.status).toBe(201);
    expect(isTopicId(topic.id)).toBe(true);
    expect(topic).toEqual({
      id: topic.id,
      name: 'Ops',
      description: 'Ops alarms',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(res.headers.get('location')).toBe(`/v1/topics/${topic.id}`);
    expect(res.headers.get('etag')).toMatch(/^".+"$/);
  });

  it('answers 400 listing every problem, and stores nothing', async () => {
    const res = await call('POST', '/v1/topics', {
      body: { name: '', description: 'd'.repeat(2001), owner: 'x' },
    });
    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };

    expect(res.status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['description', 'name', 'owner']);
    expect(audience.app.topics.topics.size).toBe(0);
  });

  it('answers 409 past the per-client bound', async () => {
    const { topics } = audience.app;
    for (let i = 0; i < 10_000; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      topics.topics.set(`client-a\u0000${id}`, {
        revision: 1,
        record: {
          clientId: 'client-a',
          topicId: id,
          name: 'n',
          version: 't1',
          createdAt: '',
          updatedAt: '',
        },
      });
    }
    expect((await createTopic()).res.status).toBe(409);
    expect((await call('POST', '/v1/topics', { body: { name: 'b' }, token: 'b.b.b' })).status).toBe(
      201,
    );
  });

  it('answers 403 without audience:write, 401 without a token, 415 for a non-JSON body', async () => {
    expect((await call('POST', '/v1/topics', { body: { name: 'x' }, token: 'r.r.r' })).status).toBe(
      403,
    );
    expect((await call('POST', '/v1/topics', { body: { name: 'x' }, token: 'n.n.n' })).status).toBe(
      403,
    );
    expect((await call('POST', '/v1/topics', { body: { name: 'x' }, token: 'nope' })).status).toBe(
      401,
    );
    const text = await call('POST', '/v1/topics', {
      body: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });
});

describe('GET /v1/topics and /v1/topics/:topicId', () => {
  it('pages through the caller’s topics only, by cursor', async () => {
    for (const name of ['a', 'b', 'c']) await createTopic({ name });
    await call('POST', '/v1/topics', { body: { name: 'other' }, token: 'b.b.b' });

    const first = await call('GET', '/v1/topics?limit=2', { token: 'r.r.r' });
    const page = (await first.json()) as { items: TopicBody[]; nextCursor: string };
    const rest = await call('GET', `/v1/topics?limit=2&cursor=${page.nextCursor}`);
    const last = (await rest.json()) as { items: TopicBody[]; nextCursor?: string };

    expect(first.status).toBe(200);
    expect(page.items).toHaveLength(2);
    expect(last.items).toHaveLength(1);
    expect(last.nextCursor).toBeUndefined();
    expect([...page.items, ...last.items].map((t) => t.name).sort()).toEqual(['a', 'b', 'c']);
    expect((await call('GET', '/v1/topics?limit=0')).status).toBe(400);
    expect((await call('GET', '/v1/topics?cursor=%21%21')).status).toBe(400);
  });

  it("reads a topic with its ETag; another client's, a malformed or unknown id is 404", async () => {
    const { topic } = await createTopic();

    const mine = await call('GET', `/v1/topics/${topic.id}`, { token: 'r.r.r' });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toEqual(topic);
    expect(mine.headers.get('etag')).toMatch(/^".+"$/);
    const cached = await call('GET', `/v1/topics/${topic.id}`, {
      headers: { 'if-none-match': mine.headers.get('etag') ?? '' },
    });
    expect(cached.status).toBe(304);
    expect((await call('GET', `/v1/topics/${topic.id}`, { token: 'b.b.b' })).status).toBe(404);
    expect((await call('GET', '/v1/topics/not-a-uuid')).status).toBe(404);
    expect((await call('GET', `/v1/topics/${topic.id}`, { token: 'n.n.n' })).status).toBe(403);
  });
});

describe('PATCH and DELETE /v1/topics/:topicId', () => {
  it('patches name and description with If-Match (stale: 412, nothing changed)', async () => {
    const { res, topic } = await createTopic();
    const etag = res.headers.get('etag') ?? '';

    const patched = await call('PATCH', `/v1/topics/${topic.id}`, {
      body: { name: 'Operations', description: null },
      headers: { 'if-match': etag },
    });
    const stale = await call('PATCH', `/v1/topics/${topic.id}`, {
      body: { name: 'lost' },
      headers: { 'if-match': etag },
    });

    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({ ...topic, name: 'Operations', description: undefined });
    expect(patched.headers.get('etag')).not.toBe(etag);
    expect(stale.status).toBe(412);
    expect(await (await call('GET', `/v1/topics/${topic.id}`)).json()).toMatchObject({
      name: 'Operations',
    });
    const empty = await call('PATCH', `/v1/topics/${topic.id}`, { body: {} });
    expect(empty.status).toBe(400);
    const other = await call('PATCH', `/v1/topics/${topic.id}`, {
      body: { name: 'x' },
      token: 'b.b.b',
    });
    expect(other.status).toBe(404);
  });

  it('deletes a topic (204); then it is 404 and a second delete is 404', async () => {
    const { topic } = await createTopic();

    expect((await call('DELETE', `/v1/topics/${topic.id}`, { token: 'b.b.b' })).status).toBe(404);
    expect((await call('DELETE', `/v1/topics/${topic.id}`, { token: 'r.r.r' })).status).toBe(403);
    expect((await call('DELETE', `/v1/topics/${topic.id}`)).status).toBe(204);
    expect((await call('GET', `/v1/topics/${topic.id}`)).status).toBe(404);
    expect((await call('DELETE', `/v1/topics/${topic.id}`)).status).toBe(404);
  });

  it('answers 405 with Allow to other methods', async () => {
    const { topic } = await createTopic();
    const put = await call('PUT', `/v1/topics/${topic.id}`, { body: { name: 'x' } });
    const del = await call('DELETE', '/v1/topics');

    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, PATCH, DELETE');
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, POST');
  });
});
