import type { SendTimeAudience } from '../audience/send-time-audience';
import type { NotificationEvent, NotificationRecord } from '../notification';
import type {
  AttemptOutcome,
  Clock,
  DeadTargetStore,
  Logger,
  NotificationStore,
  Provider,
  SendResult,
  StatusEventRelay,
} from '../ports';
import type { ProviderError } from '../errors';
import type { RefusalCode } from '../refusal-code';
import { settledRecord, statusEventId, statusEventOf } from '../status-event';
import type { DeliveryOutcome } from './delivery-outcome';
import { pruneGoneDevice } from './device-pruner';
import { logIds } from './log-ids';

export interface OutcomeWriterDeps {
  store: NotificationStore;
  clock: Clock;
  logger: Logger;
  /** The lease owner: every write is conditional on this worker still holding the lease. */
  workerId: string;
  /** How long to wait for a delivery receipt before the provider's acceptance counts. */
  receiptTimeoutMs: number;
  deadTargets?: DeadTargetStore;
  /** Without it, a recipient's gone device is not removed. */
  audience?: SendTimeAudience;
  /** Final statuses are recorded as owed events and handed here; the slot never waits for SNS. */
  events?: StatusEventRelay;
}

/** Records an attempt's end on the notification; each write is conditional on the lease. */
export interface OutcomeWriter {
  /** Writes the outcome with its event; a final one is relayed, a Pending one applies a parked receipt. */
  finish(
    record: NotificationRecord,
    outcome: AttemptOutcome,
    extra?: Record<string, string>,
  ): Promise<DeliveryOutcome>;
  /** Refused without a provider (expired, no route, dead target). */
  refuse(record: NotificationRecord, code: RefusalCode, message: string): Promise<DeliveryOutcome>;
  /**
   * A provider refused for good; a dead target is remembered so it is never tried again, and the
   * recipient's device it came from (if any) is removed.
   */
  refuseForGood(
    record: NotificationRecord,
    failure: ProviderError,
    targetKey: string | undefined,
  ): Promise<DeliveryOutcome>;
  /** A provider accepted: Delivered, or Pending until its receipt (or the receipt timeout). */
  accepted(
    record: NotificationRecord,
    provider: Provider,
    result: SendResult,
    failures: readonly ProviderError[],
  ): Promise<DeliveryOutcome>;
}

/** Builds the writer; it never throws except when the store is unreachable. */
export function createOutcomeWriter(deps: OutcomeWriterDeps): OutcomeWriter {
  async function finish(
    record: NotificationRecord,
    outcome: AttemptOutcome,
    extra: Record<string, string> = {},
  ): Promise<DeliveryOutcome> {
    const at = deps.clock.now().toISOString();
    const event: NotificationEvent =
      outcome.status === 'Refused'
        ? { at, type: 'refused', detail: { code: outcome.reason.code, ...extra } }
        : outcome.status === 'Delivered' && record.awaitingReceiptUntil !== undefined
          ? { at, type: 'delivered', detail: { provider: outcome.provider, ...extra } }
          : {
              at,
              type: 'provider_accepted',
              detail: {
                provider: outcome.provider,
                providerMessageId: outcome.providerMessageId,
                ...(outcome.status === 'Pending' ? { awaitingReceipt: true } : {}),
                ...extra,
              },
            };
    const written = await deps.store.complete(record.id, {
      owner: deps.workerId,
      now: at,
      outcome,
      event,
      ...owedEventOf(record.id, outcome),
      ...(record.lane === undefined ? {} : { lane: record.lane }),
    });
    const fields = {
      ...logIds(record),
      provider: outcome.provider,
      attempt: record.attempts,
      status: outcome.status,
      reason: outcome.status === 'Refused' ? outcome.reason.code : undefined,
    };
    if (!written) {
      deps.logger.warn(fields, 'lease lost before the outcome was written; another worker owns it');
    } else if (outcome.status === 'Pending') {
      deps.logger.info(fields, 'provider accepted; waiting for the delivery receipt');
      return applyParkedReceipt(record.id, outcome.providerMessageId);
    } else {
      deps.logger.info(fields, `notification ${outcome.status.toLowerCase()}`);
      deps.events?.relay(statusEventOf(settledRecord(record, outcome, at)));
    }
    return { kind: 'done', status: outcome.status };
  }

  /**
   * A receipt can beat the write of the provider's message id (Twilio calls back fast); it is then
   * parked on the notification. Now that the id is stored, apply it, as the receipt route would.
   */
  async function applyParkedReceipt(
    id: string,
    providerMessageId: string,
  ): Promise<DeliveryOutcome> {
    const current = await deps.store.get(id);
    const parked = current?.parkedReceipts?.find((p) => p.providerMessageId === providerMessageId);
    if (!current || !parked) return { kind: 'done', status: 'Pending' };
    const applied = await deps.store.recordReceipt(id, {
      now: parked.event.at,
      providerMessageId,
      outcome: parked.outcome,
      event: parked.event,
      ...owedEventOf(id, parked.outcome),
    });
    if (!applied) return { kind: 'done', status: 'Pending' };
    deps.logger.info(
      { ...logIds(current), provider: parked.outcome.provider, status: parked.outcome.status },
      `notification ${parked.outcome.status.toLowerCase()} by an early receipt`,
    );
    deps.events?.relay(statusEventOf(settledRecord(current, parked.outcome, parked.event.at)));
    return { kind: 'done', status: parked.outcome.status };
  }

  /** A final write owes a status event when events are published at all. */
  function owedEventOf(id: string, outcome: AttemptOutcome): { owedEventId?: string } {
    return deps.events && outcome.status !== 'Pending'
      ? { owedEventId: statusEventId(id, outcome.status) }
      : {};
  }

  return {
    finish,
    refuse: (record, code, message) =>
      finish(record, { status: 'Refused', reason: { code, message } }),
    async refuseForGood(record, failure, targetKey) {
      if (failure.deadTarget && targetKey !== undefined && deps.deadTargets) {
        await deps.deadTargets.markDead(targetKey, {
          reason: failure.reasonCode,
          at: deps.clock.now().toISOString(),
        });
      }
      if (failure.deadTarget) await pruneGoneDevice(deps, record);
      return finish(record, {
        status: 'Refused',
        provider: failure.provider,
        reason: { code: failure.reasonCode, message: failure.message },
      });
    },
    accepted(record, provider, result, failures) {
      const failover: Record<string, string> = {};
      if (failures.length > 0) {
        failover.failedOver = failures.map((f) => `${f.provider}:${f.reasonCode}`).join(',');
      }
      const outcome: AttemptOutcome = result.awaitingReceipt
        ? {
            status: 'Pending',
            provider: provider.name,
            providerMessageId: result.providerMessageId,
            until: new Date(deps.clock.now().getTime() + deps.receiptTimeoutMs).toISOString(),
          }
        : {
            status: 'Delivered',
            provider: provider.name,
            providerMessageId: result.providerMessageId,
          };
      return finish(record, outcome, failover);
    },
  };
}
