import { anEmailRequest } from '@herald/core/testing';
import { useFlakyStoreApp } from './testing-app';

const app = useFlakyStoreApp();
const { post, get } = app;
// The test app's clock stands still at this moment.
const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

function cancel(id: string, token = 'a.a.a', method = 'POST') {
  return fetch(`${app.base}/v1/notifications/${id}/cancel`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });
}

async function scheduled(token = 'a.a.a') {
  const res = await post(anEmailRequest({ sendAt: at(60_000) }), {}, token);
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

describe('POST /v1/notifications with sendAt', () => {
  it('answers 202 Pending with a scheduled event saying until when', async () => {
    const id = await scheduled();

    const view = (await (await get(`/v1/notifications/${id}`)).json()) as {
      status: string;
      events: unknown[];
    };
    expect(view.status).toBe('Pending');
    expect(view.events).toEqual([
      { at: at(0), type: 'accepted' },
      { at: at(0), type: 'scheduled', detail: { until: at(60_000) } },
    ]);
  });

  it.each([
    ['in the past', { sendAt: at(-1_000) }, ['sendAt']],
    ['more than 30 days ahead', { sendAt: at(31 * 86_400_000) }, ['sendAt']],
    ['after expiresAt', { sendAt: at(120_000), expiresAt: at(60_000) }, ['sendAt']],
    [
      'past, with a past expiresAt',
      { sendAt: at(-1_000), expiresAt: at(-2_000) },
      ['expiresAt', 'sendAt', 'sendAt'],
    ],
    ['without an offset', { sendAt: '2026-01-01T00:01:00' }, ['sendAt']],
  ])(
    'answers 400 for a sendAt %s, listing every problem, storing nothing',
    async (_, fields, paths) => {
      const res = await post(anEmailRequest(fields));

      const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
      expect(res.status).toBe(400);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.details.map((d) => d.path)).toEqual(paths);
      expect(app.store.records.size).toBe(0);
      expect(app.queue.sent).toEqual([]);
    },
  );
});

describe('POST /v1/notifications/:id/cancel', () => {
  it('answers 200 with the notification, now Refused cancelled, and 409 when asked again', async () => {
    const id = await scheduled();

    const res = await cancel(id);
    const again = await cancel(id);

    const view = (await res.json()) as { id: string; status: string; reason: { code: string } };
    expect(res.status).toBe(200);
    expect(view).toMatchObject({ id, status: 'Refused', reason: { code: 'cancelled' } });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('CONFLICT');
    expect(
      ((await (await get(`/v1/notifications/${id}`)).json()) as { status: string }).status,
    ).toBe('Refused');
  });

  it('answers 409 while a worker holds the notification, and once it is Delivered', async () => {
    const sending = await scheduled();
    const record = app.store.records.get(sending);
    if (record === undefined) throw new Error('not stored');
    record.lease = { owner: 'w1', until: at(120_000) };
    expect((await cancel(sending)).status).toBe(409);

    record.status = 'Delivered';
    delete record.lease;
    expect((await cancel(sending)).status).toBe(409);
  });

  it("answers 404 for another client's notification, an unknown id and a malformed one, alike", async () => {
    const theirs = await scheduled('b.b.b');

    const other = await cancel(theirs);
    const unknown = await cancel('ntf_00000000000000000000000000');
    const malformed = await cancel('not-an-id');

    expect([other.status, unknown.status, malformed.status]).toEqual([404, 404, 404]);
    expect(await other.json()).toEqual(await unknown.json());
    expect(app.store.records.get(theirs)?.status).toBe('Pending');
  });

  it('needs the send scope, and only POST', async () => {
    const id = await scheduled();

    expect((await cancel(id, 'r.r.r')).status).toBe(403);
    expect((await cancel(id, 'nope')).status).toBe(401);
    const get = await cancel(id, 'a.a.a', 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(app.store.records.get(id)?.status).toBe('Pending');
  });

  it('answers 503 and changes nothing while the store is down', async () => {
    const id = await scheduled();
    app.storeDown = true;
    expect((await cancel(id)).status).toBe(503);
    app.storeDown = false;
    expect(app.store.records.get(id)?.status).toBe('Pending');
  });
});
