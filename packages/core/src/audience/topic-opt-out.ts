import { AppError } from '../errors';
import type { Channel } from '../schemas/notification-request';
import type { PreferenceStore } from './preference-store';
import { MAX_TOPIC_PREFERENCES, type RecipientPreferences } from './recipient-preferences';

/** Writes that lost a race with another write are read and merged again this many times. */
const TRIES = 5;

/** How an opt-out ended: stored (or already there), or the recipient no longer exists. */
export type TopicOptOutResult = 'opted_out' | 'no_recipient';

/**
 * Opts a recipient out of one channel of one topic (`topics.<topicId>.<channel> = false`),
 * keeping every other preference: reads the preferences, merges, and writes on condition that
 * they are still the version read, reading and merging again when another write came between
 * (a few times, then `CONFLICT`). Idempotent: already opted out → no write. A recipient that
 * does not exist (erased) → `no_recipient`, and nothing is written for it. When the topic
 * choices are full ({@link MAX_TOPIC_PREFERENCES}), topics whose choices opt out of nothing are
 * dropped to make room (they mean the same as no entry); if none can go, `CONFLICT`.
 */
export async function optOutOfTopicChannel(
  store: PreferenceStore,
  p: { clientId: string; recipientId: string; topicId: string; channel: Channel; now: string },
): Promise<TopicOptOutResult> {
  for (let i = 0; i < TRIES; i++) {
    const current = await store.getPreferences(p.clientId, p.recipientId);
    if (current === undefined) return 'no_recipient';
    if (current.preferences.topics?.[p.topicId]?.[p.channel] === false) return 'opted_out';
    const preferences = withOptOut(current.preferences, p.topicId, p.channel);
    try {
      await store.putPreferences({
        clientId: p.clientId,
        recipientId: p.recipientId,
        preferences,
        precondition: { kind: 'version', version: current.version },
        now: p.now,
      });
      return 'opted_out';
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return 'no_recipient';
      if (!(err instanceof AppError && err.code === 'PRECONDITION_FAILED')) throw err;
    }
  }
  throw new AppError('CONFLICT', 'The preferences are being changed concurrently; try again');
}

function withOptOut(
  prefs: RecipientPreferences,
  topicId: string,
  channel: Channel,
): RecipientPreferences {
  const topics = { ...prefs.topics };
  if (!(topicId in topics) && Object.keys(topics).length >= MAX_TOPIC_PREFERENCES) {
    for (const [id, choices] of Object.entries(topics)) {
      if (!Object.values(choices).includes(false)) delete topics[id];
    }
    if (Object.keys(topics).length >= MAX_TOPIC_PREFERENCES) {
      throw new AppError(
        'CONFLICT',
        `The recipient already has choices for ${MAX_TOPIC_PREFERENCES} topics`,
      );
    }
  }
  topics[topicId] = { ...topics[topicId], [channel]: false };
  return { ...prefs, topics };
}
