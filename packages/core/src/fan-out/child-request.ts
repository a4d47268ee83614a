import { recipientAddress } from '../audience/recipient-address';
import type { DeviceRecord } from '../audience/recipient-store';
import type { RecipientProfile } from '../audience/recipient-profile';
import type { Channel, NotificationRequest } from '../schemas/notification-request';
import type { SlackNotificationRequest } from '../schemas/slack';
import type { TopicNotificationRequest } from '../schemas/topic-notification';

/** One child to create: its request (addressed) and, for push, the device it goes to. */
export interface ChildRequest {
  request: NotificationRequest;
  deviceId?: string;
}

/**
 * The channels a recipient can be reached on: an address in the profile, or (push) a device.
 * A subscription that names no channels means these.
 */
export function reachableChannels(
  profile: RecipientProfile,
  devices: readonly DeviceRecord[],
): Channel[] {
  const channels: Channel[] = [];
  if (profile.email !== undefined) channels.push('email');
  if (profile.phone !== undefined) channels.push('sms');
  if (profile.whatsapp !== undefined) channels.push('whatsapp');
  if (devices.length > 0) channels.push('push');
  if (profile.slack !== undefined) channels.push('slack');
  return channels;
}

/**
 * The topic send rendered for one channel and addressed to one recipient: `overrides` win over
 * the generic title and body; push gives one request per device. `[]` when the recipient has no
 * address on that channel. The address is taken now and never looked up again (the child is
 * immutable, like any notification).
 */
export function childRequests(
  send: TopicNotificationRequest,
  channel: Channel,
  profile: RecipientProfile,
  devices: readonly DeviceRecord[],
): ChildRequest[] {
  const common = {
    ...(send.metadata !== undefined ? { metadata: send.metadata } : {}),
    ...(send.expiresAt !== undefined ? { expiresAt: send.expiresAt } : {}),
    ...(send.critical !== undefined ? { critical: send.critical } : {}),
  };
  const plain = (max: number) =>
    clip([send.title, send.body, send.url].filter(isText).join('\n\n'), max);
  if (channel === 'push') {
    // One child per device, each its own notification (unlike a direct send: the newest only).
    return devices.map((device) => ({
      deviceId: device.deviceId,
      request: {
        channel,
        to: device.target,
        title: send.overrides?.push?.title ?? send.title,
        body: send.overrides?.push?.body ?? send.body ?? '',
        ...(send.subtitle !== undefined ? { subtitle: send.subtitle } : {}),
        ...(send.url !== undefined ? { url: send.url } : {}),
        ...(send.data !== undefined ? { data: send.data } : {}),
        ...common,
      },
    }));
  }
  // The same address rules as a direct send naming the recipient.
  const address = recipientAddress(channel, profile, devices);
  if (address === undefined) return [];
  // `recipientAddress` gives each channel's own shape of `to`.
  const to = address.to as string;
  switch (channel) {
    case 'email': {
      const o = send.overrides?.email;
      const text = o?.text ?? (o?.html === undefined ? plain(200_000) : undefined);
      return [
        {
          request: {
            channel,
            to,
            subject: o?.subject ?? send.title,
            ...(text !== undefined ? { text } : {}),
            ...(o?.html !== undefined ? { html: o.html } : {}),
            ...common,
          },
        },
      ];
    }
    case 'sms':
      return [
        { request: { channel, to, body: send.overrides?.sms?.body ?? plain(1600), ...common } },
      ];
    case 'whatsapp':
      return [
        {
          request: { channel, to, body: send.overrides?.whatsapp?.body ?? plain(4096), ...common },
        },
      ];
    case 'slack':
      return [
        {
          request: {
            channel,
            to: address.to as SlackNotificationRequest['to'],
            text: send.overrides?.slack?.text ?? plain(40_000),
            ...common,
          },
        },
      ];
  }
}

function isText(s: string | undefined): s is string {
  return s !== undefined && s !== '';
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
