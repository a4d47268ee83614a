import type { NotificationRecord } from './notification';
import { aPendingRecord, type FixedClock, type InMemoryNotificationStore } from './testing';

/** Stores a Pending record and claims it as `w1`, as the use case does before these units run. */
export async function aClaimedRecord(
  store: InMemoryNotificationStore,
  clock: FixedClock,
  overrides: Partial<NotificationRecord> = {},
): Promise<NotificationRecord> {
  const record = aPendingRecord(overrides);
  const now = clock.now();
  await store.create(record, now.toISOString());
  const claim = await store.claim(record.id, {
    owner: 'w1',
    now: now.toISOString(),
    leaseUntil: new Date(now.getTime() + 60_000).toISOString(),
    event: { at: now.toISOString(), type: 'attempt_started' },
  });
  if (claim.kind !== 'claimed') throw new Error(`fixture: claim ended ${claim.kind}`);
  return claim.record;
}
