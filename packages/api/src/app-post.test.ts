import { anEmailRequest } from '@herald/core/testing';
import { useFlakyStoreApp } from './testing-app';

const app = useFlakyStoreApp();
const { post, get } = app;

describe('POST /v1/notifications', () => {
  it('stores and enqueues the notification, then answers 202 Pending with a Location', async () => {
    const res = await post(anEmailRequest());

    const body = (await res.json()) as {
      id: string;
      status: string;
      channel: string;
      createdAt: string;
    };
    expect(res.status).toBe(202);
    expect(body).toEqual({
      id: expect.stringMatching(/^ntf_/) as unknown,
      status: 'Pending',
      channel: 'email',
      createdAt: expect.any(String) as unknown,
    });
    expect(res.headers.get('location')).toBe(`/v1/notifications/${body.id}`);
    expect(app.store.records.get(body.id)?.status).toBe('Pending');
    expect(app.queue.sent).toEqual([body.id]);
  });

  it('answers a retry with the same key and body with the same id and body', async () => {
    const first = await post(anEmailRequest(), { 'idempotency-key': 'order-42' });
    const second = await post({ ...anEmailRequest() }, { 'idempotency-key': 'order-42' });

    expect(second.status).toBe(202);
    expect(await second.json()).toEqual(await first.json());
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(app.store.records.size).toBe(1);
  });

  it('answers 422 when a key is reused with a different body', async () => {
    await post(anEmailRequest(), { 'idempotency-key': 'order-42' });
    const res = await post(anEmailRequest({ subject: 'Other' }), { 'idempotency-key': 'order-42' });

    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'IDEMPOTENCY_MISMATCH',
    );
    expect(app.store.records.size).toBe(1);
  });

  it('keeps two clients using the same key apart', async () => {
    const a = (await (await post(anEmailRequest(), { 'idempotency-key': 'k' })).json()) as {
      id: string;
    };
    const b = (await (
      await post(anEmailRequest(), { 'idempotency-key': 'k' }, 'b.b.b')
    ).json()) as { id: string };

    expect(a.id).not.toBe(b.id);
  });

  it('lists every validation problem with its path and stores nothing', async () => {
    const res = await post({
      channel: 'email',
      to: ['not-an-address', 'ok@example.com'],
      subject: 'a\r\nBcc: x@y.z',
      extra: 1,
    });

    const body = (await res.json()) as {
      error: { code: string; details: { path: string; message: string }[] };
    };
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d) => d.path).sort()).toEqual([
      'extra',
      'subject',
      'text',
      'to[0]',
    ]);
    expect(app.store.records.size).toBe(0);
    expect(app.queue.sent).toEqual([]);
  });

  it('names the channel when it is missing or unknown', async () => {
    const res = await post({ channel: 'fax', to: '+15555550100' });

    const body = (await res.json()) as { error: { details: { path: string }[] } };
    expect(res.status).toBe(400);
    expect(body.error.details[0]?.path).toBe('channel');
  });

  it.each([
    ['invalid JSON', '{"channel":', 400, 'VALIDATION_FAILED'],
    ['a JSON array', '[1,2]', 400, 'VALIDATION_FAILED'],
    [
      'a body over 256 KiB',
      JSON.stringify({ ...anEmailRequest(), text: 'x'.repeat(300_000) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('rejects %s', async (_name, raw, status, code) => {
    const res = await post(raw);

    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(app.store.records.size).toBe(0);
  });

  it('answers 400, never 5xx, for a corrupt gzip body, a missing body and a malformed URL escape', async () => {
    const gzip = await post('not gzip at all', { 'content-encoding': 'gzip' });
    const empty = await fetch(`${app.base}/v1/notifications`, {
      method: 'POST',
      headers: { authorization: 'Bearer a.a.a', 'content-type': 'application/json' },
    });
    const badEscape = await get('/v1/notifications/%E0%A4%A');

    expect([gzip.status, empty.status, badEscape.status]).toEqual([400, 400, 400]);
    expect(((await gzip.json()) as { error: { code: string } }).error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(app.store.records.size).toBe(0);
  });

  it('rejects a body that is not application/json with 415', async () => {
    const res = await post('channel=email', {
      'content-type': 'application/x-www-form-urlencoded',
    });

    expect(res.status).toBe(415);
  });

  it('rejects a malformed Idempotency-Key', async () => {
    const res = await post(anEmailRequest(), { 'idempotency-key': 'x'.repeat(300) });

    expect(res.status).toBe(400);
  });

  it('answers 401 without a token or with a bad one, and 403 without the send scope', async () => {
    const none = await fetch(`${app.base}/v1/notifications`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    const bad = await post(anEmailRequest(), {}, 'x.y.z');
    const readOnly = await post(anEmailRequest(), {}, 'r.r.r');

    expect(none.status).toBe(401);
    expect(bad.status).toBe(401);
    expect(readOnly.status).toBe(403);
    expect(((await readOnly.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it('answers 503 with Retry-After when the store is down, and stores nothing', async () => {
    app.storeDown = true;

    const res = await post(anEmailRequest());

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(app.store.records.size).toBe(0);
  });

  it('answers 202 when the queue is down, because the sweeper will enqueue the stored notification', async () => {
    app.queue.failing = true;

    const res = await post(anEmailRequest());

    expect(res.status).toBe(202);
    expect(app.store.records.size).toBe(1);
  });
});
