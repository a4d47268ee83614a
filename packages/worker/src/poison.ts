import {
  AppError,
  errorSummary,
  statusEventId,
  type Clock,
  type Logger,
  type NotificationStore,
  type QueueMessage,
  type StatusEventRelay,
} from '@herald/core';
import type { ProcessingVerdict } from './queue-consumer';

export interface PoisonPolicyOptions {
  store: Pick<NotificationStore, 'refuseUnprocessable' | 'statusOf' | 'owedEvent'>;
  clock: Clock;
  logger: Logger;
  /** The work queue's maxReceiveCount: SQS moves a message to the DLQ after that many receives. */
  maxReceiveCount: number;
  /** The refusal's status event is recorded as owed in the refusing write and relayed here. */
  events?: StatusEventRelay;
}

/** The refusal reason of a notification whose message failed on every receive. */
export const PROCESSING_FAILED = {
  code: 'processing_failed',
  message: 'processing failed repeatedly; see the dead-letter queue',
} as const;

/**
 * What the consumer does with a message whose processing threw (a poison message: the item is
 * malformed, or reading it fails every time). On its last receives before SQS dead-letters it
 * (`receiveCount >= maxReceiveCount - 1`, so a failed refusal gets one more try) the notification
 * is refused with `processing_failed`, so it never stays Pending and the sweeper never
 * re-enqueues it, and its status event is published like any other final status (built from
 * what can be read of the item); the message is left to go to the DLQ as evidence. On an earlier receive, a
 * notification that is already final (a message redriven from the DLQ after its refusal) makes
 * the message pointless: it is acked. Otherwise it is left for redelivery. A transient failure
 * (`UNAVAILABLE`: the store or queue could not be reached) is no sign of poison: it resolves
 * `'retry'` on any receive, so an outage never refuses or dead-letters a healthy notification.
 * Resolves `'ack'`, `'retry'` or `'leave'`; throws when the store cannot be reached (the
 * consumer then leaves the message).
 */
export function createPoisonPolicy(opts: PoisonPolicyOptions) {
  return async function onProcessingFailure(
    message: QueueMessage,
    err: unknown,
  ): Promise<ProcessingVerdict> {
    if (err instanceof AppError && err.code === 'UNAVAILABLE') return 'retry';
    const id = message.notificationId;
    const log = opts.logger.child({ notificationId: id, receiveCount: message.receiveCount });
    if (message.receiveCount >= opts.maxReceiveCount - 1) {
      const at = opts.clock.now().toISOString();
      const result = await opts.store.refuseUnprocessable(id, {
        now: at,
        reason: PROCESSING_FAILED,
        event: {
          at,
          type: 'refused',
          detail: { code: PROCESSING_FAILED.code, receiveCount: message.receiveCount },
        },
        ...(opts.events ? { owedEventId: statusEventId(id, 'Refused') } : {}),
      });
      if (result === 'refused') {
        log.error(
          { status: 'Refused', reason: PROCESSING_FAILED.code, err: errorSummary(err) },
          'notification refused: processing failed repeatedly; its message goes to the DLQ',
        );
        await relayOwedEvent(opts, id);
      }
      return 'leave';
    }
    const status = await opts.store.statusOf(id);
    if (status === undefined || status === 'Pending') return 'leave';
    log.warn({ status }, 'processing failed, but the notification is final; dropping the message');
    return 'ack';
  };
}

/** The refusal is written and its event owed: a failed read here leaves it to recovery. */
async function relayOwedEvent(opts: PoisonPolicyOptions, id: string): Promise<void> {
  if (!opts.events) return;
  try {
    const event = await opts.store.owedEvent(id);
    if (event) opts.events.relay(event);
  } catch (err) {
    opts.logger.warn(
      { notificationId: id, err: errorSummary(err) },
      'status event of a refusal not relayed; recovery publishes it',
    );
  }
}
