import { useAudienceApp } from './testing-audience';

const audience = useAudienceApp();
const { call } = audience;

interface PageBody {
  items: { topicId: string; recipientId: string; channels?: string[] }[];
  nextCursor?: string;
}

async function topic(token = 'a.a.a'): Promise<string> {
  const res = await call('POST', '/v1/topics', { body: { name: 'Ops' }, token });
  return ((await res.json()) as { id: string }).id;
}

async function recipient(id: string, token = 'a.a.a'): Promise<void> {
  await call('PUT', `/v1/recipients/${id}`, { body: { email: `${id}@example.com` }, token });
}

describe('PUT/DELETE /v1/topics/:topicId/subscribers/:recipientId', () => {
  it('subscribes (201) with every channel by default, then replaces the channels (200)', async () => {
    const t = await topic();
    await recipient('alice');

    const created = await call('PUT', `/v1/topics/${t}/subscribers/alice`);
    const replaced = await call('PUT', `/v1/topics/${t}/subscribers/alice`, {
      body: { channels: ['email', 'push'] },
    });

    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({
      topicId: t,
      recipientId: 'alice',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(created.headers.get('location')).toBe(`/v1/topics/${t}/subscribers/alice`);
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ channels: ['email', 'push'] });
  });

  it('answers 404 for an unknown topic or recipient, and 400 for bad input', async () => {
    const t = await topic();
    await recipient('bob');

    expect((await call('PUT', `/v1/topics/${t}/subscribers/nobody`)).status).toBe(404);
    const unknownTopic = '0b6f3c4e-8d2a-4c1b-9f3e-2a7d5e6f8a90';
    expect((await call('PUT', `/v1/topics/${unknownTopic}/subscribers/bob`)).status).toBe(404);
    const bad = await call('PUT', `/v1/topics/${t}/subscribers/bob`, {
      body: { channels: ['fax', 'email'], extra: 1 },
    });
    const body = (await bad.json()) as { error: { details: { path: string }[] } };
    expect(bad.status).toBe(400);
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['channels[0]', 'extra']);
    expect((await call('PUT', `/v1/topics/${t}/subscribers/a%20b`)).status).toBe(400);
    expect(audience.app.topics.subscriptions.size).toBe(0);
  });

  it('unsubscribes (204), then 404', async () => {
    const t = await topic();
    await recipient('carol');
    await call('PUT', `/v1/topics/${t}/subscribers/carol`);

    expect(
      (await call('DELETE', `/v1/topics/${t}/subscribers/carol`, { token: 'b.b.b' })).status,
    ).toBe(404);
    expect((await call('DELETE', `/v1/topics/${t}/subscribers/carol`)).status).toBe(204);
    expect((await call('DELETE', `/v1/topics/${t}/subscribers/carol`)).status).toBe(404);
  });

  it("keeps tenants apart: client-b cannot subscribe its recipient to client-a's topic", async () => {
    const t = await topic();
    await recipient('dave', 'b.b.b');

    const res = await call('PUT', `/v1/topics/${t}/subscribers/dave`, { token: 'b.b.b' });

    expect(res.status).toBe(404);
    expect((await call('GET', `/v1/topics/${t}/subscribers`, { token: 'b.b.b' })).status).toBe(404);
  });

  it('needs audience:write to change and audience:read to read', async () => {
    const t = await topic();
    await recipient('erin');

    expect((await call('PUT', `/v1/topics/${t}/subscribers/erin`, { token: 'r.r.r' })).status).toBe(
      403,
    );
    expect((await call('GET', `/v1/topics/${t}/subscribers`, { token: 'r.r.r' })).status).toBe(200);
    expect((await call('GET', `/v1/topics/${t}/subscribers`, { token: 'n.n.n' })).status).toBe(403);
    expect(
      (await call('GET', '/v1/recipients/erin/subscriptions', { token: 'n.n.n' })).status,
    ).toBe(403);
    expect((await call('POST', `/v1/topics/${t}/subscribers`)).status).toBe(405);
  });
});

describe('listing subscribers and subscriptions', () => {
  it('pages through a topic’s subscribers and lists a recipient’s subscriptions', async () => {
    const t1 = await topic();
    const t2 = await topic();
    for (const id of ['r1', 'r2', 'r3']) {
      await recipient(id);
      await call('PUT', `/v1/topics/${t1}/subscribers/${id}`);
    }
    await call('PUT', `/v1/topics/${t2}/subscribers/r1`, { body: { channels: ['sms'] } });

    const first = (await (
      await call('GET', `/v1/topics/${t1}/subscribers?limit=2`)
    ).json()) as PageBody;
    const second = (await (
      await call('GET', `/v1/topics/${t1}/subscribers?limit=2&cursor=${first.nextCursor ?? ''}`)
    ).json()) as PageBody;
    const mine = (await (await call('GET', '/v1/recipients/r1/subscriptions')).json()) as PageBody;

    expect([...first.items, ...second.items].map((s) => s.recipientId)).toEqual(['r1', 'r2', 'r3']);
    expect(second.nextCursor).toBeUndefined();
    expect(mine.items.map((s) => s.topicId).sort()).toEqual([t1, t2].sort());
    expect(mine.items.find((s) => s.topicId === t2)?.channels).toEqual(['sms']);
    expect((await call('GET', '/v1/recipients/nobody/subscriptions')).status).toBe(404);
    expect((await call('GET', '/v1/recipients/r1/subscriptions', { token: 'b.b.b' })).status).toBe(
      404,
    );
  });

  it('forgets an erased recipient’s and a deleted topic’s subscriptions', async () => {
    const t1 = await topic();
    const t2 = await topic();
    await recipient('gone');
    await recipient('stays');
    await call('PUT', `/v1/topics/${t1}/subscribers/gone`);
    await call('PUT', `/v1/topics/${t1}/subscribers/stays`);
    await call('PUT', `/v1/topics/${t2}/subscribers/stays`);

    await call('DELETE', '/v1/recipients/gone');
    await call('DELETE', `/v1/topics/${t2}`);

    const subs = (await (await call('GET', `/v1/topics/${t1}/subscribers`)).json()) as PageBody;
    const mine = (await (
      await call('GET', '/v1/recipients/stays/subscriptions')
    ).json()) as PageBody;
    expect(subs.items.map((s) => s.recipientId)).toEqual(['stays']);
    expect(mine.items.map((s) => s.topicId)).toEqual([t1]);
  });
});
