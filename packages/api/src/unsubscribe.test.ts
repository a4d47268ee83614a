/** The unsubscribe routes' limits and absence, over the core fakes. */
import { randomBytes } from 'node:crypto';
import { FixedClock, InMemoryPreferenceStore, InMemoryRecipientStore } from '@herald/core/testing';
import { createUnsubscribeTokens } from '@herald/guards';
import { fixedTokens, startTestApp, type TestApp } from './testing';
import { UNSUBSCRIBE_BURST, UNSUBSCRIBE_RATE_PER_SECOND } from './unsubscribe-routes';

const tokens = createUnsubscribeTokens(randomBytes(32).toString('hex'));
const path = `/v1/unsubscribe/${tokens.sign({
  clientId: 'client-a',
  recipientId: 'alice',
  topicId: '0f8fad5b-d9cb-469f-a165-70867728950e',
})}`;
const verifier = fixedTokens({});
let app: TestApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('unsubscribe routes', () => {
  it('share one rate limit across every caller: 429 with Retry-After past the burst', async () => {
    const clock = new FixedClock();
    const preferences = new InMemoryPreferenceStore(new InMemoryRecipientStore());
    app = await startTestApp({
      verifier,
      clock,
      unsubscribe: { verify: (t) => tokens.verify(t), preferences, clock },
    });

    const statuses: number[] = [];
    for (let i = 0; i < UNSUBSCRIBE_BURST; i++) {
      statuses.push((await fetch(`${app.base}${path}`)).status);
    }
    const over = await fetch(`${app.base}/v1/unsubscribe/forged`);
    clock.advance(1000 / UNSUBSCRIBE_RATE_PER_SECOND);
    const refilled = await fetch(`${app.base}${path}`);

    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('1');
    expect(refilled.status).toBe(200);
  });

  it('do not exist without a link secret', async () => {
    app = await startTestApp({ verifier });

    const res = await fetch(`${app.base}${path}`);

    expect(res.status).toBe(404);
  });
});
