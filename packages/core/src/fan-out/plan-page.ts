import { isOptedOut } from '../audience/recipient-preferences';
import type { SubscriptionRecord } from '../audience/topic-store';
import { childNotificationId } from '../ids';
import type { NotificationRecord } from '../notification';
import { requestHash } from '../request-hash';
import type { Channel } from '../schemas/notification-request';
import { CHANNELS } from '../schemas/notification-request';
import type { FanOutSkipped, TopicSendRecord } from '../topic-send';
import { childRequests, reachableChannels } from './child-request';
import type { FanOutRecipient } from './fan-out-ports';

/** A page of subscribers turned into children, and what was skipped. */
export interface PagePlan {
  children: NotificationRecord[];
  recipients: number;
  skipped: FanOutSkipped;
}

/**
 * Decides one page of a fan-out, purely: for each subscriber, the (recipient, channel) pairs
 * are the subscription's channels (or every channel the recipient can be reached on), narrowed
 * by the send's `channels`; a pair the recipient opted out of (overall or for this topic), or
 * has no address for, gets no child and is counted under `skipped`. Every other pair gets a
 * child (per device for push) whose id is derived from the parent, the recipient, the channel
 * and the device, so planning the same page again yields the same ids. An erased recipient
 * whose subscription was not cleaned up yet counts as having no address.
 */
export function planPage(
  parent: TopicSendRecord,
  subscriptions: readonly SubscriptionRecord[],
  recipients: ReadonlyMap<string, FanOutRecipient>,
  now: string,
): PagePlan {
  const plan: PagePlan = {
    children: [],
    recipients: subscriptions.length,
    skipped: { optedOut: 0, suppressed: 0, noAddress: 0 },
  };
  const wanted = new Set<Channel>(parent.request.channels ?? CHANNELS);
  for (const sub of subscriptions) {
    const recipient = recipients.get(sub.recipientId);
    if (recipient === undefined) {
      plan.skipped.noAddress += 1;
      continue;
    }
    const channels = (
      sub.channels ?? reachableChannels(recipient.profile, recipient.devices)
    ).filter((c) => wanted.has(c));
    for (const channel of channels) {
      if (recipient.preferences && isOptedOut(recipient.preferences, channel, parent.topicId)) {
        plan.skipped.optedOut += 1;
        continue;
      }
      const requests = childRequests(parent.request, channel, recipient.profile, recipient.devices);
      if (requests.length === 0) plan.skipped.noAddress += 1;
      for (const { request, deviceId } of requests) {
        const id = childNotificationId(parent.id, sub.recipientId, channel, deviceId);
        plan.children.push({
          id,
          clientId: parent.clientId,
          channel,
          request,
          requestHash: requestHash(request),
          audience: {
            recipientId: sub.recipientId,
            parentId: parent.id,
            topicId: parent.topicId,
            ...(deviceId !== undefined ? { deviceId } : {}),
          },
          // Children travel on the bulk lane: a fan-out never delays a direct send.
          lane: 'bulk',
          status: 'Pending',
          createdAt: now,
          updatedAt: now,
          attempts: 0,
          events: [{ at: now, type: 'accepted', detail: { parentId: parent.id } }],
        });
      }
    }
  }
  return plan;
}
