import { createHmac, randomBytes } from 'node:crypto';
import { AppError, type Clock, type NotificationRequest } from '@herald/core';

/** Caps how many messages one phone number receives, so a looping client cannot flood a person. */
export interface RecipientCap {
  /** Whether the request's channel is capped (sms and whatsapp). */
  applies(request: NotificationRequest): boolean;
  /**
   * Counts one message to the request's recipient, or throws `RATE_LIMITED` (429, with
   * `details.retryAfterSeconds`) without counting when the cap is reached. Returns a function
   * that takes the count back, for a request that ends up storing nothing. Uncapped channels
   * count nothing.
   */
  take(request: NotificationRequest): () => void;
}

export interface RecipientCapOptions {
  /** Messages one number may receive per window, per channel. */
  max: number;
  windowSeconds: number;
  clock: Clock;
  /** At most this many numbers are tracked; the one messaged least recently is forgotten first. */
  maxRecipients?: number;
}

const noop = () => undefined;

function isCapped(
  request: NotificationRequest,
): request is Extract<NotificationRequest, { channel: 'sms' | 'whatsapp' }> {
  return request.channel === 'sms' || request.channel === 'whatsapp';
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) fn();
    done = true;
  };
}

/**
 * A sliding window per (channel, number): at most `max` messages within any `windowSeconds`.
 * Counts live in this process, so with N api instances a number may receive up to N × `max`.
 * Numbers are never kept: the key is an HMAC-SHA256 under a random per-process secret, so a heap
 * dump cannot be reversed by hashing every phone number. Memory is bounded by `maxRecipients`
 * (default 100 000) windows of at most `max` timestamps; windows that have fully passed are
 * dropped first, and past the bound the least recently messaged number loses its count.
 */
export function createRecipientCap(opts: RecipientCapOptions): RecipientCap {
  const { max, windowSeconds, clock, maxRecipients = 100_000 } = opts;
  if (!(max >= 1) || !(windowSeconds > 0) || !(maxRecipients >= 1)) {
    throw new TypeError('createRecipientCap needs max >= 1, windowSeconds > 0, maxRecipients >= 1');
  }
  const windowMs = windowSeconds * 1000;
  const secret = randomBytes(32);
  // Map order is by newest timestamp: a counted message moves its number to the end.
  const sent = new Map<string, number[]>();

  function forgetPassed(now: number) {
    for (const [key, times] of sent) {
      if ((times.at(-1) ?? -Infinity) > now - windowMs) break;
      sent.delete(key);
    }
  }

  function record(key: string, times: number[]) {
    if (!sent.delete(key) && sent.size >= maxRecipients) {
      const leastRecent = sent.keys().next().value;
      if (leastRecent !== undefined) sent.delete(leastRecent);
    }
    sent.set(key, times);
  }

  function uncount(key: string, at: number) {
    const times = sent.get(key);
    const i = times?.lastIndexOf(at) ?? -1;
    if (i >= 0) times?.splice(i, 1);
    if (times?.length === 0) sent.delete(key);
  }

  return {
    applies: isCapped,
    take(request) {
      if (!isCapped(request)) return noop;
      const now = clock.now().getTime();
      forgetPassed(now);
      const key = createHmac('sha256', secret)
        .update(`${request.channel} ${request.to}`)
        .digest('base64url');
      const times = (sent.get(key) ?? []).filter((t) => t > now - windowMs);
      const oldest = times[0];
      if (times.length >= max && oldest !== undefined) {
        throw new AppError('RATE_LIMITED', 'too many messages to this recipient; retry later', {
          details: { retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) },
        });
      }
      times.push(now);
      record(key, times);
      return once(() => uncount(key, now));
    },
  };
}
