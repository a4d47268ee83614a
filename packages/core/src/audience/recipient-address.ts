import type { Channel, NotificationRequest } from '../schemas/notification-request';
import { newestDeviceFirst, type DeviceRecord } from './recipient-store';
import type { RecipientProfile } from './recipient-profile';

/** Where a recipient is reached on one channel: the `to` of a request, and the device it names. */
export interface RecipientAddress {
  to: NotificationRequest['to'];
  /** Push only: the device the target was taken from. */
  deviceId?: string;
}

/**
 * The address of a recipient on `channel`, from its profile and devices: email → `email`, sms →
 * `phone`, whatsapp → `whatsapp`, slack → `{ conversation: userId }` (a DM through the bot token)
 * or `{ webhook }`, push → the target of the newest device (latest registration, see
 * {@link newestDeviceFirst}). `undefined` when the recipient has none for that channel. Pure; the
 * result is a request's `to`, to be validated by the channel's schema like any address.
 */
export function recipientAddress(
  channel: Channel,
  profile: RecipientProfile,
  devices: readonly DeviceRecord[],
): RecipientAddress | undefined {
  switch (channel) {
    case 'email':
      return profile.email === undefined ? undefined : { to: profile.email };
    case 'sms':
      return profile.phone === undefined ? undefined : { to: profile.phone };
    case 'whatsapp':
      return profile.whatsapp === undefined ? undefined : { to: profile.whatsapp };
    case 'slack':
      if (profile.slack === undefined) return undefined;
      return 'userId' in profile.slack
        ? { to: { conversation: profile.slack.userId } }
        : { to: { webhook: profile.slack.webhook } };
    case 'push': {
      const newest = [...devices].sort(newestDeviceFirst)[0];
      return newest === undefined ? undefined : { to: newest.target, deviceId: newest.deviceId };
    }
  }
}
