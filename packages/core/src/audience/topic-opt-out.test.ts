import { AppError } from '../errors';
import { InMemoryPreferenceStore, InMemoryRecipientStore } from '../testing';
import type { PreferenceStore } from './preference-store';
import { MAX_TOPIC_PREFERENCES } from './recipient-preferences';
import { optOutOfTopicChannel } from './topic-opt-out';

const topicId = '6f1c2f4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f';
const other = '0b7c9d3e-1f2a-4b3c-8d4e-5f6a7b8c9d0e';
const now = '2026-01-01T00:00:00.000Z';
const optOut = { clientId: 'acme', recipientId: 'alice', topicId, channel: 'email', now } as const;

async function storeWithAlice() {
  const recipients = new InMemoryRecipientStore();
  await recipients.putProfile({
    clientId: 'acme',
    recipientId: 'alice',
    profile: { email: 'alice@example.com' },
    precondition: { kind: 'none' },
    now,
  });
  return new InMemoryPreferenceStore(recipients);
}

describe('optOutOfTopicChannel', () => {
  it("sets the topic's channel to false and keeps every other choice", async () => {
    const store = await storeWithAlice();
    const preferences = {
      channels: { sms: false },
      topics: { [topicId]: { push: false }, [other]: { email: false } },
      quietHours: { start: '22:00', end: '07:00' },
    };
    await store.putPreferences({ ...optOut, preferences, precondition: { kind: 'none' } });

    expect(await optOutOfTopicChannel(store, optOut)).toBe('opted_out');

    expect((await store.getPreferences('acme', 'alice'))?.preferences).toEqual({
      ...preferences,
      topics: { [topicId]: { push: false, email: false }, [other]: { email: false } },
    });
  });

  it('writes nothing when already opted out', async () => {
    const store = await storeWithAlice();
    await optOutOfTopicChannel(store, optOut);
    const before = await store.getPreferences('acme', 'alice');

    expect(await optOutOfTopicChannel(store, optOut)).toBe('opted_out');

    expect(await store.getPreferences('acme', 'alice')).toEqual(before);
  });

  it('stores nothing for a recipient that does not exist, or of another client', async () => {
    const store = await storeWithAlice();

    expect(await optOutOfTopicChannel(store, { ...optOut, recipientId: 'bob' })).toBe(
      'no_recipient',
    );
    expect(await optOutOfTopicChannel(store, { ...optOut, clientId: 'evil' })).toBe('no_recipient');
    expect(store.stored.size).toBe(0);
  });

  it('merges again when another write came between its read and its write', async () => {
    const store = await storeWithAlice();
    let raced = false;
    const racing: PreferenceStore = {
      getPreferences: (c, r) => store.getPreferences(c, r),
      async putPreferences(p) {
        if (!raced) {
          raced = true;
          const preferences = { channels: { sms: false } };
          await store.putPreferences({ ...p, preferences, precondition: { kind: 'none' } });
        }
        return store.putPreferences(p);
      },
    };

    expect(await optOutOfTopicChannel(racing, optOut)).toBe('opted_out');

    expect((await store.getPreferences('acme', 'alice'))?.preferences).toEqual({
      channels: { sms: false },
      topics: { [topicId]: { email: false } },
    });
  });

  it('gives up with CONFLICT when it keeps losing the race', async () => {
    const store = await storeWithAlice();
    const losing: PreferenceStore = {
      getPreferences: (c, r) => store.getPreferences(c, r),
      putPreferences: () => Promise.reject(new AppError('PRECONDITION_FAILED', 'changed')),
    };

    await expect(optOutOfTopicChannel(losing, optOut)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('makes room among full topic choices by dropping ones that opt out of nothing', async () => {
    const store = await storeWithAlice();
    const topics = Object.fromEntries(
      Array.from({ length: MAX_TOPIC_PREFERENCES }, (_, i) => [
        `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        i === 0 ? { email: true } : { sms: false },
      ]),
    );
    await store.putPreferences({
      ...optOut,
      preferences: { topics },
      precondition: { kind: 'none' },
    });

    expect(await optOutOfTopicChannel(store, optOut)).toBe('opted_out');

    const after = (await store.getPreferences('acme', 'alice'))?.preferences.topics ?? {};
    expect(Object.keys(after)).toHaveLength(MAX_TOPIC_PREFERENCES);
    expect(after[topicId]).toEqual({ email: false });
    expect(after['00000000-0000-4000-8000-000000000000']).toBeUndefined();
  });
});
