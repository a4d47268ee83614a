import { createHash, randomBytes } from 'node:crypto';

const ID_PATTERN = /^ntf_[0-9a-z]{26}$/;

/** A fresh, unguessable notification id (130 random bits). */
export function newNotificationId(): string {
  return `ntf_${toBase36(randomBytes(17)).slice(0, 26)}`;
}

/**
 * The id a client's `Idempotency-Key` maps to. Deriving it means the store's conditional create
 * is also the idempotency check: one write, and concurrent retries collide on the same item.
 */
export function idempotentNotificationId(clientId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${clientId}\u0000${idempotencyKey}`).digest();
  return `ntf_${toBase36(digest).slice(0, 26)}`;
}

export function isNotificationId(value: string): boolean {
  return ID_PATTERN.test(value);
}

function toBase36(bytes: Buffer): string {
  return BigInt(`0x${bytes.toString('hex')}`)
    .toString(36)
    .padStart(26, '0');
}
