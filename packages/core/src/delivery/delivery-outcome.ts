import type { NotificationStatus } from '../notification';

/** What the queue consumer does with the message. */
export type DeliveryOutcome =
  | { kind: 'done'; status: NotificationStatus } // ack: final, or waiting only for a receipt
  | { kind: 'retry-later'; delayMs: number } // keep the message, make it visible after the delay
  | { kind: 'missing' }; // ack: nothing to deliver
