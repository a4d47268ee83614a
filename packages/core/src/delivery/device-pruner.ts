import type { SendTimeAudience } from '../audience/send-time-audience';
import { errorSummary } from '../error-summary';
import type { NotificationRecord } from '../notification';
import type { Logger } from '../ports';
import { logIds } from './log-ids';

/**
 * A push target its service reported gone (or already known dead), on a notification whose
 * target came from a recipient's device: removes that device from the recipient, if it still
 * holds the same target. Best effort: a failure is logged and never changes the notification's
 * status (the dead-target record already keeps the target from being tried again).
 */
export async function pruneGoneDevice(
  deps: { audience?: SendTimeAudience; logger: Logger },
  record: NotificationRecord,
): Promise<void> {
  const link = record.audience;
  const deviceId = link?.deviceId;
  if (
    deps.audience === undefined ||
    link === undefined ||
    deviceId === undefined ||
    record.request.channel !== 'push'
  ) {
    return;
  }
  const fields = { ...logIds(record), deviceId };
  try {
    const removed = await deps.audience.removeGoneDevice({
      clientId: record.clientId,
      recipientId: link.recipientId,
      deviceId,
      target: record.request.to,
    });
    deps.logger.info(
      fields,
      removed ? 'gone device removed from its recipient' : 'gone device already removed or changed',
    );
  } catch (err) {
    deps.logger.warn({ ...fields, err: errorSummary(err) }, 'could not remove a gone device');
  }
}
