import type { NotificationStatus } from './notification';

/** A final status never changes again: no resend, no regression (DESIGN.md §2). */
export function isFinal(status: NotificationStatus): boolean {
  return status !== 'Pending';
}

/** Transitions only move forward: Pending → Delivered | Refused. */
export function canTransition(from: NotificationStatus, to: NotificationStatus): boolean {
  return from === 'Pending' && to !== 'Pending';
}
