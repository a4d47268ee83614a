import { aPayload, anAlert } from './testing-alertmanager';
import { useTopicSendApp } from './testing-topic-send';

const ctx = useTopicSendApp();
const path = (topicId: string, query = '') => `/v1/topics/${topicId}/alertmanager${query}`;

interface ErrorBody {
  error: { code: string; details?: { path: string; message: string }[] };
}

async function idOf(res: Response): Promise<string> {
  return ((await res.json()) as { id: string }).id;
}

describe('POST /v1/topics/:topicId/alertmanager', () => {
  it('sends one topic notification per alert group, answering 202 with the parent', async () => {
    const topicId = await ctx.createTopic('client-a');

    const res = await ctx.post(path(topicId), aPayload());
    const body = (await res.json()) as { id: string; kind: string };

    expect(res.status).toBe(202);
    expect(body.kind).toBe('topic');
    expect(res.headers.get('location')).toBe(`/v1/notifications/${body.id}`);
    const [call] = ctx.accepted;
    expect(call?.clientId).toBe('client-a');
    expect(call?.topicId).toBe(topicId);
    expect(call?.idempotencyKey).toMatch(/^alertmanager:/);
    expect(call?.request).toMatchObject({
      title: '[FIRING:1] DiskFull',
      body: '- db-1 disk is 97% full',
      url: 'https://alertmanager.example.com',
    });
  });

  it('sends a retried webhook once, a repeat after the window again, a new state at once', async () => {
    const topicId = await ctx.createTopic('client-a');
    const clock = ctx.app.clock;

    const first = await ctx.post(path(topicId), aPayload());
    clock.advance(20_000);
    const retry = await ctx.post(path(topicId), aPayload());
    const resolved = await ctx.post(path(topicId), aPayload([anAlert({ status: 'resolved' })]));
    clock.advance(300_000);
    const repeat = await ctx.post(path(topicId), aPayload());

    const firstId = await idOf(first);
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await idOf(retry)).toBe(firstId);
    expect(await idOf(resolved)).not.toBe(firstId);
    expect(await idOf(repeat)).not.toBe(firstId);
  });

  it('answers 200 duplicate, storing nothing new, for the same state with other text in the window', async () => {
    const topicId = await ctx.createTopic('client-a');

    await ctx.post(path(topicId), aPayload());
    const peer = await ctx.post(
      path(topicId),
      aPayload([anAlert()], { externalURL: 'https://alertmanager-2.example.com' }),
    );

    expect(peer.status).toBe(200);
    expect(await peer.json()).toEqual({
      duplicate: true,
      idempotencyKey: ctx.accepted[0]?.idempotencyKey,
    });
  });

  it('takes the window and critical from the query, and refuses anything else there', async () => {
    const topicId = await ctx.createTopic('client-a');
    const clock = ctx.app.clock;

    const first = await ctx.post(path(topicId, '?dedupWindowSeconds=60&critical=true'), aPayload());
    clock.advance(61_000);
    const repeat = await ctx.post(path(topicId, '?dedupWindowSeconds=60'), aPayload());
    const short = await ctx.post(path(topicId, '?dedupWindowSeconds=5'), aPayload());
    const unknown = await ctx.post(path(topicId, '?window=60'), aPayload());

    expect(first.status).toBe(202);
    expect(ctx.accepted[0]?.request.critical).toBe(true);
    expect(await idOf(repeat)).not.toBe(await idOf(first));
    expect(ctx.accepted[1]?.request.critical).toBeUndefined();
    expect(short.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(ctx.accepted).toHaveLength(2);
  });

  it('answers 400 listing every problem for a payload that is not version 4, and sends nothing', async () => {
    const topicId = await ctx.createTopic('client-a');

    const garbage = await ctx.post(path(topicId), { hello: 'world' });
    const v3 = await ctx.post(path(topicId), { ...aPayload(), version: '3', alerts: [] });
    const details = ((await v3.json()) as ErrorBody).error.details?.map((d) => d.path);

    expect(garbage.status).toBe(400);
    expect(v3.status).toBe(400);
    expect(details?.sort()).toEqual(['alerts', 'version']);
    expect(ctx.accepted).toHaveLength(0);
  });

  it('tolerates fields a newer Alertmanager adds', async () => {
    const topicId = await ctx.createTopic('client-a');

    const res = await ctx.post(path(topicId), {
      ...aPayload([{ ...anAlert(), silencedBy: [], inhibitedBy: [] }]),
      orgId: 1,
    });

    expect(res.status).toBe(202);
  });

  it('answers 404 for an unknown, foreign or malformed topic, 403 without notifications:send', async () => {
    const theirs = await ctx.createTopic('client-b');

    const unknown = await ctx.post(path(crypto.randomUUID()), aPayload());
    const foreign = await ctx.post(path(theirs), aPayload());
    const malformed = await ctx.post(path('ops'), aPayload());
    const noScope = await ctx.post(path(theirs), aPayload(), { token: 'w.w.w' });
    const noToken = await ctx.post(path(theirs), aPayload(), { token: 'nope' });
    const get = await fetch(`${ctx.app.base}${path(theirs)}`, {
      headers: { authorization: 'Bearer b.b.b' },
    });

    expect([unknown.status, foreign.status, malformed.status]).toEqual([404, 404, 404]);
    expect([noScope.status, noToken.status, get.status]).toEqual([403, 401, 405]);
  });

  it('keeps the body-size limit', async () => {
    const topicId = await ctx.createTopic('client-a');
    const alerts = Array.from({ length: 600 }, (_, i) =>
      anAlert({ fingerprint: `f${i}`, annotations: { summary: 'x'.repeat(500) } }),
    );

    const res = await ctx.post(path(topicId), aPayload(alerts));

    expect(res.status).toBe(413);
    expect(ctx.accepted).toHaveLength(0);
  });
});
