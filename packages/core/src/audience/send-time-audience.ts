import type { DeviceTarget } from './device-target';
import type { RecipientPreferences } from './recipient-preferences';

/** What a send to a recipient must respect, read when it is about to be sent. */
export interface RecipientAtSend {
  /** `{}` when none were written. */
  preferences: RecipientPreferences;
  /** The profile's timezone: quiet hours without their own timezone are in it (else UTC). */
  timezone?: string;
}

/**
 * The audience as the worker sees it (DynamoDB: `@herald/aws` `createDynamoSendTimeAudience`,
 * the audience table). Keyed by client and recipient id. Infrastructure failures throw AppError
 * `UNAVAILABLE`.
 */
export interface SendTimeAudience {
  /**
   * The recipient's preferences and timezone, in one consistent read; `undefined` when the
   * recipient no longer exists (erased since the notification was accepted).
   */
  recipientAtSend(clientId: string, recipientId: string): Promise<RecipientAtSend | undefined>;
  /**
   * Removes a device its push service reported gone, only if it still holds `target` (the same
   * token and keys: a device registered again with new keys stays). `false` when it was not
   * removed (no such recipient or device, or it changed).
   */
  removeGoneDevice(p: {
    clientId: string;
    recipientId: string;
    deviceId: string;
    target: DeviceTarget;
  }): Promise<boolean>;
}
