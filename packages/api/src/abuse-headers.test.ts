import {
  anEmailRequest,
  anSmsRequest,
  type InMemoryNotificationStore,
  type InMemoryQueue,
} from '@herald/core/testing';
import { fixedTokens, startTestApp, type TestApp } from './testing';

/** Header injection (CR/LF) and oversized or malformed fields: 400 with paths, nothing stored. */

const TOKEN = 'a.a.a';
const verifier = fixedTokens({
  [TOKEN]: { clientId: 'client-a', scopes: ['notifications:send', 'notifications:read'] },
});

let app: TestApp;
let base: string;
let store: InMemoryNotificationStore;
let queue: InMemoryQueue;

beforeEach(async () => {
  app = await startTestApp({ verifier });
  ({ base, store, queue } = app);
});

afterEach(async () => {
  await app.close();
});

interface ErrorReply {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

function post(body: unknown) {
  return fetch(`${base}/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const addresses = (n: number, prefix = 'u') =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com`);
const INJECTED = 'ada@example.com\r\nBcc: evil@example.com';

describe('POST /v1/notifications against header injection and oversized fields', () => {
  it.each<[string, unknown, string]>([
    ['CR/LF in the subject', anEmailRequest({ subject: 'Hi\r\nBcc: evil@example.com' }), 'subject'],
    ['a bare LF in the subject', anEmailRequest({ subject: 'Hi\nX-Evil: 1' }), 'subject'],
    ['a bare CR in the subject', anEmailRequest({ subject: 'Hi\rX-Evil: 1' }), 'subject'],
    ['CR/LF in a single to address', anEmailRequest({ to: INJECTED }), 'to'],
    [
      'CR/LF in one address of a to list',
      anEmailRequest({ to: ['ok@example.com', INJECTED] }),
      'to[1]',
    ],
    ['CR/LF in cc', anEmailRequest({ cc: INJECTED }), 'cc'],
    ['CR/LF in a bcc list', anEmailRequest({ bcc: [INJECTED] }), 'bcc[0]'],
    ['CR/LF in replyTo', anEmailRequest({ replyTo: INJECTED }), 'replyTo'],
    ['a subject of 999 characters', anEmailRequest({ subject: 's'.repeat(999) }), 'subject'],
    ['a text of 200,001 characters', anEmailRequest({ text: 't'.repeat(200_001) }), 'text'],
    ['an html of 200,001 characters', anEmailRequest({ html: 'h'.repeat(200_001) }), 'html'],
    ['51 addresses in to', anEmailRequest({ to: addresses(51) }), 'to'],
    [
      '51 recipients across to, cc and bcc',
      anEmailRequest({ to: addresses(30), cc: addresses(20, 'c'), bcc: 'b@example.com' }),
      'to',
    ],
    [
      '21 metadata keys',
      anEmailRequest({
        metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])),
      }),
      'metadata',
    ],
    [
      'a metadata value over 1024 characters',
      anSmsRequest({ metadata: { k: 'v'.repeat(1025) } }),
      'metadata.k',
    ],
    ['an sms number with spaces', anSmsRequest({ to: '+44 7700 900123' }), 'to'],
    ['an sms number without the plus', anSmsRequest({ to: '447700900123' }), 'to'],
    ['an sms number with letters', anSmsRequest({ to: '+44770090012a' }), 'to'],
    ['an sms number of 16 digits', anSmsRequest({ to: '+1234567890123456' }), 'to'],
    ['an sms number of 7 digits', anSmsRequest({ to: '+1234567' }), 'to'],
    ['an sms number starting with 0', anSmsRequest({ to: '+0447700900123' }), 'to'],
    ['an sms number with a trailing LF', anSmsRequest({ to: '+447700900123\n' }), 'to'],
    ['an sms number with CR/LF inside', anSmsRequest({ to: '+4477\r\n00900123' }), 'to'],
    ['an sms number in full-width digits', anSmsRequest({ to: '+４４7700900123' }), 'to'],
    ['an sms number in no country (+999)', anSmsRequest({ to: '+99912345678' }), 'to'],
    ['a US number missing its area code', anSmsRequest({ to: '+15550100' }), 'to'],
    [
      'a US number in area code 555, which does not exist',
      anSmsRequest({ to: '+15555550100' }),
      'to',
    ],
    ['a UK mobile one digit short', anSmsRequest({ to: '+44740012345' }), 'to'],
    ['a UK mobile one digit long', anSmsRequest({ to: '+4474001234567' }), 'to'],
    ['a UK number in the range kept for drama', anSmsRequest({ to: '+447700900123' }), 'to'],
    [
      'an impossible whatsapp number',
      { channel: 'whatsapp', to: '+99912345678', body: 'Hello' },
      'to',
    ],
    [
      'a whatsapp number without the plus',
      { channel: 'whatsapp', to: '14155550100', body: 'Hello' },
      'to',
    ],
  ])(
    'answers %s with 400 VALIDATION_FAILED naming the path, and stores nothing',
    async (_n, body, path) => {
      const res = await post(body);

      const reply = (await res.json()) as ErrorReply;
      expect(res.status).toBe(400);
      expect(reply.error.code).toBe('VALIDATION_FAILED');
      expect(reply.error.details?.map((d) => d.path)).toContain(path);
      expect(store.records.size).toBe(0);
      expect(queue.sent).toEqual([]);
    },
  );

