import { silentLogger } from '../ports';
import { aPendingRecord, anSmsRequest, FixedClock, InMemoryNotificationStore } from '../testing';
import { createRecordReceipt } from './record-receipt';

function setup() {
  const store = new InMemoryNotificationStore();
  const clock = new FixedClock();
  const recordReceipt = createRecordReceipt({ store, clock, logger: silentLogger });
  return { store, clock, recordReceipt };
}

describe('recordReceipt', () => {
  it('parks replayed early receipts once per message id and outcome, and at most 10', async () => {
    const { store, clock, recordReceipt } = setup();
    const record = aPendingRecord({ channel: 'sms', request: anSmsRequest() });
    await store.create(record, clock.now().toISOString());

    for (let i = 0; i < 1_000; i++) {
      clock.advance(1_000);
      await recordReceipt({
        notificationId: record.id,
        provider: 'twilio',
        providerMessageId: `SM-early-${i % 40}`,
        outcome: i % 2 === 0 ? 'delivered' : 'failed',
        providerStatus: i % 2 === 0 ? 'delivered' : 'undelivered',
      });
    }

    const parked = store.records.get(record.id)?.parkedReceipts ?? [];
    const keys = parked.map((p) => `${p.providerMessageId}|${p.outcome.status}`);
    expect(parked.length).toBeGreaterThan(0);
    expect(parked.length).toBeLessThanOrEqual(10);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
