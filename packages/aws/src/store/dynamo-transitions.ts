import type { FinalOutcome, NotificationStore } from '@herald/core';
import { conditionalUpdate, readItem } from './store-context';
import type { StoreContext } from './store-context';
import { IN_PROGRESS_ATTRIBUTES, laneShard, owedEventShard } from './table-schema';

type CompleteInput = Parameters<NotificationStore['complete']>[1];
type RetryInput = Parameters<NotificationStore['scheduleRetry']>[1];
type ReceiptInput = Parameters<NotificationStore['recordReceipt']>[1];

const OWNED_PENDING = '#status = :pending AND #leaseOwner = :owner';

/** The outbox entry a final write records: the owed event, in the item's bySweep shard. */
interface OwedEvent {
  eventId: string;
  shard: string;
  at: string;
}

/** Collects SET/REMOVE clauses with their attribute names and values. */
class UpdateBuilder {
  private readonly names: Record<string, string> = {
    '#status': 'status',
    '#leaseOwner': 'leaseOwner',
    '#providerMessageId': 'providerMessageId',
  };
  private readonly sets: string[] = [];
  private readonly removes: string[] = [];
  constructor(private readonly values: Record<string, unknown>) {}
  set(field: string, value: unknown): this {
    this.names[`#${field}`] = field;
    this.values[`:${field}`] = value;
    this.sets.push(`#${field} = :${field}`);
    return this;
  }
  append(field: string, item: unknown): this {
    this.names[`#${field}`] = field;
    this.values[`:${field}`] = [item];
    this.sets.push(`#${field} = list_append(#${field}, :${field})`);
    return this;
  }
  remove(...fields: string[]): this {
    for (const f of fields) this.names[`#${f}`] = f;
    this.removes.push(...fields.map((f) => `#${f}`));
    return this;
  }
  build(condition: string) {
    const remove = this.removes.length > 0 ? ` REMOVE ${this.removes.join(', ')}` : '';
    const expression = `SET ${this.sets.join(', ')}${remove}`;
    // DynamoDB rejects names and values that no expression uses.
    const used = (key: string) => new RegExp(`${key}\\b`).test(`${condition} ${expression}`);
    return {
      ConditionExpression: condition,
      UpdateExpression: expression,
      ExpressionAttributeNames: Object.fromEntries(
        Object.entries(this.names).filter(([k]) => used(k)),
      ),
      ExpressionAttributeValues: Object.fromEntries(
        Object.entries(this.values).filter(([k]) => used(k)),
      ),
    };
  }
}

/**
 * Writes an attempt's outcome if `c.owner` still holds the lease and ends the lease. A final
 * status also leaves the sweep index; awaiting a receipt keeps it Pending with the sweep set to
 * the receipt deadline (then the worker counts the provider's acceptance). `false` when the
 * lease was lost or the notification is already final.
 */
export async function completeNotification(
  ctx: StoreContext,
  id: string,
  c: CompleteInput,
  shard: string,
): Promise<boolean> {
  const { outcome } = c;
  const update = new UpdateBuilder({ ':pending': 'Pending', ':owner': c.owner });
  update.set('updatedAt', c.now).append('events', c.event);
  if (outcome.provider !== undefined) update.set('provider', outcome.provider);
  if (outcome.providerMessageId !== undefined)
    update.set('providerMessageId', outcome.providerMessageId);
  if (outcome.status === 'Pending') {
    update
      .set('awaitingReceiptUntil', outcome.until)
      .set('sweepShard', laneShard(shard, c.lane))
      .set('sweepAt', outcome.until);
    update.remove('leaseOwner', 'leaseUntil', 'nextAttemptAt');
  } else {
    settle(update, outcome, owed(c.owedEventId, shard, c.now));
  }
  // Only the lease holder may write the outcome, and only once: a final status never changes.
  const written = await conditionalUpdate(
    ctx,
    id,
    update.build('#status = :pending AND #leaseOwner = :owner'),
  );
  return written !== undefined;
}

/**
 * Applies a delivery receipt to a Pending notification whose providerMessageId matches. Forward
 * only: once final, later receipts fail the condition and change nothing. A receipt that beats
 * the worker's write of the message id is parked on the item instead; the park is conditional on
 * the id still not matching, so either the worker's re-read after its write sees the parked
 * receipt, or this loop sees the id and applies the receipt itself. Never both, never neither.
 * Parked receipts are de-duplicated (one per message id and final status) and bounded
 * (`MAX_PARKED_RECEIPTS`), so replayed receipts cannot grow the item.
 */
export async function recordReceipt(
  ctx: StoreContext,
  id: string,
  r: ReceiptInput,
  shard: string,
): Promise<boolean> {
  for (let tries = 0; tries < 3; tries++) {
    if (await applyReceipt(ctx, id, r, owed(r.owedEventId, shard, r.now))) return true;
    if (await parkReceipt(ctx, id, r)) return false;
    // Neither applied nor parked: final, a duplicate, the parking full, or the worker wrote the
    // message id between the two writes (only then is another apply worth its write).
    if (!(await awaitsReceiptFrom(ctx, id, r.providerMessageId))) return false;
  }
  return false;
}

