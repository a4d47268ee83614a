import { createHash } from 'node:crypto';
import type { AlertmanagerPayload } from './alertmanager-payload';

/**
 * The `Idempotency-Key` of an Alertmanager notification, so that a webhook Alertmanager retries is
 * one topic send while a deliberate repeat is sent again.
 *
 * The key hashes the topic, the group key, the group's status, every alert's fingerprint, start
 * time and status (sorted: the order is not part of the state), and the window of receipt time it
 * arrived in: `floor(receivedAt / windowSeconds)`. Alertmanager's payload carries nothing that
 * tells a retry from a repeat (a repeat after `repeat_interval` resends the identical group
 * state), so time is what tells them apart: retries come within seconds of the first attempt
 * (exponential backoff, bounded by the flush's timeout), repeats at least `group_interval` later
 * (`repeat_interval` is rounded up to it).
 *
 * Edges, both documented for operators: a retry that lands on the far side of a window boundary
 * is sent a second time (rare: the chance is about the retry's delay over the window), and a
 * repeat that arrives within the same window as the previous send is dropped, which only happens
 * when `repeat_interval` is shorter than the window, so the window must be kept below it. Any
 * change of state (an alert added, resolved, restarted) is a new key at once.
 */
export function alertmanagerIdempotencyKey(
  topicId: string,
  payload: AlertmanagerPayload,
  receivedAt: Date,
  windowSeconds: number,
): string {
  const alerts = payload.alerts
    .map((a) => `${a.fingerprint}\u0000${a.startsAt}\u0000${a.status}`)
    .sort();
  const window = Math.floor(receivedAt.getTime() / (windowSeconds * 1000));
  const state = JSON.stringify([
    topicId,
    payload.groupKey,
    payload.status,
    alerts,
    windowSeconds,
    window,
  ]);
  return `alertmanager:${createHash('sha256').update(state).digest('base64url')}`;
}
