import { ProviderError } from '../errors';
import { silentLogger } from '../ports';
import { statusEventId } from '../status-event';
import {
  FixedClock,
  InMemoryDeadTargets,
  InMemoryNotificationStore,
  RecordingProvider,
  RecordingStatusPublisher,
} from '../testing';
import { aClaimedRecord } from '../testing-delivery';
import { createOutcomeWriter } from './outcome-writer';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function setup() {
  const store = new InMemoryNotificationStore();
  const clock = new FixedClock();
  const events = new RecordingStatusPublisher();
  const deadTargets = new InMemoryDeadTargets();
  const writer = createOutcomeWriter({
    store,
    clock,
    logger: silentLogger,
    workerId: 'w1',
    receiptTimeoutMs: 3_600_000,
    deadTargets,
    events,
  });
  return { store, clock, events, deadTargets, writer };
}

describe('outcome writer', () => {
  it('records Delivered with the failover trail, owes a status event and relays it', async () => {
    const { store, clock, events, writer } = setup();
    const record = await aClaimedRecord(store, clock);
    const earlier = new ProviderError('ses', true, 'down', { reasonCode: 'provider_unavailable' });

    const outcome = await writer.accepted(
      record,
      new RecordingProvider('email', 'smtp'),
      { providerMessageId: 'm-1' },
      [earlier],
    );

    const stored = store.records.get(record.id)!;
    expect(outcome).toEqual({ kind: 'done', status: 'Delivered' });
    expect(stored.status).toBe('Delivered');
    expect(stored.events.at(-1)).toEqual({
      at: new Date(T0).toISOString(),
      type: 'provider_accepted',
      detail: {
        provider: 'smtp',
        providerMessageId: 'm-1',
        failedOver: 'ses:provider_unavailable',
      },
    });
    expect(store.owed.get(record.id)?.eventId).toBe(statusEventId(record.id, 'Delivered'));
    expect(events.events.map((e) => e.status)).toEqual(['Delivered']);
  });

  it('keeps an accepted notification Pending until the receipt timeout when a receipt is awaited', async () => {
    const { store, clock, events, writer } = setup();
    const record = await aClaimedRecord(store, clock);

    const outcome = await writer.accepted(
      record,
      new RecordingProvider('email', 'smtp'),
      { providerMessageId: 'm-1', awaitingReceipt: true },
      [],
    );

    const stored = store.records.get(record.id)!;
    expect(outcome).toEqual({ kind: 'done', status: 'Pending' });
    expect(stored.awaitingReceiptUntil).toBe(new Date(T0 + 3_600_000).toISOString());
    expect(store.owed.has(record.id)).toBe(false);
    expect(events.events).toHaveLength(0);
  });

  it('applies a receipt that was parked before the provider message id was written', async () => {
    const { store, clock, events, writer } = setup();
    const record = await aClaimedRecord(store, clock);
    const at = new Date(T0).toISOString();
    await store.recordReceipt(record.id, {
      now: at,
      providerMessageId: 'm-1',
      outcome: { status: 'Delivered', provider: 'smtp', providerMessageId: 'm-1' },
      event: { at, type: 'delivered', detail: { provider: 'smtp' } },
    });

    const outcome = await writer.accepted(
      record,
      new RecordingProvider('email', 'smtp'),
      { providerMessageId: 'm-1', awaitingReceipt: true },
      [],
    );

    expect(outcome).toEqual({ kind: 'done', status: 'Delivered' });
    expect(store.records.get(record.id)!.status).toBe('Delivered');
    expect(events.events.map((e) => e.status)).toEqual(['Delivered']);
  });

  it('remembers a dead target when a provider refuses for good', async () => {
    const { store, clock, deadTargets, writer } = setup();
    const record = await aClaimedRecord(store, clock);
    const gone = new ProviderError('web-push', false, 'Subscription gone', {
      reasonCode: 'subscription_gone',
      deadTarget: true,
    });

    const outcome = await writer.refuseForGood(record, gone, 'target-1');

    expect(outcome).toEqual({ kind: 'done', status: 'Refused' });
    expect(deadTargets.dead.get('target-1')).toBe('subscription_gone');
    expect(store.records.get(record.id)!.reason).toEqual({
      code: 'subscription_gone',
      message: 'Subscription gone',
    });
  });

  it('writes nothing and relays nothing when the lease was lost', async () => {
    const { store, clock, events, writer } = setup();
    const record = await aClaimedRecord(store, clock);
    store.records.get(record.id)!.lease = {
      owner: 'w2',
      until: new Date(T0 + 60_000).toISOString(),
    };

    await writer.refuse(record, 'expired', 'Not sent before it expired');

    expect(store.records.get(record.id)!.status).toBe('Pending');
    expect(events.events).toHaveLength(0);
  });
});
