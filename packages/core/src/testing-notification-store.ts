import { laneOf, type Lane } from './lane';
import type { NotificationRecord, NotificationStatus } from './notification';
import { sendAtOf, whyNotCancellable, type CancelResult, type SweepEntry } from './schedule';
import type {
  ClaimResult,
  CreateResult,
  ListPage,
  ListQuery,
  NotificationStore,
  StatusEvent,
} from './ports';
import { statusEventOf } from './status-event';

/**
 * The notification store held in memory, following the DynamoDB adapter's rules (conditional
 * writes, claim leases, the status-event outbox). Import it from `@herald/core/testing`.
 */
export class InMemoryNotificationStore implements NotificationStore {
  readonly records = new Map<string, NotificationRecord>();
  readonly sweepAt = new Map<string, string>();
  /** Ids created `scheduled` and not swept since (the DynamoDB store's `S` shards). */
  readonly scheduled = new Set<string>();
  /** The status-event outbox: notification id → the owed event's id and its final write's time. */
  readonly owed = new Map<string, { eventId: string; at: string }>();

  create(record: NotificationRecord, sweepAt: string, scheduled = false): Promise<CreateResult> {
    const existing = this.records.get(record.id);
    if (existing) return Promise.resolve({ created: false, existing: structuredClone(existing) });
    this.records.set(record.id, structuredClone(record));
    this.sweepAt.set(record.id, sweepAt);
    if (scheduled) this.scheduled.add(record.id);
    return Promise.resolve({ created: true });
  }

  get(id: string): Promise<NotificationRecord | undefined> {
    const r = this.records.get(id);
    return Promise.resolve(r && structuredClone(r));
  }

  listByClient(clientId: string, query: ListQuery): Promise<ListPage> {
    const all = [...this.records.values()]
      .filter(
        (r) => r.clientId === clientId && (query.status === undefined || r.status === query.status),
      )
      .sort((a, b) => (a.createdAt + a.id < b.createdAt + b.id ? 1 : -1));
    const start = query.cursor === undefined ? 0 : all.findIndex((r) => r.id === query.cursor) + 1;
    const items = all.slice(start, start + query.limit);
    const last = items.at(-1);
    const more = start + query.limit < all.length;
    return Promise.resolve({
      items: structuredClone(items),
      ...(more && last ? { nextCursor: last.id } : {}),
    });
  }

  claim(id: string, c: Parameters<NotificationStore['claim']>[1]): Promise<ClaimResult> {
    const r = this.records.get(id);
    if (!r) return Promise.resolve({ kind: 'missing' });
    if (r.status !== 'Pending')
      return Promise.resolve({ kind: 'final', record: structuredClone(r) });
    if (r.lease && r.lease.owner !== c.owner && r.lease.until > c.now) {
      return Promise.resolve({ kind: 'leased', until: r.lease.until });
    }
    if (r.nextAttemptAt && r.nextAttemptAt > c.now) {
      return Promise.resolve({ kind: 'not-due', at: r.nextAttemptAt });
    }
    if (r.awaitingReceiptUntil && r.awaitingReceiptUntil > c.now) {
      return Promise.resolve({ kind: 'not-due', at: r.awaitingReceiptUntil });
    }
    const sendAt = sendAtOf(r);
    if (sendAt !== undefined && sendAt > c.now)
      return Promise.resolve({ kind: 'not-due', at: sendAt });
    r.lease = { owner: c.owner, until: c.leaseUntil };
    r.attempts += 1;
    r.updatedAt = c.now;
    r.events.push({ ...c.event, detail: { attempt: r.attempts } });
    delete r.nextAttemptAt;
    return Promise.resolve({ kind: 'claimed', record: structuredClone(r) });
  }

  complete(id: string, c: Parameters<NotificationStore['complete']>[1]): Promise<boolean> {
    const r = this.records.get(id);
    if (!r || r.status !== 'Pending' || r.lease?.owner !== c.owner) return Promise.resolve(false);
    const o = c.outcome;
    r.updatedAt = c.now;
    r.events.push(c.event);
    delete r.lease;
    if (o.provider !== undefined) r.provider = o.provider;
    if (o.providerMessageId !== undefined) r.providerMessageId = o.providerMessageId;
    if (o.status === 'Pending') {
      r.awaitingReceiptUntil = o.until;
      this.sweepAt.set(id, o.until);
      this.scheduled.delete(id);
      return Promise.resolve(true);
    }
    r.status = o.status;
    if (o.status === 'Refused') r.reason = o.reason;
    delete r.awaitingReceiptUntil;
    this.sweepAt.delete(id);
    this.scheduled.delete(id);
    if (c.owedEventId !== undefined) this.owed.set(id, { eventId: c.owedEventId, at: c.now });
    return Promise.resolve(true);
  }

