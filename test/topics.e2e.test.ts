/**
 * Topics and subscriptions (issue 14, "Topics (services) and subscriptions", without sending)
 * through the built api against dynalite: a topic created, paged and changed under its ETag,
 * recipients subscribed on chosen or every channel, both directions listed, another client kept
 * out, and the recipient erase and the topic delete taking their subscriptions with them.
 */
import { startHeraldStack, type HeraldStack } from './support/herald-stack';

jest.setTimeout(60_000);

interface Page {
  items: { topicId: string; recipientId: string; channels?: string[] }[];
  nextCursor?: string;
}

describe('topics and subscriptions, end to end', () => {
  let stack: HeraldStack;
  let token: string;
  let other: string;

  beforeAll(async () => {
    stack = await startHeraldStack({ statusEvents: true });
    token = (await stack.cli(['token', 'issue', '--client', 'alarms'])).trim();
    other = (await stack.cli(['token', 'issue', '--client', 'intruder'])).trim();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  function call(method: string, path: string, body?: unknown, headers = {}, as = token) {
    return fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${as}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async function json<T>(res: Promise<Response>): Promise<T> {
    return (await (await res).json()) as T;
  }

  it('creates, reads, renames under If-Match, and deletes a topic', async () => {
    const created = await call('POST', '/v1/topics', { name: 'Beamline', description: 'alarms' });
    const { id } = (await created.json()) as { id: string };
    const etag = created.headers.get('etag') ?? '';

    const renamed = await call('PATCH', `/v1/topics/${id}`, { name: 'BL-1' }, { 'if-match': etag });
    const stale = await call('PATCH', `/v1/topics/${id}`, { name: 'lost' }, { 'if-match': etag });

    expect(created.status).toBe(201);
    expect(renamed.status).toBe(200);
    expect(stale.status).toBe(412);
    expect(await json(call('GET', `/v1/topics/${id}`))).toMatchObject({
      id,
      name: 'BL-1',
      description: 'alarms',
    });
    expect((await call('GET', `/v1/topics/${id}`, undefined, {}, other)).status).toBe(404);
    expect((await call('DELETE', `/v1/topics/${id}`)).status).toBe(204);
    expect((await call('GET', `/v1/topics/${id}`)).status).toBe(404);
  });

  it('subscribes recipients, pages both ways, and cleans up on erase and delete', async () => {
    const t1 = (await json<{ id: string }>(call('POST', '/v1/topics', { name: 'one' }))).id;
    const t2 = (await json<{ id: string }>(call('POST', '/v1/topics', { name: 'two' }))).id;
    for (const id of ['ann', 'ben', 'cat']) {
      await call('PUT', `/v1/recipients/${id}`, { email: `${id}@example.com` });
      expect((await call('PUT', `/v1/topics/${t1}/subscribers/${id}`)).status).toBe(201);
    }
    const chosen = await call('PUT', `/v1/topics/${t2}/subscribers/ann`, { channels: ['email'] });
    expect(chosen.status).toBe(201);
    expect((await call('PUT', `/v1/topics/${t1}/subscribers/nobody`)).status).toBe(404);
    expect((await call('PUT', `/v1/topics/${t1}/subscribers/ann`, {}, {}, other)).status).toBe(404);

    const first = await json<Page>(call('GET', `/v1/topics/${t1}/subscribers?limit=2`));
    const rest = await json<Page>(
      call('GET', `/v1/topics/${t1}/subscribers?limit=2&cursor=${first.nextCursor ?? ''}`),
    );
    const ann = await json<Page>(call('GET', '/v1/recipients/ann/subscriptions'));
    expect([...first.items, ...rest.items].map((s) => s.recipientId)).toEqual([
      'ann',
      'ben',
      'cat',
    ]);
    expect(ann.items.map((s) => s.topicId).sort()).toEqual([t1, t2].sort());

    expect((await call('DELETE', '/v1/recipients/ann')).status).toBe(204);
    expect((await call('DELETE', `/v1/topics/${t2}`)).status).toBe(204);
    expect((await call('DELETE', `/v1/topics/${t1}/subscribers/ben`)).status).toBe(204);

    const left = await json<Page>(call('GET', `/v1/topics/${t1}/subscribers`));
    expect(left.items.map((s) => s.recipientId)).toEqual(['cat']);
    expect((await json<Page>(call('GET', '/v1/recipients/ben/subscriptions'))).items).toEqual([]);
    const cat = await json<Page>(call('GET', '/v1/recipients/cat/subscriptions'));
    expect(cat.items.map((s) => s.topicId)).toEqual([t1]);
  });
});