  it('accepts the limits themselves: a 998-character subject, 50 recipients, 20 metadata keys', async () => {
    const res = await post(
      anEmailRequest({
        subject: 's'.repeat(998),
        to: addresses(25),
        cc: addresses(24, 'c'),
        bcc: 'b@example.com',
        text: 't'.repeat(200_000),
        metadata: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'])),
      }),
    );

    expect(res.status).toBe(202);
    expect(store.records.size).toBe(1);
  });

  it.each([
    ['a UK mobile', '+447400123456'],
    ['a US number', '+12015550123'],
    ["Twilio's magic test number", '+15005550006'],
    ['a German mobile', '+4915123456789'],
  ])('accepts %s that exists in its numbering plan', async (_n, to) => {
    const sms = await post(anSmsRequest({ to }));
    const whatsapp = await post({ channel: 'whatsapp', to, body: 'Hello' });

    expect([sms.status, whatsapp.status]).toEqual([202, 202]);
  });

  it('stores CR/LF in metadata verbatim, since metadata never becomes a header', async () => {
    // No provider or worker reads `metadata`; it is returned to the client and nothing else.
    const metadata = { 'line\r\nbreak': 'X-Evil: 1\r\n\r\nbody' };

    const res = await post(anSmsRequest({ metadata }));

    const { id } = (await res.json()) as { id: string };
    expect(res.status).toBe(202);
    expect(store.records.get(id)?.request.metadata).toEqual(metadata);
  });

  it('answers a push body nested 100,000 levels deep with 400 instead of overflowing the stack', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const body = `{"channel":"push","to":{"webPush":{"endpoint":"https://push.example.com/a","keys":{"p256dh":"k","auth":"a"}}},"title":"t","body":"b","data":{"d":${deep}}}`;

    const res = await fetch(`${base}/v1/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body,
    });

    const reply = (await res.json()) as ErrorReply;
    expect(res.status).toBe(400);
    expect(reply.error.code).toBe('VALIDATION_FAILED');
    expect(store.records.size).toBe(0);
  });

  it('accepts push data nested 60 levels deep', async () => {
    const deep = '['.repeat(60) + ']'.repeat(60);
    const body = `{"channel":"push","to":{"webPush":{"endpoint":"https://push.example.com/a","keys":{"p256dh":"k","auth":"a"}}},"title":"t","body":"b","data":{"d":${deep}}}`;

    const res = await fetch(`${base}/v1/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body,
    });

    expect(res.status).toBe(202);
  });
});
