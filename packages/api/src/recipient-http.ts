import {
  AppError,
  isRecipientId,
  type DeviceRecord,
  type ProfilePrecondition,
  type RecipientRecord,
} from '@herald/core';
import type { Request } from 'express';

/**
 * The `:recipientId` of the path, or `VALIDATION_FAILED` (400) when it is not 1–128 characters
 * of `A–Z a–z 0–9 . _ : @ -`.
 */
export function recipientIdOf(req: Request): string {
  const id = String(req.params.recipientId);
  if (isRecipientId(id)) return id;
  throw new AppError('VALIDATION_FAILED', 'Recipient id is invalid', {
    details: [
      { path: 'recipientId', message: 'must be 1-128 characters of A-Z a-z 0-9 . _ : @ -' },
    ],
  });
}

/** A recipient as the api shows it: its id, the profile's fields, and when it was written. */
export function recipientView(r: RecipientRecord) {
  return { id: r.recipientId, ...r.profile, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

/** A device as the api shows it. */
export function deviceView(d: DeviceRecord) {
  return { deviceId: d.deviceId, target: d.target, createdAt: d.createdAt, updatedAt: d.updatedAt };
}

/** The strong ETag of a recipient's version. */
export function recipientEtag(r: RecipientRecord): string {
  return `"${r.version}"`;
}

const ONE_ETAG = /^"([\x21\x23-\x7e]*)"$/;

/**
 * The precondition of a profile write from `If-Match` (`*` or one strong ETag) and
 * `If-None-Match: *`. A weak ETag never matches (RFC 9110 uses the strong comparison for
 * If-Match), so it is refused with `VALIDATION_FAILED` rather than failing every write.
 */
export function preconditionOf(req: Request): ProfilePrecondition {
  const ifMatch = req.get('if-match')?.trim();
  const ifNoneMatch = req.get('if-none-match')?.trim();
  if (ifMatch !== undefined && ifNoneMatch !== undefined) {
    throw badHeader('if-match', 'cannot be combined with If-None-Match');
  }
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch !== '*') throw badHeader('if-none-match', 'must be *');
    return { kind: 'absent' };
  }
  if (ifMatch === undefined) return { kind: 'none' };
  if (ifMatch === '*') return { kind: 'exists' };
  const match = ONE_ETAG.exec(ifMatch);
  if (match?.[1] === undefined) throw badHeader('if-match', 'must be * or one strong ETag');
  return { kind: 'version', version: match[1] };
}

function badHeader(name: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${name} ${message}`, {
    details: [{ path: `headers.${name}`, message }],
  });
}
