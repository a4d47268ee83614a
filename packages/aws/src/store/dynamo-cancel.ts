import { AppError, whyNotCancellable } from '@herald/core';
import type { CancelInput, CancelResult } from '@herald/core';
import { fromItem } from './notification-item';
import { conditionalUpdate, readRecord } from './store-context';
import type { StoreContext } from './store-context';
import { refusalUpdate } from './dynamo-refuse';

// A lost race means a worker or a receipt changed the item in between; re-read and decide again.
const MAX_TRIES = 3;

/**
 * Cancels a notification with one conditional UpdateItem: the claim's lease condition
 * (dynamo-claim.ts) inverted, plus the client's ownership. It must be Pending, belong to
 * `c.clientId`, hold no lease in force (absent, or `leaseUntil <= now`) and await no receipt (no
 * provider accepted it). A claim sets a lease in force, so once it has won the cancel's
 * condition fails; once the cancel has won the claim's `status = Pending` fails: exactly one of
 * the two succeeds. When the condition fails, the item is read and classified by
 * `whyNotCancellable` (another client's notification is `missing`, like an unknown id).
 */
export async function cancelNotification(
  ctx: StoreContext,
  id: string,
  c: CancelInput,
  shard: string,
): Promise<CancelResult> {
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const written = await writeCancel(ctx, id, c, shard);
    if (written !== undefined) return { kind: 'cancelled', record: fromItem(written) };
    const current = await readRecord(ctx, id);
    if (current?.clientId !== c.clientId) return { kind: 'missing' };
    const blocked = whyNotCancellable(current, c.now);
    if (blocked !== undefined) return { kind: blocked, record: current };
  }
  throw new AppError('UNAVAILABLE', `cancel of ${id} lost ${MAX_TRIES} races in a row`);
}

function writeCancel(ctx: StoreContext, id: string, c: CancelInput, shard: string) {
  const refusal = refusalUpdate(c, shard);
  return conditionalUpdate(ctx, id, {
    ConditionExpression:
      '#status = :pending AND #clientId = :client' +
      ' AND (attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now)' +
      ' AND attribute_not_exists(#awaitingReceiptUntil)',
    ...refusal,
    ExpressionAttributeNames: { ...refusal.ExpressionAttributeNames, '#clientId': 'clientId' },
    ExpressionAttributeValues: {
      ...refusal.ExpressionAttributeValues,
      ':pending': 'Pending',
      ':client': c.clientId,
    },
    ReturnValues: 'ALL_NEW',
  });
}
