import { createHmac, randomBytes } from 'node:crypto';
import { AppError, type Clock, type NotificationRequest } from '@herald/core';

/**
 * Caps how many messages one phone number receives, so a looping client cannot flood a person,
 * without letting one client's sends use up another client's messages to the same number.
 */
export interface RecipientCap {
  /** Whether the request's channel is capped (sms and whatsapp). */
  applies(request: NotificationRequest): boolean;
  /**
   * Counts one message from `clientId` to the request's recipient, or throws `RATE_LIMITED` (429,
   * with `details.retryAfterSeconds`) without counting anything when either the client's cap
   * for that number (`max`, or `clientMax` when given: the client's own override) or the cap
   * across all clients (`globalMax`) is reached. Returns a function that takes the count back,
   * for a request that ends up storing nothing. Uncapped channels count nothing.
   */
  take(clientId: string, request: NotificationRequest, clientMax?: number): () => void;
}

export interface RecipientCapOptions {
  /** Messages one client may send to one number per window, per channel. */
  max: number;
  /**
   * Messages one number may receive per window and channel from all clients together. Default
   * 10 × `max`: high enough that no single client is blocked by the others in normal use, low
   * enough that many clients together cannot flood a person.
   */
  globalMax?: number;
  windowSeconds: number;
  clock: Clock;
  /**
   * At most this many (client, number) and number windows are tracked; the one messaged least
   * recently is forgotten first.
   */
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
 * A sliding window per (client, channel, number) and one per (channel, number): at most `max`
 * (or the client's override) and `globalMax` messages within any `windowSeconds`. Counts live in
 * this process, so with N api instances a number may receive up to N × either cap. Numbers are
 * never kept: keys are HMAC-SHA256 under a random per-process secret, so a heap dump cannot be
 * reversed by hashing every phone number. Memory is bounded by `maxRecipients` (default 100 000)
 * windows; windows that have fully passed are dropped first, and past the bound the least
 * recently messaged key loses its count.
 */
export function createRecipientCap(opts: RecipientCapOptions): RecipientCap {
  const { max, windowSeconds, clock, maxRecipients = 100_000 } = opts;
  const globalMax = opts.globalMax ?? max * 10;
  if (!(max >= 1) || !(globalMax >= 1) || !(windowSeconds > 0) || !(maxRecipients >= 1)) {
    throw new TypeError(
      'createRecipientCap needs max >= 1, globalMax >= 1, windowSeconds > 0, maxRecipients >= 1',
    );
  }
  const windows = createSlidingWindows(windowSeconds * 1000, maxRecipients);
  const secret = randomBytes(32);
  const keyOf = (text: string) => createHmac('sha256', secret).update(text).digest('base64url');

  return {
    applies: isCapped,
    take(clientId, request, clientMax) {
      if (!isCapped(request)) return noop;
      const now = clock.now().getTime();
      const number = `${request.channel} ${request.to}`;
      // Client ids match /^[A-Za-z0-9._:-]+$/, so the space keeps the two key kinds apart.
      const limits: [string, number][] = [
        [keyOf(`client ${clientId} ${number}`), clientMax ?? max],
        [keyOf(`all ${number}`), globalMax],
      ];
      const waitMs = Math.max(0, ...limits.map(([key, limit]) => windows.waitMs(key, limit, now)));
      if (waitMs > 0) {
        throw new AppError('RATE_LIMITED', 'too many messages to this recipient; retry later', {
          details: { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) },
        });
      }
      for (const [key] of limits) windows.add(key, now);
      return once(() => limits.forEach(([key]) => windows.remove(key, now)));
    },
  };
}

/** Timestamps per key within the last `windowMs`, for at most `maxKeys` keys. */
function createSlidingWindows(windowMs: number, maxKeys: number) {
  // Map order is by newest timestamp: a counted message moves its key to the end.
  const sent = new Map<string, number[]>();

  function forgetPassed(now: number) {
    for (const [key, times] of sent) {
      if ((times.at(-1) ?? -Infinity) > now - windowMs) break;
      sent.delete(key);
    }
  }

  return {
    /** How long until `key` may take one more under `limit` (0: now). */
    waitMs(key: string, limit: number, now: number): number {
      forgetPassed(now);
      const times = (sent.get(key) ?? []).filter((t) => t > now - windowMs);
      const blocking = times[times.length - limit];
      return times.length >= limit && blocking !== undefined ? blocking + windowMs - now : 0;
    },
    add(key: string, now: number) {
      const times = (sent.get(key) ?? []).filter((t) => t > now - windowMs);
      times.push(now);
      if (!sent.delete(key) && sent.size >= maxKeys) {
        const leastRecent = sent.keys().next().value;
        if (leastRecent !== undefined) sent.delete(leastRecent);
      }
      sent.set(key, times);
    },
    remove(key: string, at: number) {
      const times = sent.get(key);
      const i = times?.lastIndexOf(at) ?? -1;
      if (i >= 0) times?.splice(i, 1);
      if (times?.length === 0) sent.delete(key);
    },
  };
}
