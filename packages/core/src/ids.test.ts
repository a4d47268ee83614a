import { idempotentNotificationId, isNotificationId, newNotificationId } from './ids';

describe('notification ids', () => {
  it('are well-formed and unique when random', () => {
    const ids = new Set(Array.from({ length: 1000 }, newNotificationId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(isNotificationId(id)).toBe(true);
  });

  it('derive the same id from the same client and key, and different ids across clients', () => {
    expect(idempotentNotificationId('a', 'k')).toBe(idempotentNotificationId('a', 'k'));
    expect(idempotentNotificationId('a', 'k')).not.toBe(idempotentNotificationId('b', 'k'));
    expect(isNotificationId(idempotentNotificationId('a', 'k'))).toBe(true);
  });
});
