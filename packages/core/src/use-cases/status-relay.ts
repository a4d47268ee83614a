import type {
  Clock,
  Logger,
  NotificationStore,
  StatusEvent,
  StatusEventPublisher,
  StatusEventRelay,
} from '../ports';
import { publishOwedEvent } from './publish-status';

export interface StatusRelayDeps {
  store: Pick<NotificationStore, 'findOwedEvents' | 'owedEvent' | 'clearOwedEvent'>;
  events: StatusEventPublisher;
  clock: Clock;
  logger: Logger;
  /**
   * `recover` republishes events still owed this long after their final write: long enough that
   * the in-process publish right after the write has normally finished.
   */
  recoverAfterMs: number;
  /** Most events waiting in memory; beyond it an event is left to `recover`. Default 10,000. */
  maxQueued?: number;
  /** Publishes running at once (the SNS publisher batches them). Default 64. */
  concurrency?: number;
}

export interface StatusRelay extends StatusEventRelay {
  /**
   * Crash recovery: publishes up to `limit` events that are still owed `recoverAfterMs` after
   * their final write (a worker or api died between the write and the publish, or the publish
   * failed) and clears them. Resolves how many it published; throws when the store is unreachable.
   */
  recover(limit: number): Promise<number>;
  /** Resolves once every event handed to `relay` has been published or failed, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
}

const DEFAULT_MAX_QUEUED = 10_000;
const DEFAULT_CONCURRENCY = 64;

/**
 * The outbox relay. `relay(event)` queues an event right after its final write and returns at
 * once, so a delivery slot never waits for SNS; a bounded number of publishes run in the
 * background, each clearing the event from the outbox once published. Events that overflow the
 * queue, fail, or die with the process stay owed in the store, and `recover` (run periodically)
 * publishes them. Delivery to subscribers is at least once; `eventId` de-duplicates.
 */
export function createStatusRelay(deps: StatusRelayDeps): StatusRelay {
  const maxQueued = deps.maxQueued ?? DEFAULT_MAX_QUEUED;
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const queued: StatusEvent[] = [];
  /** Event ids queued or being published here, so `recover` does not publish them twice. */
  const inProcess = new Set<string>();
  let running = 0;
  let idle: (() => void)[] = [];

  function pump(): void {
    while (running < concurrency && queued.length > 0) {
      const event = queued.shift();
      if (event === undefined) break;
      running += 1;
      void publishOwedEvent(deps, event).finally(() => {
        running -= 1;
        inProcess.delete(event.eventId);
        pump();
      });
    }
    if (running === 0 && queued.length === 0) {
      for (const resolve of idle) resolve();
      idle = [];
    }
  }

  return {
    relay(event) {
      if (inProcess.has(event.eventId)) return;
      if (queued.length >= maxQueued) {
        deps.logger.warn(
          { notificationId: event.id, eventId: event.eventId },
          'status relay full; the event stays owed until recovery',
        );
        return;
      }
      inProcess.add(event.eventId);
      queued.push(event);
      pump();
    },

    async recover(limit) {
      const before = new Date(deps.clock.now().getTime() - deps.recoverAfterMs).toISOString();
      const ids = await deps.store.findOwedEvents(before, limit);
      const published = await Promise.all(
        ids.map(async (id) => {
          const event = await deps.store.owedEvent(id);
          if (event === undefined || inProcess.has(event.eventId)) return false;
          return publishOwedEvent(deps, event);
        }),
      );
      const count = published.filter(Boolean).length;
      if (count > 0) deps.logger.info({ count }, 'published status events owed since a crash');
      return count;
    },

    async drain(timeoutMs) {
      if (running === 0 && queued.length === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => idle.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    },
  };
}
