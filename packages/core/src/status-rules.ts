import type { NotificationStatus } from './notification';

/** A final status never changes: no resend, no regression (docs/architecture.md, statuses). */
export function isFinal(status: NotificationStatus): boolean {
  return status !== 'Pending';
}

/** Transitions only move forward: Pending → Delivered | Refused. */
export function canTransition(from: NotificationStatus, to: NotificationStatus): boolean {
  return from === 'Pending' && to !== 'Pending';
}
