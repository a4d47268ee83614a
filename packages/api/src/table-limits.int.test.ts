/**
 * The api over the real table stores (dynalite): per-number caps shared by two app instances,
 * and the suppression routes with another client's entries invisible.
 */
import {
  createDynamoRecipientCaps,
  createDynamoSuppressionList,
  ensureAudienceTable,
} from '@herald/aws';
import { createTestInfrastructure, type TestInfrastructure } from '@herald/aws/testing';
import { anSmsRequest, FixedClock } from '@herald/core/testing';
import { startEmulatorsProcess, type EmulatorsProcess } from '@herald/emulators';
import { fixedTokens, startTestApp, type TestApp } from './testing';

const SCOPES = ['notifications:send', 'audience:read', 'audience:write'];
const verifier = fixedTokens({
  'a.a.a': { clientId: 'client-a', scopes: SCOPES },
  'b.b.b': { clientId: 'client-b', scopes: SCOPES },
});

let emulators: EmulatorsProcess;
let infra: TestInfrastructure;
const apps: TestApp[] = [];
const clock = new FixedClock(new Date('2026-01-01T10:15:00.000Z'));

beforeAll(async () => {
  emulators = await startEmulatorsProcess();
  infra = await createTestInfrastructure(emulators, { prefix: 'api-limits' });
  const audienceTable = `${infra.tableName}-audience`;
  await ensureAudienceTable({ dynamodb: infra.clients.dynamodb, tableName: audienceTable });
  const suppressions = createDynamoSuppressionList({
    doc: infra.clients.doc,
    tableName: audienceTable,
  });
  await suppressions.add('client-a', {
    address: 'email:ada@example.com',
    reason: 'hard_bounce',
    notificationId: 'ntf_x',
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  for (let i = 0; i < 2; i++) {
    apps.push(
      await startTestApp({
        verifier,
        clock,
        suppressions,
        recipientCaps: createDynamoRecipientCaps({
          doc: infra.clients.doc,
          tableName: infra.tableName,
          max: 3,
          allClientsMax: 30,
          windowMs: 3_600_000,
        }),
      }),
    );
  }
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  infra?.destroy();
  await emulators?.stop();
});

function call(app: TestApp, method: string, path: string, token = 'a.a.a', body?: unknown) {
  return fetch(`${app.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('per-number caps counted in the table', () => {
  it('caps one number across two api instances, with Retry-After to the end of the window', async () => {
    const request = anSmsRequest({ to: '+447400111222' });
    const [one, two] = [apps[0]!, apps[1]!];
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(i % 2 ? one : two, 'POST', '/v1/notifications', 'a.a.a', request),
      ),
    );
    const codes = statuses.map((r) => r.status).sort();
    expect(codes).toEqual([202, 202, 202, 429, 429, 429, 429, 429]);
    const capped = statuses.find((r) => r.status === 429)!;
    expect(capped.headers.get('retry-after')).toBe('2700');
    expect(await capped.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(one.store.records.size + two.store.records.size).toBe(3);

    // Another client's own count is apart.
    const other = await call(two, 'POST', '/v1/notifications', 'b.b.b', request);
    expect(other.status).toBe(202);
  });
});

describe('GET and DELETE /v1/suppressions', () => {
  it("lists the caller's entries only, and lifts one with DELETE", async () => {
    const [one] = apps;
    const mine = await call(one!, 'GET', '/v1/suppressions');
    expect(await mine.json()).toEqual({
      items: [
        {
          address: 'email:ada@example.com',
          reason: 'hard_bounce',
          notificationId: 'ntf_x',
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    });
    const theirs = await call(one!, 'GET', '/v1/suppressions', 'b.b.b');
    expect(await theirs.json()).toEqual({ items: [] });

    const address = encodeURIComponent('email:Ada@Example.com');
    expect((await call(one!, 'DELETE', `/v1/suppressions/${address}`, 'b.b.b')).status).toBe(404);
    expect((await call(one!, 'DELETE', `/v1/suppressions/${address}`)).status).toBe(204);
    expect((await call(one!, 'DELETE', `/v1/suppressions/${address}`)).status).toBe(404);
    expect(await (await call(one!, 'GET', '/v1/suppressions')).json()).toEqual({ items: [] });
  });
});
