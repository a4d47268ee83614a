/**
 * Test support for the DynamoNotificationStore suites (`store/dynamo-notification-store-*`): a
 * record to store, and the claim and completion a worker makes.
 */
import type { NotificationRecord, NotificationStore } from '@herald/core';
import { aPendingRecord, anEmailRequest } from '@herald/core/testing';
import { at, useDynalite } from './testing-dynalite';

/** A Pending email record created at T0 to two recipients, with non-ASCII metadata. */
export function aRecord(overrides: Partial<NotificationRecord> = {}): NotificationRecord {
  return aPendingRecord({
    createdAt: at(0),
    request: anEmailRequest({ to: ['ada@example.com', 'bob@example.com'], metadata: { k: 'é ✓' } }),
    ...overrides,
  });
}

/** The claim `owner` makes at second `now`, leasing it for `leaseSeconds`. */
export const claimBy = (owner: string, now: number, leaseSeconds = 60) => ({
  owner,
  now: at(now),
  leaseUntil: at(now + leaseSeconds),
  event: { at: at(now), type: 'attempt_started' as const },
});

/** `owner` completes the notification as Delivered by smtp at second `now`. */
export const delivered = (owner: string, now: number) => ({
  owner,
  now: at(now),
  outcome: { status: 'Delivered' as const, provider: 'smtp', providerMessageId: `<${owner}@x>` },
  event: { at: at(now), type: 'provider_accepted' as const, detail: { provider: 'smtp' } },
});

/** The store of the current test file; valid inside its tests and later `beforeAll` hooks. */
export interface DynaliteStore {
  /** One store shared by the file's tests, on a table of its own. */
  readonly store: NotificationStore;
  /** A store on its own new table, so index-wide reads see only this test's items. */
  freshStore(): Promise<NotificationStore>;
}

/** Registers hooks that start the emulators and make the file's shared store (see useDynalite). */
export function useDynaliteStore(): DynaliteStore {
  const dynalite = useDynalite();
  let store: NotificationStore;
  const freshStore = async () => (await dynalite.freshTable('store')).store;

  beforeAll(async () => {
    store = await freshStore();
  });

  return {
    get store() {
      return store;
    },
    freshStore,
  };
}
