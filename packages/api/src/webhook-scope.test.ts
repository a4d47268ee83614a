import { InMemoryClientSettings } from '@herald/core/testing';
import { fixedTokens, startTestApp, type TestApp } from './testing';

const verifier = fixedTokens({
  'a.a.a': { clientId: 'client-a', scopes: ['notifications:send'] },
  'b.b.b': { clientId: 'client-b', scopes: ['notifications:send'] },
});

let app: TestApp;
let settings: InMemoryClientSettings;

beforeEach(async () => {
  settings = new InMemoryClientSettings();
  settings.set('client-a', { allowedSlackWebhooks: ['ops'] });
  app = await startTestApp({ verifier, clientSettings: settings });
});

afterEach(async () => {
  await app.close();
});

function postSlack(token: string, webhook: string) {
  return fetch(`${app.base}/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'slack', to: { webhook }, text: 'Deploy finished' }),
  });
}

describe('named Slack webhooks on POST /v1/notifications', () => {
  it('accepts a webhook name the client is allowed to use', async () => {
    const res = await postSlack('a.a.a', 'ops');

    expect(res.status).toBe(202);
    expect(app.store.records.size).toBe(1);
  });

  it('answers 400 to a client whose settings do not allow the name, and stores nothing', async () => {
    const res = await postSlack('b.b.b', 'ops');

    expect(res.status).toBe(400);
    expect(app.store.records.size).toBe(0);
  });

  it('answers an allowed-to-someone name and an unknown name with the same body', async () => {
    const known = await postSlack('b.b.b', 'ops');
    const unknown = await postSlack('b.b.b', 'no-such-hook');
    const notAllowedForA = await postSlack('a.a.a', 'no-such-hook');

    const bodies = await Promise.all([known.json(), unknown.json(), notAllowedForA.json()]);
    expect([known.status, unknown.status, notAllowedForA.status]).toEqual([400, 400, 400]);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(bodies[0]).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'to.webhook is not a webhook this client may use',
        details: [{ path: 'to.webhook', message: 'is not a webhook this client may use' }],
      },
    });
  });

  it('sees a newly allowed name (the app reads settings through the reader it is given)', async () => {
    const before = await postSlack('b.b.b', 'ops');
    settings.set('client-b', { allowedSlackWebhooks: ['ops'] });

    const after = await postSlack('b.b.b', 'ops');

    expect(before.status).toBe(400);
    expect(after.status).toBe(202);
  });

  it('does not check webhook URLs against the allow-list', async () => {
    const res = await fetch(`${app.base}/v1/notifications`, {
      method: 'POST',
      headers: { authorization: 'Bearer b.b.b', 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'slack',
        to: { webhookUrl: 'https://hooks.slack.com/services/T0/B0/x' },
        text: 'Hi',
      }),
    });

    expect(res.status).toBe(202);
  });
});
