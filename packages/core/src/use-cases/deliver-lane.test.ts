import { ProviderError } from '../errors';
import type { NotificationStore } from '../ports';
import {
  aDeliverDeps,
  aPendingRecord,
  FixedClock,
  InMemoryNotificationStore,
  RecordingProvider,
} from '../testing';
import { createDeliverNotification } from './deliver-notification';

/**
 * The worker's writes that keep a notification Pending name its lane, so the DynamoDB store
 * keeps a topic child in the bulk lane's sweep (aws/src/store/dynamo-sweep-lanes.int.test.ts).
 */
describe('deliverNotification, lanes', () => {
  function setup() {
    const store = new InMemoryNotificationStore();
    const lanes: { write: string; lane: unknown }[] = [];
    const spy: NotificationStore = Object.create(store) as NotificationStore;
    spy.scheduleRetry = (id, r) => {
      lanes.push({ write: 'retry', lane: r.lane });
      return store.scheduleRetry(id, r);
    };
    spy.complete = (id, c) => {
      lanes.push({ write: c.outcome.status, lane: c.lane });
      return store.complete(id, c);
    };
    const clock = new FixedClock();
    const email = new RecordingProvider('email', 'smtp');
    const deliver = createDeliverNotification(aDeliverDeps(spy, clock, { email: [email] }));
    return { store, email, deliver, lanes };
  }

  it('a retry or a receipt wait of a bulk child names the bulk lane; a direct send none', async () => {
    const { store, email, deliver, lanes } = setup();
    const child = aPendingRecord({ lane: 'bulk' });
    await store.create(child, '2026-01-01T00:01:00.000Z');
    email.behaviour = () => Promise.reject(new ProviderError('smtp', true, 'busy'));
    await deliver(child.id);
    const direct = aPendingRecord();
    await store.create(direct, '2026-01-01T00:01:00.000Z');
    await deliver(direct.id);
    const other = aPendingRecord({ lane: 'bulk' });
    await store.create(other, '2026-01-01T00:01:00.000Z');
    email.behaviour = () => Promise.resolve({ providerMessageId: 'm1', awaitingReceipt: true });
    await deliver(other.id);

    expect(lanes).toEqual([
      { write: 'retry', lane: 'bulk' },
      { write: 'retry', lane: undefined },
      { write: 'Pending', lane: 'bulk' },
    ]);
  });
});