  recordReceipt(
    id: string,
    c: Parameters<NotificationStore['recordReceipt']>[1],
  ): Promise<boolean> {
    const r = this.records.get(id);
    if (!r || r.status !== 'Pending') return Promise.resolve(false);
    if (r.providerMessageId !== c.providerMessageId) {
      const parked = { providerMessageId: c.providerMessageId, outcome: c.outcome, event: c.event };
      const waiting = r.parkedReceipts ?? [];
      // Like the DynamoDB store: one per message id and final status, at most 10.
      const duplicate = waiting.some(
        (p) => p.providerMessageId === c.providerMessageId && p.outcome.status === c.outcome.status,
      );
      if (!duplicate && waiting.length < 10) r.parkedReceipts = [...waiting, parked];
      return Promise.resolve(false);
    }
    r.status = c.outcome.status;
    r.updatedAt = c.now;
    if (c.outcome.status === 'Refused') r.reason = c.outcome.reason;
    r.events.push(c.event);
    delete r.awaitingReceiptUntil;
    delete r.parkedReceipts;
    delete r.lease;
    this.sweepAt.delete(id);
    this.scheduled.delete(id);
    if (c.owedEventId !== undefined) this.owed.set(id, { eventId: c.owedEventId, at: c.now });
    return Promise.resolve(true);
  }

  scheduleRetry(
    id: string,
    c: Parameters<NotificationStore['scheduleRetry']>[1],
  ): Promise<boolean> {
    const r = this.records.get(id);
    if (!r || r.status !== 'Pending' || r.lease?.owner !== c.owner) return Promise.resolve(false);
    r.nextAttemptAt = c.nextAttemptAt;
    r.updatedAt = c.now;
    if (c.refundAttempt) r.attempts -= 1;
    r.events.push(c.event);
    delete r.lease;
    this.sweepAt.set(id, c.sweepAt);
    this.scheduled.delete(id);
    return Promise.resolve(true);
  }

  findDueForSweep(now: string, limit: number, lane?: Lane): Promise<SweepEntry[]> {
    return this.sweepEntries(now, limit, false, lane);
  }

  findScheduled(until: string, limit: number, lane?: Lane): Promise<SweepEntry[]> {
    return this.sweepEntries(until, limit, true, lane);
  }

  /** The lane comes from the record itself (the DynamoDB store keeps it in the shard family). */
  private sweepEntries(
    until: string,
    limit: number,
    scheduled: boolean,
    lane: Lane | undefined,
  ): Promise<SweepEntry[]> {
    const due = [...this.sweepAt.entries()]
      .filter(([id, at]) => at <= until && this.scheduled.has(id) === scheduled)
      .map(([id, sweepAt]): SweepEntry => {
        const recordLane = this.records.get(id)?.lane;
        return recordLane === undefined ? { id, sweepAt } : { id, sweepAt, lane: recordLane };
      })
      .filter((entry) => lane === undefined || laneOf(entry) === lane)
      .sort((a, b) => (a.sweepAt < b.sweepAt ? -1 : a.sweepAt > b.sweepAt ? 1 : 0));
    return Promise.resolve(due.slice(0, limit));
  }

  cancel(id: string, c: Parameters<NotificationStore['cancel']>[1]): Promise<CancelResult> {
    const r = this.records.get(id);
    if (!r || r.clientId !== c.clientId) return Promise.resolve({ kind: 'missing' });
    const blocked = whyNotCancellable(r, c.now);
    if (blocked !== undefined)
      return Promise.resolve({ kind: blocked, record: structuredClone(r) });
    r.status = 'Refused';
    r.reason = { code: c.reason.code, message: c.reason.message };
    r.updatedAt = c.now;
    r.events.push(c.event);
    delete r.lease;
    delete r.nextAttemptAt;
    this.sweepAt.delete(id);
    this.scheduled.delete(id);
    if (c.owedEventId !== undefined) this.owed.set(id, { eventId: c.owedEventId, at: c.now });
    return Promise.resolve({ kind: 'cancelled', record: structuredClone(r) });
  }

  markSwept(id: string, nextSweepAt: string): Promise<void> {
    if (this.records.get(id)?.status !== 'Pending') return Promise.resolve();
    this.sweepAt.set(id, nextSweepAt);
    this.scheduled.delete(id);
    return Promise.resolve();
  }

  refuseUnprocessable(
    id: string,
    c: Parameters<NotificationStore['refuseUnprocessable']>[1],
  ): Promise<'refused' | 'final' | 'missing'> {
    const r = this.records.get(id);
    if (!r) return Promise.resolve('missing');
    if (r.status !== 'Pending') return Promise.resolve('final');
    r.status = 'Refused';
    r.reason = { code: c.reason.code, message: c.reason.message };
    r.updatedAt = c.now;
    r.events.push(c.event);
    delete r.lease;
    delete r.nextAttemptAt;
    delete r.awaitingReceiptUntil;
    delete r.parkedReceipts;
    this.sweepAt.delete(id);
    this.scheduled.delete(id);
    if (c.owedEventId !== undefined) this.owed.set(id, { eventId: c.owedEventId, at: c.now });
    return Promise.resolve('refused');
  }

  statusOf(id: string): Promise<NotificationStatus | undefined> {
    return Promise.resolve(this.records.get(id)?.status);
  }

  findOwedEvents(before: string, limit: number): Promise<string[]> {
    const due = [...this.owed.entries()].filter(([, o]) => o.at <= before).map(([id]) => id);
    return Promise.resolve(due.slice(0, limit));
  }

  owedEvent(id: string): Promise<StatusEvent | undefined> {
    const owed = this.owed.get(id);
    const r = this.records.get(id);
    if (!owed || !r) return Promise.resolve(undefined);
    return Promise.resolve({ ...statusEventOf(structuredClone(r)), eventId: owed.eventId });
  }

  clearOwedEvent(id: string, eventId: string): Promise<void> {
    if (this.owed.get(id)?.eventId === eventId) this.owed.delete(id);
    return Promise.resolve();
  }
}
