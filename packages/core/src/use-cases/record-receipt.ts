import type { FinalOutcome, RefusalReason } from '../notification';
import type { Clock, Logger, NotificationStore, StatusEventPublisher } from '../ports';
import { statusEventId, statusEventOf } from '../status-event';
import { publishOwedEvent } from './publish-status';

export interface RecordReceiptDeps {
  store: NotificationStore;
  clock: Clock;
  logger: Logger;
  /** Publishes the final status right after the write (the receipt's answer waits for it). */
  events?: StatusEventPublisher;
}

export interface ReceiptInput {
  notificationId: string;
  provider: string;
  providerMessageId: string;
  /** What the provider says happened. `pending` receipts (queued, sent) change nothing. */
  outcome: 'delivered' | 'failed' | 'pending';
  reason?: RefusalReason;
  providerStatus: string;
}

/**
 * Applies a provider's delivery receipt. Only moves a Pending notification forward to Delivered
 * or Refused: a duplicate, late or out-of-order receipt leaves the most advanced state. Returns
 * whether the status changed.
 */
export function createRecordReceipt(deps: RecordReceiptDeps) {
  return async function recordReceipt(input: ReceiptInput): Promise<boolean> {
    if (input.outcome === 'pending') return false;
    const at = deps.clock.now().toISOString();
    const outcome: FinalOutcome =
      input.outcome === 'delivered'
        ? {
            status: 'Delivered',
            provider: input.provider,
            providerMessageId: input.providerMessageId,
          }
        : {
            status: 'Refused',
            provider: input.provider,
            providerMessageId: input.providerMessageId,
            reason: input.reason ?? {
              code: 'provider_undelivered',
              message: `${input.provider} reported ${input.providerStatus}`,
            },
          };
    const applied = await deps.store.recordReceipt(input.notificationId, {
      now: at,
      providerMessageId: input.providerMessageId,
      outcome,
      event: {
        at,
        type: 'receipt',
        detail: { provider: input.provider, providerStatus: input.providerStatus },
      },
      ...(deps.events ? { owedEventId: statusEventId(input.notificationId, outcome.status) } : {}),
    });
    const fields = {
      notificationId: input.notificationId,
      provider: input.provider,
      status: outcome.status,
      providerStatus: input.providerStatus,
    };
    if (!applied) {
      deps.logger.info(fields, 'receipt ignored: the notification is already final or unknown');
      return false;
    }
    deps.logger.info(fields, `notification ${outcome.status.toLowerCase()} by receipt`);
    if (deps.events) {
      const record = await deps.store.get(input.notificationId);
      // Owed since the write: a crash or failure here leaves it to the worker's recovery scan.
      if (record) await publishOwedEvent({ ...deps, events: deps.events }, statusEventOf(record));
    }
    return true;
  };
}
