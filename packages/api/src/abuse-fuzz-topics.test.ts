/**
 * Property-based fuzzing of the topic and subscription routes over real HTTP: whatever the path
 * ids, query, headers or body, the answer is below 500 with the shared error shape, and a
 * rejected write stores nothing.
 */
import fc from 'fast-check';
import { useAudienceApp } from './testing-audience';

const audience = useAudienceApp();
const { call } = audience;

const topicLike = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 250 }), fc.constant(null), fc.integer()),
    description: fc.oneof(fc.string({ maxLength: 2100 }), fc.constant(null)),
  },
  { requiredKeys: [] },
);
const channelsLike = fc.record(
  { channels: fc.oneof(fc.array(fc.constantFrom('email', 'sms', 'push', 'fax')), fc.jsonValue()) },
  { requiredKeys: [] },
);
const pathPart = fc.oneof(
  fc.uuid(),
  fc.stringMatching(/^[A-Za-z0-9._:@-]{1,128}$/),
  fc.string({ minLength: 1, maxLength: 200 }),
);

async function expectWellFormed(res: Response): Promise<void> {
  expect(res.status).toBeLessThan(500);
  if (res.status < 400) return;
  const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code).toBe('string');
  expect(typeof body.error?.message).toBe('string');
}

async function makeTopic(): Promise<string> {
  const res = await call('POST', '/v1/topics', { body: { name: 'fuzz' } });
  return ((await res.json()) as { id: string }).id;
}

describe('the topic routes under fuzzed input', () => {
  it('answer POST and PATCH with 2xx or a well-formed 4xx, storing nothing on rejection', async () => {
    const id = await makeTopic();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(topicLike, fc.jsonValue()),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        async (body, match) => {
          const count = audience.app.topics.topics.size;
          const before = JSON.stringify(await audience.app.topics.getTopic('client-a', id));

          const created = await call('POST', '/v1/topics', { body });
          const patched = await call('PATCH', `/v1/topics/${id}`, {
            body,
            headers: match === undefined ? {} : { 'if-match': match },
          });

          await expectWellFormed(created);
          await expectWellFormed(patched);
          const after = JSON.stringify(await audience.app.topics.getTopic('client-a', id));
          expect(audience.app.topics.topics.size).toBe(created.status < 400 ? count + 1 : count);
          expect(patched.status < 400 || after === before).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('answer subscriber writes and every list with 2xx or a well-formed 4xx', async () => {
    const id = await makeTopic();
    await call('PUT', '/v1/recipients/alice', { body: {} });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(id), pathPart),
        fc.oneof(fc.constant('alice'), pathPart),
        fc.oneof(channelsLike, fc.jsonValue()),
        fc.string({ maxLength: 600 }),
        fc.oneof(fc.integer({ min: -5, max: 500 }).map(String), fc.string({ maxLength: 5 })),
        async (topicId, recipientId, body, cursor, limit) => {
          const path = `/v1/topics/${encodeURIComponent(topicId)}`;
          const subscriber = `${path}/subscribers/${encodeURIComponent(recipientId)}`;
          const query = `?cursor=${encodeURIComponent(cursor)}&limit=${encodeURIComponent(limit)}`;
          const before = audience.app.topics.subscriptions.size;

          const put = await call('PUT', subscriber, { body });
          await expectWellFormed(put);
          const size = audience.app.topics.subscriptions.size;
          expect(put.status < 400 || size === before).toBe(true);
          await expectWellFormed(await call('GET', `${path}/subscribers${query}`));
          await expectWellFormed(await call('GET', `/v1/topics${query}`));
          const mine = `/v1/recipients/${encodeURIComponent(recipientId)}/subscriptions${query}`;
          await expectWellFormed(await call('GET', mine));
          await expectWellFormed(await call('DELETE', subscriber));
        },
      ),
      { numRuns: 100 },
    );
  });
});
