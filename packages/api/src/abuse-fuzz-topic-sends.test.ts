/**
 * Property-based fuzzing of the topic send and Alertmanager routes over real HTTP: whatever the
 * topic id, query, headers or body, the answer is below 500 with the shared error shape, and a
 * rejected request never reaches the accept use case.
 */
import { topicNotificationRequestSchema, type AcceptTopicInput } from '@herald/core';
import { InMemoryRecipientStore, InMemoryTopicStore } from '@herald/core/testing';
import fc from 'fast-check';
import { aPayload, anAlert } from './testing-alertmanager';
import { fixedTokens, startTestApp, type TestApp } from './testing';
import { recordingAccept } from './testing-topic-accept';

const verifier = fixedTokens({
  'a.a.a': { clientId: 'client-a', scopes: ['notifications:send', 'audience:write'] },
});
let app: TestApp;
let topicId: string;
const calls: AcceptTopicInput[] = [];

beforeEach(async () => {
  calls.length = 0;
  const recipients = new InMemoryRecipientStore();
  const topics = new InMemoryTopicStore(recipients);
  app = await startTestApp({
    verifier,
    acceptTopicNotification: recordingAccept(topics, calls),
    topics,
    recipients,
  });
  const topic = await app.topics.createTopic({
    clientId: 'client-a',
    topicId: crypto.randomUUID(),
    name: 'fuzz',
    now: '2026-01-01T00:00:00.000Z',
  });
  topicId = topic.topicId;
});

afterEach(async () => {
  await app.close();
});

const sendLike = fc.record(
  {
    title: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null)),
    body: fc.oneof(fc.string({ maxLength: 50 }), fc.jsonValue()),
    url: fc.oneof(fc.webUrl(), fc.string({ maxLength: 30 }), fc.constant('javascript:x')),
    channels: fc.oneof(fc.array(fc.constantFrom('email', 'push', 'fax', 'sms')), fc.jsonValue()),
    data: fc.jsonValue(),
    overrides: fc.jsonValue(),
    critical: fc.jsonValue(),
    sendAt: fc.oneof(
      fc.date().map((d) => (isNaN(d.getTime()) ? 'x' : d.toISOString())),
      fc.string(),
    ),
  },
  { requiredKeys: [] },
);
const alertLike = fc.record(
  {
    status: fc.constantFrom('firing', 'resolved', 'pending', 1),
    labels: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()),
    annotations: fc.jsonValue(),
    startsAt: fc.oneof(fc.constant('2026-01-01T00:00:00Z'), fc.string()),
    fingerprint: fc.oneof(fc.stringMatching(/^[0-9a-f]{1,16}$/), fc.jsonValue()),
    generatorURL: fc.oneof(fc.webUrl(), fc.string()),
  },
  { requiredKeys: [] },
);
const payloadLike = fc.oneof(
  fc.jsonValue(),
  fc.array(alertLike, { maxLength: 5 }).map((alerts) => aPayload(alerts)),
  fc
    .record(
      { externalURL: fc.string(), groupKey: fc.jsonValue(), version: fc.jsonValue() },
      {
        requiredKeys: [],
      },
    )
    .map((o) => ({ ...aPayload([anAlert()]), ...o })),
);
const topicPart = fc.oneof(
  fc.constant('TOPIC'),
  fc.uuid(),
  fc.string({ minLength: 1, maxLength: 80 }),
);

async function expectWellFormed(res: Response): Promise<void> {
  expect(res.status).toBeLessThan(500);
  if (res.status < 400) return;
  const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code).toBe('string');
  expect(typeof body.error?.message).toBe('string');
}

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${app.base}${path}`, {
    method: 'POST',
    headers: { authorization: 'Bearer a.a.a', 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('the topic send routes under fuzzed input', () => {
  it('answer POST …/notifications with 202 or a well-formed 4xx; a 400 accepts nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        topicPart,
        fc.oneof(sendLike, fc.jsonValue()),
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        async (part, body, key) => {
          const id = part === 'TOPIC' ? topicId : encodeURIComponent(part);
          const before = calls.length;
          let res: Response;
          try {
            res = await post(
              `/v1/topics/${id}/notifications`,
              body,
              key === undefined ? {} : { 'idempotency-key': key },
            );
          } catch {
            return; // fetch refused a header value it cannot send: nothing reached the api
          }
          await expectWellFormed(res);
          expect(res.status !== 400 || calls.length === before).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('answer POST …/alertmanager with 2xx or a well-formed 4xx; a 400 accepts nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        topicPart,
        payloadLike,
        fc.string({ maxLength: 40 }),
        async (part, body, query) => {
          const id = part === 'TOPIC' ? topicId : encodeURIComponent(part);
          const before = calls.length;
          const res = await post(`/v1/topics/${id}/alertmanager?${encodeURI(query)}`, body);
          await expectWellFormed(res);
          // Whatever the payload, only a valid topic send reaches the use case.
          const sent = calls.slice(before).map((c) => c.request);
          expect(sent.every((r) => topicNotificationRequestSchema.safeParse(r).success)).toBe(true);
          expect(res.status !== 400 || calls.length === before).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
