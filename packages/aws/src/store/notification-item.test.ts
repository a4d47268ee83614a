import type { NotificationRecord } from '@herald/core';
import { anSmsRequest } from '@herald/core/testing';
import { fromItem, statusEventFromItem, sweepShardOf, toItem } from './notification-item';

const record: NotificationRecord = {
  id: 'ntf_00000000000000000000000001',
  clientId: 'client-a',
  channel: 'sms',
  request: { ...anSmsRequest(), metadata: { order: '42' } },
  requestHash: 'hash',
  idempotencyKey: 'key',
  status: 'Pending',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:01.000Z',
  attempts: 1,
  events: [{ at: '2026-01-01T00:00:00.000Z', type: 'accepted' }],
  lease: { owner: 'w1', until: '2026-01-01T00:01:00.000Z' },
  nextAttemptAt: '2026-01-01T00:00:30.000Z',
};

describe('notification item', () => {
  it('round-trips a record', () => {
    const item = toItem(record, { shard: '3', at: '2026-01-01T00:05:00.000Z' });

    expect(fromItem(item)).toStrictEqual(record);
  });

  it('round-trips how a child of a topic send was addressed', () => {
    const audience = {
      recipientId: 'alice@example.com',
      deviceId: 'dev_abc',
      parentId: 'ntf_00000000000000000000000002',
      topicId: '6f1c1b8e-7a43-4d43-9a55-0d1d3b1f7c11',
    };
    const child = { ...record, audience };

    expect(fromItem(toItem(child, { shard: '3', at: 'x' }))).toStrictEqual(child);
    expect(fromItem(toItem(record, { shard: '3', at: 'x' }))).not.toHaveProperty('audience');
  });

  it('keys the item and indexes it for its client and, while Pending, for the sweeper', () => {
    const item = toItem(record, { shard: '3', at: '2026-01-01T00:05:00.000Z' });

    expect(item).toMatchObject({
      pk: `N#${record.id}`,
      createdKey: `2026-01-01T00:00:00.000Z#${record.id}`,
      sweepShard: '3',
      sweepAt: '2026-01-01T00:05:00.000Z',
      req: JSON.stringify(record.request),
    });
  });

  it('leaves a final record out of the sweep index', () => {
    const item = toItem({ ...record, status: 'Delivered' }, { shard: '3', at: 'x' });

    expect(item).not.toHaveProperty('sweepAt');
    expect(item).not.toHaveProperty('sweepShard');
  });

  it('throws INTERNAL for an item it did not write', () => {
    const item = { ...toItem(record, { shard: '0', at: 'x' }), status: 'Sending' };

    expect(catchError(() => fromItem(item))).toMatchObject({ code: 'INTERNAL' });
    expect(catchError(() => fromItem({ pk: 'N#x' }))).toMatchObject({ code: 'INTERNAL' });
  });

  it('reads a refusal code written by another version as stored', () => {
    const refused = toItem({ ...record, status: 'Refused' }, { shard: '0', at: 'x' });
    const reason = { code: 'a_code_from_a_later_version', message: 'refused' };

    expect(fromItem({ ...refused, reason }).reason).toStrictEqual(reason);
    expect(statusEventFromItem({ ...refused, reason }, record.id, 'e1').reason).toStrictEqual(
      reason,
    );
  });

  it('spreads ids over every shard and always puts an id in the same one', () => {
    const shards = new Set(Array.from({ length: 400 }, (_, i) => sweepShardOf(`ntf_${i}`, 16)));

    expect(shards.size).toBe(16);
    expect(sweepShardOf('ntf_x', 16)).toBe(sweepShardOf('ntf_x', 16));
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}
