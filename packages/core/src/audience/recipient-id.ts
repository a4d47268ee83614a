import { z } from 'zod';

/**
 * A recipient id, chosen by the client (its own user id, an email address): 1–128 characters of
 * `A–Z a–z 0–9 . _ : @ -`. Nothing else, so an id is safe in a URL path, a table key and a log.
 */
export const RECIPIENT_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The zod form of {@link RECIPIENT_ID_PATTERN}, for request paths and bodies. */
export const recipientIdSchema = z
  .string()
  .regex(RECIPIENT_ID_PATTERN, 'must be 1-128 characters of A-Z a-z 0-9 . _ : @ -');

/** True when `value` is a well-formed recipient id. */
export function isRecipientId(value: string): boolean {
  return RECIPIENT_ID_PATTERN.test(value);
}
