import { silentLogger } from '../ports';
import {
  aPendingRecord,
  anSmsRequest,
  FixedClock,
  InMemoryNotificationStore,
  InMemorySuppressionList,
} from '../testing';
import { createRecordReceipt } from './record-receipt';

async function setup() {
  const store = new InMemoryNotificationStore();
  const clock = new FixedClock();
  const suppressions = new InMemorySuppressionList();
  const recordReceipt = createRecordReceipt({ store, clock, logger: silentLogger, suppressions });
  const record = aPendingRecord({
    clientId: 'c1',
    channel: 'sms',
    request: anSmsRequest(),
    provider: 'twilio',
    providerMessageId: 'SM1',
  });
  await store.create(record, clock.now().toISOString());
  const receipt = (code: 'recipient_opted_out' | 'recipient_invalid') =>
    recordReceipt({
      notificationId: record.id,
      provider: 'twilio',
      providerMessageId: 'SM1',
      outcome: 'failed',
      reason: { code, message: 'twilio said so' },
      providerStatus: 'undelivered',
    });
  return { record, suppressions, receipt };
}

describe('a receipt that refuses the recipient', () => {
  it('adds the number to the client’s suppression list when it says opted out (21610)', async () => {
    const { record, suppressions, receipt } = await setup();
    expect(await receipt('recipient_opted_out')).toBe(true);
    expect((await suppressions.list('c1')).items).toEqual([
      {
        address: `sms:${anSmsRequest().to}`,
        reason: 'opted_out',
        notificationId: record.id,
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    ]);
  });

  it('adds nothing for another refusal', async () => {
    const { suppressions, receipt } = await setup();
    await receipt('recipient_invalid');
    expect((await suppressions.list('c1')).items).toEqual([]);
  });
});
