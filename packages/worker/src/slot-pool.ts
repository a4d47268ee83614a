import type { Lane } from '@herald/core';

/** One lane's view of the worker's slots: what its consumer may take, and when to look again. */
export interface LaneSlots {
  /** Reserves up to `max` slots for a receive and returns how many (0: none free now). */
  reserve(max: number): number;
  /** The receive answered with `got` of its `reserved` messages: the rest are given back. */
  received(reserved: number, got: number): void;
  /** A message is finished: its slot is given back. */
  release(): void;
  /** Resolves at the next release on any lane, or at once when `signal` is (or gets) aborted. */
  whenReleased(signal: AbortSignal): Promise<void>;
}

/** The worker's slots, shared by the transactional and the bulk consumers. */
export interface SlotPool {
  readonly total: number;
  /** Most slots the bulk lane holds at once. */
  readonly bulkMax: number;
  lane(lane: Lane): LaneSlots;
  /** Slots taken per lane (holding a message, or reserved by a receive still waiting). */
  inUse(): Record<Lane, number>;
}

/**
 * `total` slots (HERALD_WORKER_CONCURRENCY) shared by the two queues' consumers, so a fan-out of
 * topic children can never starve direct sends: the bulk lane holds at most `bulkMax =
 * max(1, floor(total × bulkMaxShare))`, so at least `total - bulkMax` are always there for the
 * transactional lane, which may also use every slot the bulk lane leaves free. A consumer takes
 * its slots when its receive asks for them, so a long poll never brings more messages than its
 * lane has room for. A receive still waiting (a 20 s long poll on a queue with nothing in it)
 * does not hold slots against the other lane, or an idle lane would keep up to 10 slots from a
 * busy one for as long as it polls: if such a receive then answers while the other lane has
 * filled the slots meanwhile, up to one receive's worth (10) of messages run beyond `total` until
 * slots free up. The bulk lane's own cap counts its waiting receive, so it is never exceeded.
 */
export function createSlotPool(total: number, bulkMaxShare: number): SlotPool {
  if (!Number.isInteger(total) || total < 1) throw new RangeError('total must be ≥ 1');
  const bulkMax = Math.min(total, Math.max(1, Math.floor(total * bulkMaxShare)));
  // Slots holding a message, and slots reserved by a receive that has not answered yet.
  const held: Record<Lane, number> = { transactional: 0, bulk: 0 };
  const waiting: Record<Lane, number> = { transactional: 0, bulk: 0 };
  const waiters = new Set<() => void>();
  const other = (lane: Lane): Lane => (lane === 'bulk' ? 'transactional' : 'bulk');

  function free(lane: Lane): number {
    const own = held[lane] + waiting[lane];
    const room = total - own - held[other(lane)];
    return lane === 'bulk' ? Math.min(bulkMax - own, room) : room;
  }

  function wakeAll(): void {
    for (const wake of [...waiters]) wake();
  }

  function laneSlots(lane: Lane): LaneSlots {
    return {
      reserve(max) {
        const n = Math.max(0, Math.min(max, free(lane)));
        waiting[lane] += n;
        return n;
      },
      received(reserved, got) {
        waiting[lane] = Math.max(0, waiting[lane] - reserved);
        held[lane] += got;
        if (got < reserved) wakeAll();
      },
      release() {
        held[lane] = Math.max(0, held[lane] - 1);
        wakeAll();
      },
      whenReleased(signal) {
        if (signal.aborted) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const done = () => {
            signal.removeEventListener('abort', done);
            waiters.delete(done);
            resolve();
          };
          waiters.add(done);
          signal.addEventListener('abort', done, { once: true });
        });
      },
    };
  }

  const lanes: Record<Lane, LaneSlots> = {
    transactional: laneSlots('transactional'),
    bulk: laneSlots('bulk'),
  };
  return {
    total,
    bulkMax,
    lane: (lane) => lanes[lane],
    inUse: () => ({
      transactional: held.transactional + waiting.transactional,
      bulk: held.bulk + waiting.bulk,
    }),
  };
}
