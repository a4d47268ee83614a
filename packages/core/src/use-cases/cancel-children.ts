import type { ChildStore } from '../fan-out/fan-out-ports';
import type { Clock, Logger, NotificationStore } from '../ports';
import { statusEventId } from '../status-event';
import type { RefusalReason } from '../notification';
import type { TopicSendRecord } from '../topic-send';

export interface CancelChildrenDeps {
  children: Pick<ChildStore, 'listChildren'>;
  notifications: Pick<NotificationStore, 'cancel'>;
  clock: Clock;
  logger: Logger;
  /** Status events are published (a topic is configured): a cancelled child's event is owed. */
  owesEvents?: boolean;
}

const CONCURRENCY = 16;

/**
 * Cancels the children of a cancelled topic send that have not started: each with the same
 * conditional write as a direct cancel, so a child a worker already claimed is left to finish
 * and is not counted. `ids`: only these (a page created while the cancel arrived); otherwise
 * every Pending child the index shows. Resolves with how many were cancelled. Their status
 * events, when owed, are published by the workers' outbox recovery.
 */
export async function cancelUnstartedChildren(
  deps: CancelChildrenDeps,
  parent: Pick<TopicSendRecord, 'id' | 'clientId'>,
  ids?: readonly string[],
): Promise<number> {
  let cancelled = 0;
  const cancelEach = async (batch: readonly string[]) => {
    for (let i = 0; i < batch.length; i += CONCURRENCY) {
      const results = await Promise.all(
        batch.slice(i, i + CONCURRENCY).map((id) => cancelOne(deps, parent, id)),
      );
      cancelled += results.filter(Boolean).length;
    }
  };
  if (ids !== undefined) {
    await cancelEach(ids);
  } else {
    let cursor: string | undefined;
    do {
      const page = await deps.children.listChildren(parent.id, {
        status: 'Pending',
        limit: 100,
        ...(cursor !== undefined ? { cursor } : {}),
      });
      await cancelEach(page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
  if (cancelled > 0) {
    deps.logger.info(
      { notificationId: parent.id, clientId: parent.clientId, cancelled },
      'children of a cancelled topic send cancelled',
    );
  }
  return cancelled;
}

async function cancelOne(
  deps: CancelChildrenDeps,
  parent: Pick<TopicSendRecord, 'id' | 'clientId'>,
  id: string,
): Promise<boolean> {
  return refuseUnstartedChild(deps, parent.clientId, id, deps.clock.now(), {
    code: 'cancelled',
    message: 'Its topic send was cancelled before it was sent',
  });
}

/**
 * Ends a child that has not started `Refused` with `reason`, with the cancel's conditional write
 * (a child a worker already claimed is left alone); its status event is owed when events are
 * published. `true` when this write refused it.
 */
export async function refuseUnstartedChild(
  deps: Pick<CancelChildrenDeps, 'notifications' | 'owesEvents'>,
  clientId: string,
  id: string,
  now: Date,
  reason: RefusalReason,
): Promise<boolean> {
  const at = now.toISOString();
  const result = await deps.notifications.cancel(id, {
    clientId,
    now: at,
    reason,
    event: { at, type: 'refused', detail: { code: reason.code } },
    ...(deps.owesEvents ? { owedEventId: statusEventId(id, 'Refused') } : {}),
  });
  return result.kind === 'cancelled';
}