async function applyReceipt(
  ctx: StoreContext,
  id: string,
  r: ReceiptInput,
  owedEvent: OwedEvent | undefined,
): Promise<boolean> {
  const { outcome } = r;
  const update = new UpdateBuilder({ ':pending': 'Pending', ':pmid': r.providerMessageId });
  update.set('updatedAt', r.now).append('events', r.event);
  settle(update, outcome, owedEvent);
  const written = await conditionalUpdate(
    ctx,
    id,
    update.build('#status = :pending AND #providerMessageId = :pmid'),
  );
  return written !== undefined;
}

/**
 * Makes the update write a final status: the status, its reason, and no in-progress state. With
 * `owedEvent` the same write records that its status event is owed (the outbox), so a crash
 * before the publish cannot lose it: the sweep index entry moves to the owed-event shard.
 */
function settle(update: UpdateBuilder, outcome: FinalOutcome, owedEvent?: OwedEvent): void {
  update.set('status', outcome.status);
  if (outcome.status === 'Refused') {
    update.set('reason', { code: outcome.reason.code, message: outcome.reason.message });
  }
  if (owedEvent === undefined) {
    update.remove(...IN_PROGRESS_ATTRIBUTES);
    return;
  }
  update
    .set('owedEventId', owedEvent.eventId)
    .set('sweepShard', owedEventShard(owedEvent.shard))
    .set('sweepAt', owedEvent.at);
  update.remove(...IN_PROGRESS_ATTRIBUTES.filter((a) => a !== 'sweepShard' && a !== 'sweepAt'));
}

function owed(eventId: string | undefined, shard: string, at: string): OwedEvent | undefined {
  return eventId === undefined ? undefined : { eventId, shard, at };
}

/** At most this many early receipts wait on one notification; more are dropped. */
export const MAX_PARKED_RECEIPTS = 10;

async function parkReceipt(ctx: StoreContext, id: string, r: ReceiptInput): Promise<boolean> {
  const parked = JSON.stringify({
    providerMessageId: r.providerMessageId,
    outcome: r.outcome,
    event: r.event,
  });
  const written = await conditionalUpdate(ctx, id, {
    /*
     * Park only while the id does not match (else the receipt applies), only a receipt not parked
     * yet (its key is not in the set: a replay changes nothing), and only while fewer than the
     * maximum wait, so no number of replays grows the item.
     */
    ConditionExpression:
      '#status = :pending AND (attribute_not_exists(#pmid) OR #pmid <> :pmid)' +
      ' AND NOT contains(#keys, :key) AND (attribute_not_exists(#keys) OR size(#keys) < :max)',
    UpdateExpression:
      'SET #parked = list_append(if_not_exists(#parked, :empty), :receipt) ADD #keys :keySet',
    ExpressionAttributeNames: {
      '#status': 'status',
      '#pmid': 'providerMessageId',
      '#parked': 'parkedReceipts',
      '#keys': 'parkedKeys',
    },
    ExpressionAttributeValues: {
      ':pending': 'Pending',
      ':pmid': r.providerMessageId,
      ':empty': [],
      ':receipt': [parked],
      ':key': parkedKeyOf(r),
      ':keySet': new Set([parkedKeyOf(r)]),
      ':max': MAX_PARKED_RECEIPTS,
    },
  });
  return written !== undefined;
}

/** One parked receipt per message id and final status: a replay has the same key. */
function parkedKeyOf(r: ReceiptInput): string {
  return `${r.providerMessageId}|${r.outcome.status}`;
}

/** Whether the notification is Pending with `providerMessageId` stored (strongly consistent). */
async function awaitsReceiptFrom(
  ctx: StoreContext,
  id: string,
  providerMessageId: string,
): Promise<boolean> {
  const item = await readItem(ctx, id, ['status', 'providerMessageId']);
  return item?.status === 'Pending' && item.providerMessageId === providerMessageId;
}

/**
 * Releases the lease and sets when the next attempt may start and when the sweeper should look
 * again. `false` when the lease was lost or the notification is already final.
 */
export async function scheduleRetry(
  ctx: StoreContext,
  id: string,
  r: RetryInput,
  shard: string,
): Promise<boolean> {
  const written = await conditionalUpdate(ctx, id, {
    ConditionExpression: OWNED_PENDING,
    UpdateExpression:
      'SET #nextAttemptAt = :next, #sweepShard = :shard, #sweepAt = :sweepAt, #updatedAt = :now,' +
      ' #events = list_append(#events, :event)' +
      // A paced attempt sent nothing: give the attempt back so pacing never uses up retries.
      (r.refundAttempt ? ', #attempts = #attempts - :one' : '') +
      ' REMOVE #leaseOwner, #leaseUntil',
    ExpressionAttributeNames: {
      '#status': 'status',
      '#leaseOwner': 'leaseOwner',
      '#leaseUntil': 'leaseUntil',
      '#nextAttemptAt': 'nextAttemptAt',
      '#sweepShard': 'sweepShard',
      '#sweepAt': 'sweepAt',
      '#updatedAt': 'updatedAt',
      '#events': 'events',
      ...(r.refundAttempt ? { '#attempts': 'attempts' } : {}),
    },
    ExpressionAttributeValues: {
      ...(r.refundAttempt ? { ':one': 1 } : {}),
      ':pending': 'Pending',
      ':owner': r.owner,
      ':next': r.nextAttemptAt,
      ':shard': laneShard(shard, r.lane),
      ':sweepAt': r.sweepAt,
      ':now': r.now,
      ':event': [r.event],
    },
  });
  return written !== undefined;
}
