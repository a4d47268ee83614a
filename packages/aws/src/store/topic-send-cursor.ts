import { AppError, isNotificationId, isTopicSendId } from '@herald/core';
import { notificationPk } from './table-schema';
import { clientTopicKey } from './topic-send-item';

/**
 * Cursors of the topic-send lists: opaque base64url JSON of where the page ended. The partition
 * (client and topic, or parent) always comes from the caller, never from the cursor, and every
 * field is checked, so a forged cursor can only position a query inside the caller's own
 * partition. Anything else is `VALIDATION_FAILED`.
 */
export function encodeTopicCursor(lastKey: Record<string, unknown>): string {
  return encode({ pk: lastKey.pk, k: lastKey.topicSendKey });
}

export function decodeTopicCursor(
  cursor: string,
  clientId: string,
  topicId: string,
): Record<string, string> {
  const { pk, k } = decode(cursor);
  const id = typeof pk === 'string' ? pk.slice(notificationPk('').length) : '';
  if (!isTopicSendId(id) || typeof k !== 'string' || k.length > 100) throw invalid();
  return {
    pk: notificationPk(id),
    clientTopic: clientTopicKey(clientId, topicId),
    topicSendKey: k,
  };
}

/** A children page ends at a child id within one shard of the parent's index partitions. */
export function encodeChildCursor(shard: number, lastId: string | undefined): string {
  return encode({ s: shard, id: lastId ?? null });
}

export function decodeChildCursor(
  cursor: string,
  shards: number,
): { shard: number; lastId: string | undefined } {
  const { s, id } = decode(cursor);
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s >= shards) throw invalid();
  if (id === null) return { shard: s, lastId: undefined };
  if (typeof id !== 'string' || !isNotificationId(id)) throw invalid();
  return { shard: s, lastId: id };
}

function encode(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(cursor: string): Record<string, unknown> {
  if (cursor.length > 500) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalid(cause);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  return parsed as Record<string, unknown>;
}

function invalid(cause?: unknown): AppError {
  return new AppError(
    'VALIDATION_FAILED',
    'cursor is invalid',
    cause === undefined ? {} : { cause },
  );
}
