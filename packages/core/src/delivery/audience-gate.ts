import { quietHoursAt } from '../audience/quiet-hours';
import { isOptedOut } from '../audience/recipient-preferences';
import type { SendTimeAudience } from '../audience/send-time-audience';
import type { NotificationRecord } from '../notification';
import type { RefusalCode } from '../refusal-code';

/** What a recipient's current choices say about sending a notification now. */
export type AudienceVerdict =
  | { kind: 'send' }
  | { kind: 'refuse'; code: RefusalCode; message: string }
  /** Inside the recipient's quiet hours: send when they end. */
  | { kind: 'defer'; until: Date };

/**
 * The recipient's choices at send time, for a notification sent to a recipient (a direct send
 * naming one, or a topic's child): erased since it was accepted → refuse `recipient_erased`;
 * opted out of the channel, overall or for the notification's topic → refuse `opted_out`; inside
 * quiet hours and not `critical` → defer to their end. One read of the audience for such a
 * notification, none for one addressed directly (or without an `audience` port). Throws only
 * when the audience cannot be read (AppError `UNAVAILABLE`).
 */
export async function audienceVerdict(
  audience: SendTimeAudience | undefined,
  record: NotificationRecord,
  now: Date,
): Promise<AudienceVerdict> {
  const link = record.audience;
  if (link === undefined || audience === undefined) return { kind: 'send' };
  const recipient = await audience.recipientAtSend(record.clientId, link.recipientId);
  if (recipient === undefined) {
    return {
      kind: 'refuse',
      code: 'recipient_erased',
      message: 'The recipient was erased before it could be sent',
    };
  }
  if (isOptedOut(recipient.preferences, record.channel, link.topicId)) {
    return {
      kind: 'refuse',
      code: 'opted_out',
      message:
        link.topicId === undefined
          ? `The recipient opted out of ${record.channel}`
          : `The recipient opted out of ${record.channel}, overall or for this topic`,
    };
  }
  const quietHours = recipient.preferences.quietHours;
  if (quietHours === undefined || record.request.critical === true) return { kind: 'send' };
  const state = quietHoursAt(quietHours, now, recipient.timezone);
  return state.quiet ? { kind: 'defer', until: state.until } : { kind: 'send' };
}
