/**
 * Recipients and their devices (issue 14, "Recipients") through the built api against dynalite:
 * the audience table as `herald setup` makes it, a token `herald token issue` grants every scope
 * by default, versions and `If-Match`, devices registered once per token, and the erase.
 */
import { startHeraldStack, type HeraldStack } from './support/herald-stack';

jest.setTimeout(60_000);

const APNS_TOKEN = '7f'.repeat(32);

describe('recipients and devices, end to end', () => {
  let stack: HeraldStack;
  let token: string;

  beforeAll(async () => {
    stack = await startHeraldStack({ statusEvents: true });
    token = (await stack.cli(['token', 'issue', '--client', 'shop'])).trim();
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

  it("herald setup names the stack's audience table and runs again without harm", async () => {
    const out = await stack.cli(['setup']);

    expect(out).toContain(`audience table ${stack.env.HERALD_AUDIENCE_TABLE_NAME}`);
    expect(stack.env.HERALD_AUDIENCE_TABLE_NAME).toMatch(/^e2e-[0-9a-f]{8}-audience$/);
  });

  it('creates, reads and replaces a recipient under its ETag', async () => {
    const profile = { email: 'alice@example.com', phone: '+4791234567', timezone: 'Europe/Oslo' };

    const created = await call('PUT', '/v1/recipients/alice', profile);
    const etag = created.headers.get('etag') ?? '';
    const read = await call('GET', '/v1/recipients/alice');
    const replaced = await call(
      'PUT',
      '/v1/recipients/alice',
      { ...profile, name: 'Alice' },
      {
        'if-match': etag,
      },
    );
    const stale = await call('PUT', '/v1/recipients/alice', { name: 'lost' }, { 'if-match': etag });

    expect(created.status).toBe(201);
    expect(await read.json()).toMatchObject({ id: 'alice', ...profile });
    expect(read.headers.get('etag')).toBe(etag);
    expect(replaced.status).toBe(200);
    expect(stale.status).toBe(412);
    expect(await (await call('GET', '/v1/recipients/alice')).json()).toMatchObject({
      name: 'Alice',
    });
  });

  it('registers a device once per token, lists and removes it', async () => {
    await call('PUT', '/v1/recipients/bob', {});

    const first = await call('POST', '/v1/recipients/bob/devices', {
      apns: { token: APNS_TOKEN, environment: 'sandbox' },
    });
    const again = await call('POST', '/v1/recipients/bob/devices', {
      apns: { token: APNS_TOKEN, environment: 'production' },
    });
    const { deviceId } = (await first.json()) as { deviceId: string };
    const list = (await (await call('GET', '/v1/recipients/bob/devices')).json()) as {
      items: { deviceId: string; target: unknown }[];
    };
    const removed = await call('DELETE', `/v1/recipients/bob/devices/${deviceId}`);

    expect([first.status, again.status, removed.status]).toEqual([201, 200, 204]);
    expect(list.items).toEqual([
      expect.objectContaining({
        deviceId,
        target: { apns: { token: APNS_TOKEN, environment: 'production' } },
      }),
    ]);
  });

  it('keeps another client out and enforces the scopes', async () => {
    await call('PUT', '/v1/recipients/carol', { email: 'carol@example.com' });
    const other = (await stack.cli(['token', 'issue', '--client', 'rival'])).trim();
    const readOnly = await stack.issueToken('shop', 'audience:read');

    const foreign = await call('GET', '/v1/recipients/carol', undefined, {}, other);
    const foreignErase = await call('DELETE', '/v1/recipients/carol', undefined, {}, other);
    const noWrite = await call('PUT', '/v1/recipients/carol', {}, {}, readOnly);

    expect([foreign.status, foreignErase.status, noWrite.status]).toEqual([404, 404, 403]);
    expect((await call('GET', '/v1/recipients/carol', undefined, {}, readOnly)).status).toBe(200);
  });

  it('refuses a 21st device with 409', async () => {
    await call('PUT', '/v1/recipients/dave', {});
    const adds = Array.from({ length: 24 }, (_, i) =>
      call('POST', '/v1/recipients/dave/devices', { fcm: { token: `fcm-token-${i}-0123456789` } }),
    );

    const statuses = (await Promise.all(adds)).map((res) => res.status);

    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
  });

  it('erases a recipient with its devices', async () => {
    await call('PUT', '/v1/recipients/erin', { email: 'erin@example.com' });
    await call('POST', '/v1/recipients/erin/devices', {
      fcm: { token: 'fcm-token-erin-0123456789' },
    });

    const erased = await call('DELETE', '/v1/recipients/erin');

    expect(erased.status).toBe(204);
    expect((await call('GET', '/v1/recipients/erin')).status).toBe(404);
    expect((await call('GET', '/v1/recipients/erin/devices')).status).toBe(404);
    expect((await call('PUT', '/v1/recipients/erin', {})).status).toBe(201);
  });
});
