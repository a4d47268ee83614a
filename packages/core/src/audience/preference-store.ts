import type { ProfilePrecondition } from './recipient-store';
import type { RecipientPreferences } from './recipient-preferences';

/** A recipient's stored preferences (`{}` when none were ever written). */
export interface PreferencesRecord {
  preferences: RecipientPreferences;
  /**
   * Opaque, the api's `ETag`: changes on every write, and differs for a recipient erased and
   * created again. A recipient without preferences has a version too, so `If-Match` can guard
   * the first write.
   */
  version: string;
  /** When they were last written; absent when never. */
  updatedAt?: string;
}

/**
 * Recipients' preferences (DynamoDB: `@herald/aws` `createDynamoPreferenceStore`, the `PREFS`
 * item of the recipient's partition). Keyed by client and recipient id. Infrastructure failures
 * throw AppError `UNAVAILABLE`.
 */
export interface PreferenceStore {
  /** The recipient's preferences, read consistently; `undefined` when there is no recipient. */
  getPreferences(clientId: string, recipientId: string): Promise<PreferencesRecord | undefined>;
  /**
   * Replaces the preferences of an existing recipient (`created` when it had none). Throws
   * `NOT_FOUND` when there is no such recipient and `PRECONDITION_FAILED` when `precondition`
   * (against the preferences' version; `exists`/`absent` against whether any were written) does
   * not hold, storing nothing. A write racing another without a precondition is applied after
   * it (last writer wins); `CONFLICT` only if it keeps losing.
   */
  putPreferences(p: {
    clientId: string;
    recipientId: string;
    preferences: RecipientPreferences;
    precondition: ProfilePrecondition;
    now: string;
  }): Promise<{ created: boolean; record: PreferencesRecord }>;
}
