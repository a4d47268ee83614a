import type { SuppressionList } from '../audience/suppression';
import { createSuppressionGate } from '../delivery/suppression-gate';
import type { FinalOutcome, NotificationRecord, RefusalReason } from '../notification';
import type { Clock, Logger, NotificationStore, StatusEventPublisher } from '../ports';
import { statusEventId, statusEventOf } from '../status-event';
import { publishOwedEvent } from './publish-status';

export interface RecordReceiptDeps {
  store: NotificationStore;
  clock: Clock;
  logger: Logger;
  /** Publishes the final status right after the write (the receipt's answer waits for it). */
  events?: StatusEventPublisher;
  /** A receipt that says the recipient opted out (Twilio 21610) adds the number to this list. */
  suppressions?: SuppressionList;
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
  const gate = createSuppressionGate(deps);
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
    const learns = deps.suppressions !== undefined && outcome.status === 'Refused';
    let record: NotificationRecord | undefined;
    if (deps.events || learns) record = await deps.store.get(input.notificationId);
    if (record && outcome.status === 'Refused') await gate.learn(record, outcome.reason.code);
    if (deps.events && record) {
      // Owed since the write: a crash or failure here leaves it to the worker's recovery scan.
      await publishOwedEvent({ ...deps, events: deps.events }, statusEventOf(record));
    }
    return true;
  };
}
