/**
 * The api's URL policy with the real guard and c-ares lookup, against DNS servers on 127.0.0.1:
 * one that answers, one that never does.
 */
import { createDnsLookup, createUrlGuard } from '@herald/guards';
import { startTestDnsServer, type TestDnsServer } from '@herald/guards/testing';
import { createUrlPolicy } from './url-policy';
import { fixedTokens, startTestApp, type TestApp } from './testing';

const verifier = fixedTokens({ 'a.a.a': { clientId: 'client-a', scopes: ['notifications:send'] } });

function emailWithCallback(callbackUrl: string) {
  return { channel: 'email', to: 'user@example.com', subject: 'Hi', text: 'Hello', callbackUrl };
}

describe('URL policy against local name servers', () => {
  let answering: TestDnsServer;
  let silent: TestDnsServer;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    answering = await startTestDnsServer({
      zone: { 'hooks.test': ['93.184.215.14'], 'internal.test': ['10.0.0.5'] },
    });
    silent = await startTestDnsServer({ silent: true });
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await answering.close();
    await silent.close();
  });

  async function appResolvingWith(server: TestDnsServer) {
    const guard = createUrlGuard({
      allowLoopback: false,
      allowHttp: false,
      lookup: createDnsLookup({ servers: [server.address], timeoutMs: 300 }),
    });
    const app = await startTestApp({
      verifier,
      checkUrls: createUrlPolicy(guard, { allowHttpLinks: false }),
    });
    apps.push(app);
    return (body: unknown) =>
      fetch(`${app.base}/v1/notifications`, {
        method: 'POST',
        headers: { authorization: 'Bearer a.a.a', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
  }

  it('accepts a public callback host and refuses one that resolves to a private address', async () => {
    const post = await appResolvingWith(answering);

    const ok = await post(emailWithCallback('https://hooks.test/cb'));
    const bad = await post(emailWithCallback('https://internal.test/cb'));

    expect(ok.status).toBe(202);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { details: [{ path: 'callbackUrl' }] } });
  });

  it('answers within the lookup timeout when the name server never does (the worker checks later)', async () => {
    const post = await appResolvingWith(silent);
    const started = Date.now();

    const res = await post(emailWithCallback('https://stalled.test/cb'));

    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(silent.questions).toContain('stalled.test A');
  });
});
