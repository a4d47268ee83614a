/**
 * Which work queue a notification travels on. `transactional` (the default, and what every
 * direct send uses) is the work queue; `bulk` is the second queue the children of a topic send
 * travel on, so a large fan-out never delays a direct send: the worker keeps a share of its
 * capacity for the transactional queue (docs/architecture.md, the bulk lane).
 */
export type Lane = 'transactional' | 'bulk';

/** Every lane, the transactional one first (the order the sweeper serves them in). */
export const LANES: readonly Lane[] = ['transactional', 'bulk'];

/** The lane of a record or sweep entry: absent means `transactional`. */
export function laneOf(x: { lane?: Lane | undefined }): Lane {
  return x.lane ?? 'transactional';
}
