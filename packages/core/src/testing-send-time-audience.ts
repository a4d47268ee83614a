import type { DeviceTarget } from './audience/device-target';
import type { RecipientAtSend, SendTimeAudience } from './audience/send-time-audience';
import { canonicalJson } from './request-hash';
import type { InMemoryPreferenceStore } from './testing-preference-store';
import type { InMemoryRecipientStore } from './testing-recipient-store';

/**
 * A {@link SendTimeAudience} over an {@link InMemoryRecipientStore} and its
 * {@link InMemoryPreferenceStore}, following the DynamoDB adapter's rules. `reads` counts the
 * reads, so a test can see a bare-address send costs none; `failRemovals` makes every removal
 * throw, as an unreachable table would.
 */
export class InMemorySendTimeAudience implements SendTimeAudience {
  reads = 0;
  failRemovals = false;

  constructor(
    private readonly recipients: InMemoryRecipientStore,
    private readonly preferences: InMemoryPreferenceStore,
  ) {}

  async recipientAtSend(
    clientId: string,
    recipientId: string,
  ): Promise<RecipientAtSend | undefined> {
    this.reads++;
    const recipient = await this.recipients.getProfile(clientId, recipientId);
    const prefs = await this.preferences.getPreferences(clientId, recipientId);
    if (recipient === undefined || prefs === undefined) return undefined;
    const timezone = recipient.profile.timezone;
    return { preferences: prefs.preferences, ...(timezone !== undefined ? { timezone } : {}) };
  }

  async removeGoneDevice(p: {
    clientId: string;
    recipientId: string;
    deviceId: string;
    target: DeviceTarget;
  }): Promise<boolean> {
    if (this.failRemovals) throw new Error('audience table unreachable');
    const devices = await this.recipients.listDevices(p.clientId, p.recipientId);
    const device = devices?.find((d) => d.deviceId === p.deviceId);
    if (device === undefined || canonicalJson(device.target) !== canonicalJson(p.target)) {
      return false;
    }
    return this.recipients.removeDevice(p.clientId, p.recipientId, p.deviceId);
  }
}
