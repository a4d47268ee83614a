import { anEmailRequest } from '@herald/core/testing';
import { useFlakyStoreApp } from './testing-app';

const app = useFlakyStoreApp();
const { post, get } = app;

describe('GET /v1/notifications/:id', () => {
  async function createOne(token = 'a.a.a') {
    return ((await (await post(anEmailRequest(), {}, token)).json()) as { id: string }).id;
  }

  it('shows the status and event history', async () => {
    const id = await createOne();

    const res = await get(`/v1/notifications/${id}`);

    const body = (await res.json()) as {
      status: string;
      events: { type: string }[];
      attempts: number;
    };
    expect(res.status).toBe(200);
    expect(body.status).toBe('Pending');
    expect(body.attempts).toBe(0);
    expect(body.events.map((e) => e.type)).toEqual(['accepted']);
  });

  it("answers 404 for another client's notification, exactly as for a missing one", async () => {
    const id = await createOne('b.b.b');

    const other = await get(`/v1/notifications/${id}`);
    const missing = await get('/v1/notifications/ntf_00000000000000000000000000');

    expect(other.status).toBe(404);
    expect(await other.json()).toEqual(await missing.json());
  });

  it('answers 304 when If-None-Match carries the current ETag', async () => {
    const id = await createOne();
    const first = await get(`/v1/notifications/${id}`);
    const etag = first.headers.get('etag') ?? '';

    const second = await get(`/v1/notifications/${id}`, 'a.a.a', { 'if-none-match': etag });

    expect(etag).not.toBe('');
    expect(second.status).toBe(304);
  });

  it('holds a long-poll until the notification is final', async () => {
    const id = await createOne();
    const polling = get(`/v1/notifications/${id}?waitSeconds=5`);
    setTimeout(() => {
      const record = app.store.records.get(id)!;
      record.status = 'Delivered';
      record.updatedAt = new Date().toISOString();
    }, 150);

    const res = await polling;

    expect(((await res.json()) as { status: string }).status).toBe('Delivered');
  });

  it('rejects waitSeconds above 20 and unknown query parameters', async () => {
    const id = await createOne();

    expect((await get(`/v1/notifications/${id}?waitSeconds=21`)).status).toBe(400);
    expect((await get(`/v1/notifications/${id}?foo=1`)).status).toBe(400);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('answers %s with 405 and Allow', async (method) => {
    const id = await createOne();

    const res = await fetch(`${app.base}/v1/notifications/${id}`, {
      method,
      headers: { authorization: 'Bearer a.a.a' },
    });

    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });
});

describe('GET /v1/notifications', () => {
  it("lists only the caller's notifications, newest first, page by page", async () => {
    for (let i = 0; i < 3; i++) await post(anEmailRequest({ subject: `n${i}` }));
    await post(anEmailRequest(), {}, 'b.b.b');

    const first = (await (await get('/v1/notifications?limit=2')).json()) as {
      items: { id: string }[];
      nextCursor?: string;
    };
    const second = (await (
      await get(`/v1/notifications?limit=2&cursor=${first.nextCursor}`)
    ).json()) as { items: unknown[]; nextCursor?: string };

    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
  });

  it('rejects an unknown status filter', async () => {
    expect((await get('/v1/notifications?status=Sent')).status).toBe(400);
  });
});

describe('health', () => {
  it('reports readiness from the queue and table checks', async () => {
    expect((await fetch(`${app.base}/healthz`)).status).toBe(200);
    expect((await fetch(`${app.base}/readyz`)).status).toBe(200);
  });
});
