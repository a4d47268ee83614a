import type { DeviceTarget } from '@herald/core';
import { createHeraldClient, isHeraldApiError } from './index';
import { startFakeHeraldApi, type FakeAnswer, type FakeHeraldApi } from './testing';

const T = '2026-01-01T00:00:00.000Z';
const fcm: DeviceTarget = { fcm: { token: 'fcm-token-0123456789abcdef' } };
const device = { deviceId: 'dev_1', target: fcm, createdAt: T, updatedAt: T };

let api: FakeHeraldApi;
let answer: FakeAnswer;

beforeEach(async () => {
  answer = () => ({ status: 500, json: { error: { code: 'INTERNAL', message: 'unscripted' } } });
  api = await startFakeHeraldApi((req, gone) => answer(req, gone));
});

afterEach(async () => {
  await api.close();
});

const herald = () => createHeraldClient({ baseUrl: api.baseUrl, token: 'tok-1' });

describe('recipients', () => {
  it('PUTs a profile with If-Match, and returns the view, its ETag and whether it was new', async () => {
    const view = {
      id: 'alice@example.com',
      email: 'alice@example.com',
      createdAt: T,
      updatedAt: T,
    };
    answer = () => ({ status: 201, headers: { etag: '"abc.1"' }, json: view });

    const written = await herald().putRecipient(
      'alice@example.com',
      { email: 'alice@example.com' },
      { ifMatch: '"abc.0"' },
    );

    expect(written).toEqual({ value: view, etag: '"abc.1"', created: true });
    const [sent] = api.requests;
    expect(sent?.method).toBe('PUT');
    expect(sent?.path).toBe('/v1/recipients/alice%40example.com');
    expect(sent?.headers['if-match']).toBe('"abc.0"');
    expect(JSON.parse(sent?.body ?? '')).toEqual({ email: 'alice@example.com' });
  });

  it('sends If-None-Match: * to create only, and reads a recipient with its ETag', async () => {
    answer = (req) =>
      req.method === 'PUT'
        ? {
            status: 200,
            headers: { etag: '"x.2"' },
            json: { id: 'bob', createdAt: T, updatedAt: T },
          }
        : {
            status: 200,
            headers: { etag: '"x.2"' },
            json: { id: 'bob', name: 'Bob', createdAt: T, updatedAt: T },
          };

    const written = await herald().putRecipient('bob', {}, { ifNoneMatch: true });
    const read = await herald().getRecipient('bob');

    expect(api.requests[0]?.headers['if-none-match']).toBe('*');
    expect(written.created).toBe(false);
    expect(read).toEqual({
      value: { id: 'bob', name: 'Bob', createdAt: T, updatedAt: T },
      etag: '"x.2"',
    });
  });

  it('DELETEs a recipient and rejects NOT_FOUND for an unknown one', async () => {
    answer = (req) =>
      req.path.endsWith('/carol')
        ? { status: 204 }
        : { status: 404, json: { error: { code: 'NOT_FOUND', message: 'Recipient not found' } } };

    await herald().deleteRecipient('carol');
    const err: unknown = await herald()
      .deleteRecipient('nobody')
      .catch((e: unknown) => e);

    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'DELETE /v1/recipients/carol',
      'DELETE /v1/recipients/nobody',
    ]);
    expect(isHeraldApiError(err) && err.code).toBe('NOT_FOUND');
  });
});

describe('devices', () => {
  it('adds, lists and removes devices on their paths', async () => {
    answer = (req) => {
      if (req.method === 'POST') return { status: 201, json: device };
      if (req.method === 'GET') return { status: 200, json: { items: [device] } };
      return { status: 204 };
    };

    const added = await herald().addDevice('dave', fcm);
    const listed = await herald().listDevices('dave');
    await herald().removeDevice('dave', 'dev_1');

    expect(added).toEqual({ device, created: true });
    expect(listed).toEqual([device]);
    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual(fcm);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/recipients/dave/devices',
      'GET /v1/recipients/dave/devices',
      'DELETE /v1/recipients/dave/devices/dev_1',
    ]);
  });

  it('rejects CONFLICT when the recipient has all its devices', async () => {
    answer = () => ({ status: 409, json: { error: { code: 'CONFLICT', message: 'at most 20' } } });

    const err: unknown = await herald()
      .addDevice('dave', fcm)
      .catch((e: unknown) => e);

    expect(isHeraldApiError(err) && err.status).toBe(409);
  });
});

describe('preferences', () => {
  it('reads and replaces preferences with their ETag', async () => {
    const preferences = { channels: { sms: false }, quietHours: { start: '22:00', end: '07:00' } };
    answer = (req) =>
      req.method === 'GET'
        ? { status: 200, headers: { etag: '"p.0"' }, json: {} }
        : { status: 201, headers: { etag: '"p.1"' }, json: preferences };

    const none = await herald().getPreferences('erin');
    const written = await herald().putPreferences('erin', preferences, { ifMatch: none.etag });

    expect(none).toEqual({ value: {}, etag: '"p.0"' });
    expect(written).toEqual({ value: preferences, etag: '"p.1"', created: true });
    expect(api.requests[1]?.path).toBe('/v1/recipients/erin/preferences');
    expect(api.requests[1]?.headers['if-match']).toBe('"p.0"');
  });

  it('rejects PRECONDITION_FAILED on a stale ETag', async () => {
    answer = () => ({
      status: 412,
      json: { error: { code: 'PRECONDITION_FAILED', message: 'changed' } },
    });

    const err: unknown = await herald()
      .putPreferences('erin', {}, { ifMatch: '"p.0"' })
      .catch((e: unknown) => e);

    expect(isHeraldApiError(err) && err.code).toBe('PRECONDITION_FAILED');
  });
});
