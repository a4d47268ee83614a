import {
  backoffDelayMs,
  errorSummary,
  statusEventId,
  type Logger,
  type QueueMessage,
  type StatusEvent,
} from '@herald/core';
import { CallbackError, type CallbackSender } from '@herald/providers';
import type { MessageOutcome } from './queue-consumer';

export interface CallbackHandlerOptions {
  sender: CallbackSender;
  logger: Logger;
  /** Tries in all before a callback is given up (the notification's status is unaffected). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Handles one message of the callbacks queue (a status event from the `herald-status-events`
 * topic, filtered to notifications with a `callbackUrl`): POSTs it to the client, signed. A
 * retryable failure hides the message with capped exponential backoff; a permanent one, or the
 * last attempt, drops it with a log line. Callbacks never change a notification's status.
 */
export function createCallbackHandler(opts: CallbackHandlerOptions) {
  const policy = {
    maxAttempts: opts.maxAttempts,
    baseDelayMs: opts.baseDelayMs,
    maxDelayMs: opts.maxDelayMs,
  };
  return async function handleCallback(message: QueueMessage): Promise<MessageOutcome> {
    const event = parseEvent(message.body);
    if (event === undefined) {
      opts.logger.error(
        { sqsBody: message.body.slice(0, 200) },
        'callback message is not a status event; dropped',
      );
      return { kind: 'done' };
    }
    const log = opts.logger.child({
      notificationId: event.id,
      eventId: event.eventId,
      clientId: event.clientId,
      status: event.status,
      attempt: message.receiveCount,
    });
    try {
      await opts.sender.send(event);
      log.info({}, 'callback delivered');
      return { kind: 'done' };
    } catch (err) {
      const retryable = err instanceof CallbackError ? err.retryable : true;
      if (!retryable || message.receiveCount >= opts.maxAttempts) {
        log.warn({ err: errorSummary(err), retryable }, 'callback given up');
        return { kind: 'done' };
      }
      const delayMs = backoffDelayMs(policy, message.receiveCount);
      log.warn({ err: errorSummary(err), retryInMs: delayMs }, 'callback failed; will retry');
      return { kind: 'retry-later', delayMs };
    }
  };
}

function parseEvent(body: string): (StatusEvent & { callbackUrl: string }) | undefined {
  try {
    const value = JSON.parse(body) as Partial<StatusEvent>;
    if (
      typeof value.id === 'string' &&
      typeof value.callbackUrl === 'string' &&
      typeof value.status === 'string'
    ) {
      // Events published before event ids existed get the id their publish would carry now.
      const eventId =
        typeof value.eventId === 'string' ? value.eventId : statusEventId(value.id, value.status);
      return { ...value, eventId } as StatusEvent & { callbackUrl: string };
    }
  } catch {
    // not JSON: reported by the caller
  }
  return undefined;
}
