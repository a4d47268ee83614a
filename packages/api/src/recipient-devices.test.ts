import { deviceIdOf } from '@herald/core';
import { useAudienceApp } from './testing-audience';

const { call } = useAudienceApp();
const apns = (n: number) => ({ apns: { token: n.toString(16).padStart(64, '0') } });
const webPush = {
  webPush: { endpoint: 'https://push.example.com/abc', keys: { p256dh: 'BNc', auth: 'tBH' } },
};

async function recipient(id: string, token = 'a.a.a') {
  expect((await call('PUT', `/v1/recipients/${id}`, { body: {}, token })).status).toBe(201);
}

describe('POST /v1/recipients/:recipientId/devices', () => {
  it('registers a device (201 with its id); the same token again is the same device (200)', async () => {
    await recipient('alice');

    const first = await call('POST', '/v1/recipients/alice/devices', { body: apns(1) });
    const again = await call('POST', '/v1/recipients/alice/devices', {
      body: { apns: { ...apns(1).apns, environment: 'sandbox' } },
    });

    const deviceId = deviceIdOf(apns(1));
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/v1/recipients/alice/devices/${deviceId}`);
    expect(await first.json()).toMatchObject({ deviceId, target: apns(1) });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ deviceId });
    const list = await call('GET', '/v1/recipients/alice/devices');
    expect(await list.json()).toMatchObject({
      items: [{ deviceId, target: { apns: { environment: 'sandbox' } } }],
    });
  });

  it('takes every kind of target', async () => {
    await recipient('bob');
    const targets = [
      webPush,
      apns(2),
      { fcm: { token: 'fcm-token-0123456789abcdef' } },
      { snsEndpointArn: 'arn:aws:sns:eu-west-1:123456789012:endpoint/GCM/app/5a4c7f1e' },
    ];

    for (const body of targets) {
      expect((await call('POST', '/v1/recipients/bob/devices', { body })).status).toBe(201);
    }
    const list = (await (await call('GET', '/v1/recipients/bob/devices')).json()) as {
      items: unknown[];
    };
    expect(list.items).toHaveLength(4);
  });

  it('answers 400 listing every problem of the target', async () => {
    await recipient('carol');

    const bad = await call('POST', '/v1/recipients/carol/devices', {
      body: { apns: { token: 'zz', environment: 'dev', extra: 1 } },
    });
    const none = await call('POST', '/v1/recipients/carol/devices', { body: { token: 'x' } });

    const details = ((await bad.json()) as { error: { details: { path: string }[] } }).error
      .details;
    expect(bad.status).toBe(400);
    expect(details.map((d) => d.path).sort()).toEqual([
      'apns.environment',
      'apns.extra',
      'apns.token',
    ]);
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({
      error: { details: [{ message: expect.stringContaining('webPush, apns, fcm') as string }] },
    });
  });

  it(`answers 409 to a 21st device, and 404 for an unknown or another client's recipient`, async () => {
    await recipient('dave');
    await recipient('erin', 'b.b.b');
    for (let i = 0; i < 20; i++) {
      expect((await call('POST', '/v1/recipients/dave/devices', { body: apns(i) })).status).toBe(
        201,
      );
    }

    const full = await call('POST', '/v1/recipients/dave/devices', { body: apns(99) });
    const unknown = await call('POST', '/v1/recipients/nobody/devices', { body: apns(1) });
    const foreign = await call('POST', '/v1/recipients/erin/devices', { body: apns(1) });

    expect(full.status).toBe(409);
    expect(await full.json()).toMatchObject({ error: { code: 'CONFLICT' } });
    expect(unknown.status).toBe(404);
    expect(foreign.status).toBe(404);
  });

  it('needs audience:write to register and audience:read to list', async () => {
    await recipient('frank');

    const post = await call('POST', '/v1/recipients/frank/devices', {
      body: apns(1),
      token: 'r.r.r',
    });
    const list = await call('GET', '/v1/recipients/frank/devices', { token: 'n.n.n' });

    expect([post.status, list.status]).toEqual([403, 403]);
  });
});

describe('DELETE /v1/recipients/:recipientId/devices/:deviceId', () => {
  it('removes the device (204), then 404', async () => {
    await recipient('gina');
    await call('POST', '/v1/recipients/gina/devices', { body: webPush });
    const path = `/v1/recipients/gina/devices/${deviceIdOf(webPush)}`;

    const removed = await call('DELETE', path);
    const again = await call('DELETE', path);

    expect([removed.status, again.status]).toEqual([204, 404]);
    expect(await (await call('GET', '/v1/recipients/gina/devices')).json()).toEqual({ items: [] });
  });

  it("answers 404 for a malformed id and for another client's device", async () => {
    await recipient('hank');
    await call('POST', '/v1/recipients/hank/devices', { body: webPush });
    const path = `/v1/recipients/hank/devices/${deviceIdOf(webPush)}`;

    expect((await call('DELETE', '/v1/recipients/hank/devices/nope')).status).toBe(404);
    expect((await call('DELETE', path, { token: 'b.b.b' })).status).toBe(404);
    expect((await call('DELETE', path, { token: 'r.r.r' })).status).toBe(403);
    const left = (await (await call('GET', '/v1/recipients/hank/devices')).json()) as {
      items: unknown[];
    };
    expect(left.items).toHaveLength(1);
  });
});
