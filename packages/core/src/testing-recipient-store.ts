import { randomBytes } from 'node:crypto';
import type { DeviceTarget } from './audience/device-target';
import {
  MAX_DEVICES_PER_RECIPIENT,
  newestDeviceFirst,
  type DeviceRecord,
  type ProfilePrecondition,
  type RecipientRecord,
  type RecipientStore,
} from './audience/recipient-store';
import type { RecipientProfile } from './audience/recipient-profile';
import { AppError } from './errors';

interface Stored {
  record: RecipientRecord;
  incarnation: string;
  revision: number;
  devices: Map<string, DeviceRecord>;
}

/**
 * A {@link RecipientStore} in memory, following the DynamoDB adapter's rules (preconditions,
 * the device limit, deletion of everything at once). `recipients` is keyed `<clientId>\0<id>`.
 */
export class InMemoryRecipientStore implements RecipientStore {
  readonly recipients = new Map<string, Stored>();

  putProfile(p: {
    clientId: string;
    recipientId: string;
    profile: RecipientProfile;
    precondition: ProfilePrecondition;
    now: string;
  }): Promise<{ created: boolean; recipient: RecipientRecord }> {
    const key = keyOf(p.clientId, p.recipientId);
    const existing = this.recipients.get(key);
    if (!holds(p.precondition, existing)) {
      return Promise.reject(new AppError('PRECONDITION_FAILED', 'The recipient has changed'));
    }
    const incarnation = existing?.incarnation ?? randomBytes(6).toString('base64url');
    const revision = (existing?.revision ?? 0) + 1;
    const record: RecipientRecord = {
      clientId: p.clientId,
      recipientId: p.recipientId,
      profile: structuredClone(p.profile),
      version: `${incarnation}.${revision}`,
      createdAt: existing?.record.createdAt ?? p.now,
      updatedAt: p.now,
    };
    const devices = existing?.devices ?? new Map<string, DeviceRecord>();
    this.recipients.set(key, { record, incarnation, revision, devices });
    return Promise.resolve({ created: existing === undefined, recipient: structuredClone(record) });
  }

  getAddressBook(
    clientId: string,
    recipientId: string,
  ): Promise<{ recipient: RecipientRecord; devices: DeviceRecord[] } | undefined> {
    const stored = this.recipients.get(keyOf(clientId, recipientId));
    if (!stored) return Promise.resolve(undefined);
    const devices = [...stored.devices.values()].sort(newestDeviceFirst);
    return Promise.resolve(structuredClone({ recipient: stored.record, devices }));
  }

  getProfile(clientId: string, recipientId: string): Promise<RecipientRecord | undefined> {
    const stored = this.recipients.get(keyOf(clientId, recipientId));
    return Promise.resolve(stored && structuredClone(stored.record));
  }

  deleteRecipient(clientId: string, recipientId: string): Promise<boolean> {
    return Promise.resolve(this.recipients.delete(keyOf(clientId, recipientId)));
  }

  addDevice(p: {
    clientId: string;
    recipientId: string;
    deviceId: string;
    target: DeviceTarget;
    now: string;
  }): Promise<{ created: boolean; device: DeviceRecord }> {
    const stored = this.recipients.get(keyOf(p.clientId, p.recipientId));
    if (!stored) return Promise.reject(new AppError('NOT_FOUND', 'Recipient not found'));
    const existing = stored.devices.get(p.deviceId);
    if (!existing && stored.devices.size >= MAX_DEVICES_PER_RECIPIENT) {
      return Promise.reject(
        new AppError('CONFLICT', `A recipient has at most ${MAX_DEVICES_PER_RECIPIENT} devices`),
      );
    }
    const device: DeviceRecord = {
      deviceId: p.deviceId,
      target: structuredClone(p.target),
      createdAt: existing?.createdAt ?? p.now,
      updatedAt: p.now,
    };
    stored.devices.set(p.deviceId, device);
    return Promise.resolve({ created: !existing, device: structuredClone(device) });
  }

  listDevices(clientId: string, recipientId: string): Promise<DeviceRecord[] | undefined> {
    const stored = this.recipients.get(keyOf(clientId, recipientId));
    if (!stored) return Promise.resolve(undefined);
    const devices = [...stored.devices.values()].sort(newestDeviceFirst);
    return Promise.resolve(structuredClone(devices));
  }

  removeDevice(clientId: string, recipientId: string, deviceId: string): Promise<boolean> {
    const stored = this.recipients.get(keyOf(clientId, recipientId));
    return Promise.resolve(stored?.devices.delete(deviceId) ?? false);
  }
}

function keyOf(clientId: string, recipientId: string): string {
  return `${clientId}\u0000${recipientId}`;
}

function holds(precondition: ProfilePrecondition, existing: Stored | undefined): boolean {
  switch (precondition.kind) {
    case 'none':
      return true;
    case 'exists':
      return existing !== undefined;
    case 'absent':
      return existing === undefined;
    case 'version':
      return existing?.record.version === precondition.version;
  }
}
