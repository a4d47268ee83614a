import { AppError } from '@herald/core';
import { notificationPk } from './table-schema';

/** Where a byClient page ended: the table key and the index sort key of its last item. */
export interface ListPosition {
  pk: string;
  createdKey: string;
}

/** An opaque, URL-safe token for the position. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify({ pk: position.pk, createdKey: position.createdKey })).toString(
    'base64url',
  );
}

/**
 * The byClient `ExclusiveStartKey` for a cursor. The client id comes from the caller, never from
 * the cursor, so a cursor taken from (or forged for) another client only ever positions a query
 * inside the caller's own partition. Throws `VALIDATION_FAILED` for anything not made by
 * `encodeCursor`.
 */
export function cursorToStartKey(cursor: string, clientId: string): Record<string, string> {
  const position = decode(cursor);
  return { pk: position.pk, clientId, createdKey: position.createdKey };
}

function decode(cursor: string): ListPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalid(cause);
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { pk, createdKey } = parsed as { pk?: unknown; createdKey?: unknown };
  if (typeof pk !== 'string' || typeof createdKey !== 'string') throw invalid();
  const prefix = notificationPk('');
  const sane = (s: string, min: number) => s.length >= min && s.length <= 300;
  if (!pk.startsWith(prefix) || !sane(pk, prefix.length + 1) || !sane(createdKey, 1)) {
    throw invalid();
  }
  return { pk, createdKey };
}

function invalid(cause?: unknown): AppError {
  return new AppError(
    'VALIDATION_FAILED',
    'cursor is invalid',
    cause === undefined ? {} : { cause },
  );
}
