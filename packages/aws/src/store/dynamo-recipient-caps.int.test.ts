import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { startEmulatorsProcess } from '@herald/emulators';
import type { EmulatorsProcess } from '@herald/emulators';
import { createTestInfrastructure } from '../testing';
import type { TestInfrastructure } from '../testing';
import { createDynamoRecipientCaps } from './dynamo-recipient-caps';

describe('DynamoRecipientCaps (dynalite)', () => {
  let emulators: EmulatorsProcess;
  let infra: TestInfrastructure;
  const hour = 3_600_000;
  const now = new Date('2026-01-01T10:20:00.000Z');
  const sms = (number: string) => ({ channel: 'sms' as const, number });

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
    infra = await createTestInfrastructure(emulators, { prefix: 'caps' });
  });

  afterAll(async () => {
    infra?.destroy();
    await emulators?.stop();
  });

  const caps = (max = 10, allClientsMax = 100) =>
    createDynamoRecipientCaps({
      doc: infra.clients.doc,
      tableName: infra.tableName,
      max,
      allClientsMax,
      windowMs: hour,
    });

  it('lets exactly the cap through when 30 consume at once, across store instances', async () => {
    const stores = [caps(), caps(), caps()];
    const verdicts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => stores[i % 3]!.consume('c1', sms('+447400000001'), now)),
    );
    expect(verdicts.filter((v) => v.kind === 'ok')).toHaveLength(10);
    const capped = verdicts.find((v) => v.kind === 'capped');
    // 10:20 in a window of whole hours: 40 minutes left.
    expect(capped).toEqual({ kind: 'capped', retryAfterMs: 40 * 60_000 });
  });

  it("counts each client apart, under a cap across clients, and honours a client's override", async () => {
    const store = caps(2, 3);
    const number = sms('+447400000002');
    const results = [];
    for (const clientId of ['a', 'a', 'a', 'b', 'b']) {
      results.push((await store.consume(clientId, number, now)).kind);
    }
    // a: 2 (its cap), b: 1 (the fourth message overall would pass the all-clients cap of 3).
    expect(results).toEqual(['ok', 'ok', 'capped', 'ok', 'capped']);
    expect((await store.consume('c', sms('+447400000003'), now, 5)).kind).toBe('ok');
    // WhatsApp to the same number is another counter.
    expect(
      (await store.consume('a', { channel: 'whatsapp', number: number.number }, now)).kind,
    ).toBe('ok');
  });

  it('gives a refunded message back, never below zero, and starts afresh in the next window', async () => {
    const store = caps(1, 10);
    const number = sms('+447400000004');
    const first = await store.consume('c1', number, now);
    expect((await store.consume('c1', number, now)).kind).toBe('capped');
    if (first.kind !== 'ok') throw new Error('expected ok');
    await store.refund(first.ticket);
    await store.refund(first.ticket);
    expect((await store.consume('c1', number, now)).kind).toBe('ok');
    expect((await store.consume('c1', number, now)).kind).toBe('capped');
    expect((await store.consume('c1', number, new Date(now.getTime() + hour))).kind).toBe('ok');
  });

  it('marks counters for TTL cleanup an hour after their window', async () => {
    const store = caps(1, 10);
    const verdict = await store.consume('c9', sms('+447400000005'), now);
    if (verdict.kind !== 'ok') throw new Error('expected ok');
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update('client c9 sms +447400000005').digest('base64url');
    const item = await infra.clients.doc.send(
      new GetCommand({
        TableName: infra.tableName,
        Key: { pk: `CAP#${hash}#${verdict.ticket.windowStart}` },
      }),
    );
    expect(item.Item).toMatchObject({ count: 1, ttl: Date.parse('2026-01-01T12:00:00Z') / 1000 });
    expect(JSON.stringify(item.Item)).not.toContain('+447400000005');
  });
});
