import { AppError } from '@herald/core';
import { FixedClock } from '@herald/core/testing';
import { clientRateLimit } from './middleware/rate-limit';
import { useTopicSendApp } from './testing-topic-send';
import { createLinkPolicy } from './url-policy';

const ctx = useTopicSendApp();
const SEND = { title: 'Disk full', body: 'db-1 is at 97%', url: 'https://grafana.example.com/d/1' };

interface ErrorBody {
  error: { code: string; details?: { path: string; message: string }[] };
}

const path = (topicId: string) => `/v1/topics/${topicId}/notifications`;

describe('POST /v1/topics/:topicId/notifications', () => {
  it('hands the send to the accept use case and answers 202 with the parent and its Location', async () => {
    const topicId = await ctx.createTopic('client-a');

    const res = await ctx.post(path(topicId), { ...SEND, channels: ['push', 'email'] });
    const body = (await res.json()) as { id: string };

    expect(res.status).toBe(202);
    expect(body).toEqual({
      id: body.id,
      kind: 'topic',
      topicId,
      status: 'Pending',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(res.headers.get('location')).toBe(`/v1/notifications/${body.id}`);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(ctx.accepted).toEqual([
      { clientId: 'client-a', topicId, request: { ...SEND, channels: ['push', 'email'] } },
    ]);
  });

  it('replays a retry with the same Idempotency-Key (202, same body) and refuses another body (422)', async () => {
    const topicId = await ctx.createTopic('client-a');
    const headers = { 'idempotency-key': 'deploy-42' };

    const first = await ctx.post(path(topicId), SEND, { headers });
    const again = await ctx.post(path(topicId), SEND, { headers });
    const other = await ctx.post(path(topicId), { ...SEND, title: 'Other' }, { headers });

    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(await first.json());
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(other.status).toBe(422);
    expect(ctx.accepted.map((c) => c.idempotencyKey)).toEqual([
      'deploy-42',
      'deploy-42',
      'deploy-42',
    ]);
  });

  it('answers 400 for an Idempotency-Key that is not 1-255 printable ASCII characters', async () => {
    const topicId = await ctx.createTopic('client-a');

    const res = await ctx.post(path(topicId), SEND, { headers: { 'idempotency-key': 'a b' } });

    expect(res.status).toBe(400);
    expect(ctx.accepted).toHaveLength(0);
  });

  it('answers 400 listing every problem of the body, and accepts nothing', async () => {
    const topicId = await ctx.createTopic('client-a');

    const res = await ctx.post(path(topicId), {
      body: 'no title',
      url: 'javascript:alert(1)',
      channels: ['pigeon'],
      overrides: { sms: {} },
      sendAt: 'tomorrow',
      to: 'someone',
    });
    const body = (await res.json()) as ErrorBody;

    expect(res.status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details?.map((d) => d.path).sort()).toEqual([
      'channels[0]',
      'overrides.sms.body',
      'sendAt',
      'title',
      'to',
      'url',
    ]);
    expect(ctx.accepted).toHaveLength(0);
  });

  it('applies the link policy to url: https only, http only where the policy allows it', async () => {
    const topicId = await ctx.createTopic('client-a');
    const http = { ...SEND, url: 'http://grafana.example.com/d/1' };

    const refused = await ctx.post(path(topicId), http);
    await ctx.restart({ checkLink: createLinkPolicy({ allowHttpLinks: true }) });
    const local = await ctx.post(path(topicId), http);

    expect(refused.status).toBe(400);
    expect(((await refused.json()) as ErrorBody).error.details).toEqual([
      { path: 'url', message: 'must be an https URL' },
    ]);
    expect(local.status).toBe(202);
    expect(ctx.accepted).toHaveLength(1);
  });

  it('answers 404 for an unknown topic, another client’s topic and a malformed topic id', async () => {
    const theirs = await ctx.createTopic('client-b');

    const unknown = await ctx.post(path(crypto.randomUUID()), SEND);
    const other = await ctx.post(path(theirs), SEND);
    const malformed = await ctx.post(path('not-a-topic'), SEND);
    const own = await ctx.post(path(theirs), SEND, { token: 'b.b.b' });

    expect([unknown.status, other.status, malformed.status, own.status]).toEqual([
      404, 404, 404, 202,
    ]);
    expect(((await other.json()) as ErrorBody).error.code).toBe('NOT_FOUND');
    // The malformed id never reaches the use case.
    expect(ctx.accepted.map((c) => c.clientId)).toEqual(['client-a', 'client-a', 'client-b']);
  });

  it('needs a token with notifications:send, a JSON body within the size limit, and POST', async () => {
    const topicId = await ctx.createTopic('client-a');

    const noToken = await ctx.post(path(topicId), SEND, { token: 'nope' });
    const noScope = await ctx.post(path(topicId), SEND, { token: 'w.w.w' });
    const notJson = await ctx.post(path(topicId), 'title=x', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const huge = await ctx.post(path(topicId), { ...SEND, body: 'x'.repeat(300_000) });
    const put = await fetch(`${ctx.app.base}${path(topicId)}`, {
      method: 'PUT',
      headers: { authorization: 'Bearer s.s.s' },
    });

    expect(noToken.status).toBe(401);
    expect(noScope.status).toBe(403);
    expect(notJson.status).toBe(415);
    expect(huge.status).toBe(413);
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST');
    expect(ctx.accepted).toHaveLength(0);
  });

  it('shares the send rate limit: over it is 429 before the body is read', async () => {
    const topicId = await ctx.createTopic('client-a');
    const clock = new FixedClock();
    await ctx.restart({
      clientRateLimit: clientRateLimit({ ratePerSecond: 1, burst: 1, clock }),
    });

    const first = await ctx.post(path(topicId), SEND);
    const limited = await ctx.post(path(topicId), '{not json');

    expect(first.status).toBe(202);
    expect(limited.status).toBe(429);
    expect(ctx.accepted).toHaveLength(1);
  });

  it('answers 503 from the placeholder main.ts wires until the fan-out is composed', async () => {
    const topicId = await ctx.createTopic('client-a');
    await ctx.restart({
      acceptTopicNotification: () =>
        Promise.reject(new AppError('UNAVAILABLE', 'topic sends are not wired yet')),
    });

    const res = await ctx.post(path(topicId), SEND);

    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorBody).error.code).toBe('UNAVAILABLE');
  });
});
