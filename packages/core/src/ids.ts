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

const TOPIC_SEND_ID_PATTERN = /^ntp_[0-9a-z]{26}$/;

/**
 * A topic send's (parent notification's) id: `ntp_`, so the worker, the sweeper's messages and
 * the api can tell a fan-out from a delivery by its id alone, without reading the item. Random,
 * or derived from the client's `Idempotency-Key` exactly like a direct send's (a different
 * prefix, so the same key on both routes names two different things).
 */
export function newTopicSendId(): string {
  return `ntp_${toBase36(randomBytes(17)).slice(0, 26)}`;
}

export function idempotentTopicSendId(clientId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${clientId}\u0000${idempotencyKey}`).digest();
  return `ntp_${toBase36(digest).slice(0, 26)}`;
}

export function isTopicSendId(value: string): boolean {
  return TOPIC_SEND_ID_PATTERN.test(value);
}

/**
 * A topic send's child: derived from the parent, the recipient, the channel and (push) the
 * device, so creating a page's children again (a crash, a redelivered message, two workers)
 * names the same items and the store's conditional create makes each exactly once. An ordinary
 * notification id: a child is delivered like any other notification.
 */
export function childNotificationId(
  parentId: string,
  recipientId: string,
  channel: string,
  deviceId?: string,
): string {
  const digest = createHash('sha256')
    .update(`child\u0000${parentId}\u0000${recipientId}\u0000${channel}\u0000${deviceId ?? ''}`)
    .digest();
  return `ntf_${toBase36(digest).slice(0, 26)}`;
}

function toBase36(bytes: Buffer): string {
  return BigInt(`0x${bytes.toString('hex')}`)
    .toString(36)
    .padStart(26, '0');
}
