import type { InMemoryNotificationStore } from '@herald/core/testing';
import { fixedTokens, startTestApp, type TestApp } from './testing';
import { createUrlPolicy, type UrlChecker } from './url-policy';

/**
 * Link fields (push `url`, `callbackUrl`, Slack `webhookUrl`, web push endpoints) take only
 * https, or http in local mode: a `javascript:` push url would run in the recipient's browser.
 */

const TOKEN = 'a.a.a';
const verifier = fixedTokens({ [TOKEN]: { clientId: 'client-a', scopes: ['notifications:send'] } });
/** Lets every URL it is asked about through: these tests are about schemes, not addresses. */
const anyAddress: UrlChecker = { check: () => Promise.resolve() };

let app: TestApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(local: boolean): Promise<{ base: string; store: InMemoryNotificationStore }> {
  app = await startTestApp({
    verifier,
    checkUrls: createUrlPolicy(anyAddress, { allowHttpLinks: local }),
  });
  return app;
}

interface ErrorReply {
  error: { code: string; details?: { path: string; message: string }[] };
}

function post(base: string, body: unknown) {
  return fetch(`${base}/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const webPush = { endpoint: 'https://push.example.com/a', keys: { p256dh: 'k', auth: 'a' } };
const aPush = (url: string) => ({
  channel: 'push',
  to: { webPush },
  title: 't',
  body: 'b',
  url,
});
const aSlack = (webhookUrl: string) => ({ channel: 'slack', to: { webhookUrl }, text: 't' });
const anSms = (callbackUrl: string) => ({
  channel: 'sms',
  to: '+447400123456',
  body: 'b',
  callbackUrl,
});

const BAD_SCHEMES = [
  'javascript:alert(1)',
  'JavaScript:alert(document.cookie)//https://app.example.com',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'file:///etc/passwd',
  'vbscript:msgbox(1)',
  'ftp://files.example.com/x',
];

describe('link fields on POST /v1/notifications', () => {
  it.each([
    ...BAD_SCHEMES.map((url) => [`push url ${url}`, aPush(url), 'url'] as const),
    ...BAD_SCHEMES.map((url) => [`callbackUrl ${url}`, anSms(url), 'callbackUrl'] as const),
    ...BAD_SCHEMES.map((url) => [`webhookUrl ${url}`, aSlack(url), 'to.webhookUrl'] as const),
  ])('answers %s with 400 on its path, in local mode too', async (_n, body, path) => {
    for (const local of [false, true]) {
      const { base, store } = await serve(local);

      const res = await post(base, body);

      const reply = (await res.json()) as ErrorReply;
      expect(res.status).toBe(400);
      expect(reply.error.code).toBe('VALIDATION_FAILED');
      expect(reply.error.details?.map((d) => d.path)).toContain(path);
      expect(store.records.size).toBe(0);
      await app?.close();
      app = undefined;
    }
  });

  it('answers an http push url with 400 outside local mode', async () => {
    const { base, store } = await serve(false);

    const res = await post(base, aPush('http://app.example.com/inbox'));

    const reply = (await res.json()) as ErrorReply;
    expect(res.status).toBe(400);
    expect(reply.error.details).toEqual([{ path: 'url', message: 'must be an https URL' }]);
    expect(store.records.size).toBe(0);
  });

  it('accepts an http push url in local mode and an https one everywhere', async () => {
    const local = await serve(true);
    const httpLocal = await post(local.base, aPush('http://127.0.0.1:5173/inbox'));
    await app?.close();
    const remote = await serve(false);
    const httpsRemote = await post(remote.base, aPush('https://app.example.com/inbox'));

    expect([httpLocal.status, httpsRemote.status]).toEqual([202, 202]);
  });
});
