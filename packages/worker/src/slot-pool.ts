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
  /** Slots taken per lane (reserved for a receive or holding a message). */
  inUse(): Record<Lane, number>;
}

/**
 * `total` slots (HERALD_WORKER_CONCURRENCY) shared by the two queues' consumers, so a fan-out of
 * topic children can never starve direct sends: the bulk lane holds at most `bulkMax =
 * max(1, floor(total × bulkMaxShare))`, so at least `total - bulkMax` are always there for the
 * transactional lane, which may also use every slot the bulk lane leaves free. A slot is taken
 * when a receive asks for it, so a long poll never brings more messages than there is room for.
 * One exception keeps an idle bulk poll (20 s, with nothing on the bulk queue) from holding
 * slots the transactional lane needs: the transactional lane does not count the bulk lane's
 * outstanding reservation, so when a bulk poll answers while direct sends hold every slot, up to
 * one receive's worth (10) of bulk messages run beyond `total` until slots free up.
 */
export function createSlotPool(total: number, bulkMaxShare: number): SlotPool {
  if (!Number.isInteger(total) || total < 1) throw new RangeError('total must be ≥ 1');
  const bulkMax = Math.min(total, Math.max(1, Math.floor(total * bulkMaxShare)));
  const taken: Record<Lane, number> = { transactional: 0, bulk: 0 };
  // Bulk slots reserved by a receive that has not answered yet (a subset of taken.bulk).
  let bulkWaiting = 0;
  const waiters = new Set<() => void>();

  function free(lane: Lane): number {
    if (lane === 'transactional') {
      return total - taken.transactional - (taken.bulk - bulkWaiting);
    }
    return Math.min(bulkMax - taken.bulk, total - taken.transactional - taken.bulk);
  }

  function giveBack(lane: Lane, n: number): void {
    if (n <= 0) return;
    taken[lane] = Math.max(0, taken[lane] - n);
    for (const wake of [...waiters]) wake();
  }

  function laneSlots(lane: Lane): LaneSlots {
    return {
      reserve(max) {
        const n = Math.max(0, Math.min(max, free(lane)));
        taken[lane] += n;
        if (lane === 'bulk') bulkWaiting += n;
        return n;
      },
      received(reserved, got) {
        if (lane === 'bulk') bulkWaiting = Math.max(0, bulkWaiting - reserved);
        giveBack(lane, reserved - got);
      },
      release: () => giveBack(lane, 1),
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
    inUse: () => ({ ...taken }),
  };
}
