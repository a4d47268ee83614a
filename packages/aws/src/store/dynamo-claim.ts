import { AppError, sendAtOf } from '@herald/core';
import type { ClaimResult, NotificationRecord, NotificationStore } from '@herald/core';
import { fromItem } from './notification-item';
import { conditionalUpdate, readRecord } from './store-context';
import type { StoreContext } from './store-context';

type ClaimInput = Parameters<NotificationStore['claim']>[1];

// Each lost race means another writer changed the item; three in a row is contention worth
// surfacing rather than spinning on.
const MAX_TRIES = 3;

/**
 * Claims a notification with one conditional write, and reads first only when that fails.
 *
 * The `attempt_started` event carries the attempt number the claim creates, and an update
 * expression cannot compute a value inside a list element, so the write must know the current
 * attempt count: `attempts = :seen` is its version check. Almost every claim is a notification's
 * first, so the first write guesses `attempts = 0` and costs a single round trip. If it fails
 * (a retry, a redelivery, a final or leased notification, a missing one), the item is read,
 * classified by the same rules as the in-memory store, and written again conditionally on
 * nothing having changed; a concurrent claim, completion or retry in between makes that write
 * fail and the loop re-reads. Of two concurrent claimants exactly one wins; the other sees
 * `leased`.
 */
export async function claimNotification(
  ctx: StoreContext,
  id: string,
  c: ClaimInput,
): Promise<ClaimResult> {
  const first = await writeClaim(ctx, id, 0, c);
  if (first !== undefined) return { kind: 'claimed', record: first };
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const current = await readRecord(ctx, id);
    if (current === undefined) return { kind: 'missing' };
    const blocked = whyNotClaimable(current, c);
    if (blocked !== undefined) return blocked;
    const claimed = await writeClaim(ctx, id, current.attempts, c);
    if (claimed !== undefined) return { kind: 'claimed', record: claimed };
  }
  throw new AppError('UNAVAILABLE', `claim of ${id} lost ${MAX_TRIES} races in a row`);
}

/** The in-memory store's rules, in the same order; `undefined` means it may be claimed. */
export function whyNotClaimable(
  record: NotificationRecord,
  c: Pick<ClaimInput, 'owner' | 'now'>,
): ClaimResult | undefined {
  if (record.status !== 'Pending') return { kind: 'final', record };
  const lease = record.lease;
  if (lease !== undefined && lease.owner !== c.owner && lease.until > c.now) {
    return { kind: 'leased', until: lease.until };
  }
  if (record.nextAttemptAt !== undefined && record.nextAttemptAt > c.now) {
    return { kind: 'not-due', at: record.nextAttemptAt };
  }
  if (record.awaitingReceiptUntil !== undefined && record.awaitingReceiptUntil > c.now) {
    return { kind: 'not-due', at: record.awaitingReceiptUntil };
  }
  const sendAt = sendAtOf(record);
  if (sendAt !== undefined && sendAt > c.now) return { kind: 'not-due', at: sendAt };
  return undefined;
}

async function writeClaim(
  ctx: StoreContext,
  id: string,
  seenAttempts: number,
  c: ClaimInput,
): Promise<NotificationRecord | undefined> {
  const attempt = seenAttempts + 1;
  const attributes = await conditionalUpdate(ctx, id, {
    /*
     * Claimable means: still Pending; not leased, or the lease expired, or it is ours already
     * (a redelivered message to the same worker); and any retry delay has passed. ISO-8601
     * timestamps in UTC compare correctly as strings. `attempts = :seen` makes the attempt
     * number in the event exact: if anyone claimed in between, this write fails. A scheduled
     * notification is never claimed before its `sendAt` (stored in UTC by toItem), so a message
     * that arrives early cannot start a send. A cancel (dynamo-cancel.ts) is this write's lease
     * condition inverted: of the two, exactly one succeeds.
     */
    ConditionExpression:
      '#status = :pending AND #attempts = :seen' +
      ' AND (attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now OR #leaseOwner = :owner)' +
      ' AND (attribute_not_exists(#nextAttemptAt) OR #nextAttemptAt <= :now)' +
      ' AND (attribute_not_exists(#awaitingReceiptUntil) OR #awaitingReceiptUntil <= :now)' +
      ' AND (attribute_not_exists(#sendAt) OR #sendAt <= :now)',
    UpdateExpression:
      'SET #leaseOwner = :owner, #leaseUntil = :until, #attempts = :attempt,' +
      ' #updatedAt = :now, #events = list_append(#events, :event) REMOVE #nextAttemptAt',
    ExpressionAttributeNames: {
      '#status': 'status',
      '#attempts': 'attempts',
      '#leaseOwner': 'leaseOwner',
      '#leaseUntil': 'leaseUntil',
      '#nextAttemptAt': 'nextAttemptAt',
      '#awaitingReceiptUntil': 'awaitingReceiptUntil',
      '#sendAt': 'sendAt',
      '#updatedAt': 'updatedAt',
      '#events': 'events',
    },
    ExpressionAttributeValues: {
      ':pending': 'Pending',
      ':seen': seenAttempts,
      ':now': c.now,
      ':owner': c.owner,
      ':until': c.leaseUntil,
      ':attempt': attempt,
      ':event': [{ ...c.event, detail: { attempt } }],
    },
    ReturnValues: 'ALL_NEW',
  });
  return attributes === undefined ? undefined : fromItem(attributes);
}
