import type { DeviceTarget } from './device-target';
import type { RecipientProfile } from './recipient-profile';

/** At most this many devices per recipient; one more is AppError `CONFLICT`. */
export const MAX_DEVICES_PER_RECIPIENT = 20;

/** A stored recipient: its profile and the bookkeeping around it. */
export interface RecipientRecord {
  clientId: string;
  recipientId: string;
  profile: RecipientProfile;
  /**
   * Opaque, changes on every write of the profile (never on a device change) and never repeats
   * for a recipient deleted and created again: the api's `ETag`, checked by `If-Match`.
   */
  version: string;
  createdAt: string;
  updatedAt: string;
}

/** A stored device of a recipient. */
export interface DeviceRecord {
  /** Derived from the target (`deviceIdOf`). */
  deviceId: string;
  target: DeviceTarget;
  createdAt: string;
  /** The last time it was registered (a registration of the same device again refreshes it). */
  updatedAt: string;
}

/** The precondition of a profile write, from `If-Match` / `If-None-Match`. */
export type ProfilePrecondition =
  | { kind: 'none' }
  /** The stored version must be this one. */
  | { kind: 'version'; version: string }
  /** `If-Match: *`: the recipient must exist. */
  | { kind: 'exists' }
  /** `If-None-Match: *`: the recipient must not exist yet. */
  | { kind: 'absent' };

/**
 * A client's recipients and their devices (DynamoDB: `@herald/aws` `createDynamoRecipientStore`,
 * the audience table). Everything is keyed by client and recipient id, so a client never reaches
 * another client's recipients. Every write is a single-item conditional write. Infrastructure
 * failures throw AppError `UNAVAILABLE`.
 */
export interface RecipientStore {
  /**
   * Creates or replaces the recipient's profile (its devices stay). `created` says which.
   * Throws `PRECONDITION_FAILED` when `precondition` does not hold, storing nothing.
   */
  putProfile(p: {
    clientId: string;
    recipientId: string;
    profile: RecipientProfile;
    precondition: ProfilePrecondition;
    now: string;
  }): Promise<{ created: boolean; recipient: RecipientRecord }>;
  /**
   * The recipient with its devices (newest registration first), in one consistent read (the
   * devices live on the profile item): what resolving a recipient's address needs. `undefined`
   * when there is none.
   */
  getAddressBook(
    clientId: string,
    recipientId: string,
  ): Promise<{ recipient: RecipientRecord; devices: DeviceRecord[] } | undefined>;
  /** The recipient, read consistently; `undefined` when there is none. */
  getProfile(clientId: string, recipientId: string): Promise<RecipientRecord | undefined>;
  /**
   * Erases the recipient: the profile first (from then on nothing resolves to it and no device
   * can be added), then every other item it has (devices, its subscriptions on both sides, so it
   * leaves every topic, and later preferences, inbox). Idempotent: a retry after a partial failure finishes the job. `false` when there was
   * nothing to erase.
   */
  deleteRecipient(clientId: string, recipientId: string): Promise<boolean>;
  /**
   * Registers a device of an existing recipient under `deviceIdOf(target)`. The same device again
   * refreshes its target and `updatedAt` (`created: false`). Throws `NOT_FOUND` when there is no
   * such recipient, `CONFLICT` when it already has {@link MAX_DEVICES_PER_RECIPIENT} other
   * devices (enforced under concurrency: never more, whatever the interleaving).
   */
  addDevice(p: {
    clientId: string;
    recipientId: string;
    deviceId: string;
    target: DeviceTarget;
    now: string;
  }): Promise<{ created: boolean; device: DeviceRecord }>;
  /** The recipient's devices, newest registration first; `undefined` when there is no recipient. */
  listDevices(clientId: string, recipientId: string): Promise<DeviceRecord[] | undefined>;
  /** Removes a device; `false` when the recipient or the device does not exist. Idempotent. */
  removeDevice(clientId: string, recipientId: string, deviceId: string): Promise<boolean>;
}

/** Orders devices newest registration first; ties by device id, so the order is stable. */
export function newestDeviceFirst(a: DeviceRecord, b: DeviceRecord): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return a.deviceId < b.deviceId ? -1 : 1;
}
