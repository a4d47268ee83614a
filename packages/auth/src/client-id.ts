import { AppError } from '@herald/core';

/** What a client id may look like: it ends up in logs, DynamoDB keys and the token `sub`. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Throws AppError `VALIDATION_FAILED` unless `clientId` matches {@link CLIENT_ID_PATTERN}. */
export function assertClientId(clientId: string): void {
  if (!CLIENT_ID_PATTERN.test(clientId)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'client id must be 1-128 characters of letters, digits, ".", "_", ":" or "-"',
    );
  }
}
