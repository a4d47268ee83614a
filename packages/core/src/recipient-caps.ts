import type { RefusalReason } from './notification';
import type { NotificationRequest } from './schemas/notification-request';

/** A phone number on a capped channel: SMS and WhatsApp are counted apart. */
export interface CappedNumber {
  channel: 'sms' | 'whatsapp';
  number: string;
}

/** The number a request sends to, when its channel is capped (sms, whatsapp). */
export function cappedNumberOf(request: NotificationRequest): CappedNumber | undefined {
  return request.channel === 'sms' || request.channel === 'whatsapp'
    ? { channel: request.channel, number: request.to }
    : undefined;
}

/** What `consume` counted, so that exactly that can be given back. */
export interface CapTicket {
  clientId: string;
  channel: CappedNumber['channel'];
  number: string;
  /** The start of the fixed window it was counted in (ms since the epoch). */
  windowStart: number;
}

/** `ok`: one message counted (both counters); `capped`: nothing counted, retry after. */
export type CapVerdict =
  { kind: 'ok'; ticket: CapTicket } | { kind: 'capped'; retryAfterMs: number };

/**
 * Per-number caps shared by every api instance and worker: at most `max` messages (or the
 * client's own override) from one client to one number per window, and `allClientsMax` from all
 * clients together. Windows are fixed (aligned on multiples of the window length), so a number
 * can receive up to twice a cap across a window boundary, never more.
 */
export interface RecipientCaps {
  /**
   * Counts one message, in the client's counter and the all-clients one, or counts nothing and
   * answers `capped` with the time until the window that is full ends. `clientMax` replaces the
   * per-client cap (a client's settings). Throws AppError `UNAVAILABLE` when the store is
   * unreachable (nothing is then left counted beyond what a refund would take back).
   */
  consume(
    clientId: string,
    number: CappedNumber,
    now: Date,
    clientMax?: number,
  ): Promise<CapVerdict>;
  /**
   * Takes back what `consume` counted (a request that stored nothing, or a replay). Best effort
   * and idempotent per ticket is not promised: call it at most once per ticket.
   */
  refund(ticket: CapTicket): Promise<void>;
}

/** The limits of a cap store, as configured (`HERALD_RECIPIENT_CAP*`). */
export interface RecipientCapLimits {
  /** Messages one client may send to one number per window (per channel). */
  max: number;
  /** Messages one number may receive per window from all clients together (default 10 × max). */
  allClientsMax: number;
  windowMs: number;
}

/** The start of the fixed window `now` falls in. */
export function capWindowStart(now: Date, windowMs: number): number {
  return Math.floor(now.getTime() / windowMs) * windowMs;
}

/**
 * The reason a topic child over a cap ends `Refused` with (a direct send gets `429` instead):
 * the fan-out consumes for each sms/whatsapp child as the api does for a direct send, and writes
 * a capped child final with this.
 */
export function recipientCappedReason(retryAfterMs: number): RefusalReason {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return {
    code: 'recipient_capped',
    message: `Too many messages to this number; its cap window ends in ${minutes} min`,
  };
}
