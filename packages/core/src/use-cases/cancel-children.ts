import type { ChildStore } from '../fan-out/fan-out-ports';
import type { Clock, Logger, NotificationStore } from '../ports';
import { statusEventId } from '../status-event';
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
  const now = deps.clock.now().toISOString();
  const result = await deps.notifications.cancel(id, {
    clientId: parent.clientId,
    now,
    reason: { code: 'cancelled', message: 'Its topic send was cancelled before it was sent' },
    event: { at: now, type: 'refused', detail: { code: 'cancelled' } },
    ...(deps.owesEvents ? { owedEventId: statusEventId(id, 'Refused') } : {}),
  });
  return result.kind === 'cancelled';
}
