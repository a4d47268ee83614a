import { AppError } from '../errors';
import type { TopicSendStore } from '../fan-out/fan-out-ports';
import type { StatusEventPublisher } from '../ports';
import { statusEventId } from '../status-event';
import type { TopicSendRecord } from '../topic-send';
import { cancelUnstartedChildren, type CancelChildrenDeps } from './cancel-children';
import { publishOwedEvent } from './publish-status';
import { topicSendStatusEvent } from './topic-send-event';
import type { NotificationStore } from '../ports';

export interface CancelTopicSendDeps extends CancelChildrenDeps {
  sends: Pick<TopicSendStore, 'cancel'>;
  /** Publishes the parent's final status when the cancel made it final; else none is owed. */
  events?: StatusEventPublisher;
  store: Pick<NotificationStore, 'clearOwedEvent'>;
}

/** A cancelled topic send and how many of its children the cancel stopped. */
export interface TopicSendCancelled {
  record: TopicSendRecord;
  cancelledChildren: number;
}

/**
 * Cancels a client's topic send. Not started: the parent ends `Refused` `cancelled` at once.
 * Started: no further page is fanned out and every child that has not started is cancelled
 * (children already sending finish; the parent settles once they are final). Throws
 * `NOT_FOUND` for an unknown id or another client's, `CONFLICT` when it is final or nothing was
 * left to cancel (the fan-out was complete and every child had started).
 */
export function createCancelTopicSend(deps: CancelTopicSendDeps) {
  return async function cancelTopicSend(input: {
    clientId: string;
    notificationId: string;
  }): Promise<TopicSendCancelled> {
    const now = deps.clock.now().toISOString();
    const eventId = statusEventId(input.notificationId, 'Refused');
    const result = await deps.sends.cancel(input.notificationId, {
      clientId: input.clientId,
      now,
      reason: { code: 'cancelled', message: 'Cancelled by the client before its fan-out started' },
      event: { at: now, type: 'refused', detail: { code: 'cancelled' } },
      ...(deps.events ? { owedEventId: eventId } : {}),
    });
    switch (result.kind) {
      case 'missing':
        throw new AppError('NOT_FOUND', 'Notification not found');
      case 'final':
        throw new AppError('CONFLICT', `The topic send is already ${result.record.status}`);
      case 'cancelled':
        deps.logger.info(
          { notificationId: input.notificationId, clientId: input.clientId, reason: 'cancelled' },
          'topic send cancelled before its fan-out',
        );
        if (deps.events) {
          await publishOwedEvent(
            { events: deps.events, store: deps.store, logger: deps.logger },
            topicSendStatusEvent(result.record, eventId),
          );
        }
        return { record: result.record, cancelledChildren: 0 };
      case 'stopping': {
        const cancelledChildren = await cancelUnstartedChildren(deps, result.record);
        if (cancelledChildren === 0 && result.record.fanOut.complete) {
          throw new AppError(
            'CONFLICT',
            'Every child of this topic send has already started; nothing was left to cancel',
          );
        }
        return { record: result.record, cancelledChildren };
      }
    }
  };
}
