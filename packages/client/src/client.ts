import type {
  AcceptedView,
  NotificationRequest,
  NotificationStatus,
  NotificationView,
  RecipientNotificationRequest,
} from '@herald/core';
import { createAudienceClient, type AudienceClient } from './audience-client';
import { createHttp, type HttpRequester, type TokenSource } from './http';
import { createSuppressionClient, type SuppressionClient } from './suppression-client';
import { createTopicClient, type TopicClient } from './topic-client';
import { waitForStatus, type WaitForStatusOptions } from './wait-for-status';

/** Options of {@link createHeraldClient}. */
export interface HeraldClientOptions {
  /** Where the API lives, e.g. `https://herald.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** A bearer token, or a function returning the current one; a function is called per request. */
  token: TokenSource;
  /** Defaults to the global `fetch`, looked up at each call. */
  fetch?: typeof fetch;
  /** Per-request timeout in ms (default 30 000). A long-poll gets `waitSeconds` on top. */
  timeoutMs?: number;
  /** Sent as `User-Agent` (browsers may ignore it). */
  userAgent?: string;
}

/** Options of {@link HeraldClient.sendNotificationAsync}. */
export interface SendNotificationOptions {
  /** 1–255 printable ASCII characters. A retry with the same key and body gets the same answer. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Options of {@link HeraldClient.getNotificationStatus}. */
export interface GetNotificationStatusOptions {
  signal?: AbortSignal;
  /** An integer 0–20: the server holds the request up to this long while the status is Pending. */
  waitSeconds?: number;
  /** Sent as `If-None-Match`; get it from {@link etagOf}. An unchanged view answers `304`. */
  etag?: string;
}

/** Query of {@link HeraldClient.listNotifications}. */
export interface ListNotificationsQuery {
  status?: NotificationStatus;
  /** 1–100; the server defaults to 20. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  signal?: AbortSignal;
}

/** A notification in a list: its view without the event history. */
export type NotificationSummary = Omit<NotificationView, 'events'>;

/** One page of {@link HeraldClient.listNotifications}, newest first. */
export interface NotificationPage {
  items: NotificationSummary[];
  /** Present when there is another page. */
  nextCursor?: string;
}

/**
 * The Herald API (notifications here; recipients, devices and preferences in
 * {@link AudienceClient}; topics, subscriptions and topic sends in {@link TopicClient}). Every method is a plain function (safe to destructure) and rejects with:
 * `HeraldApiError` for any non-2xx answer; fetch's `TypeError` on a network failure; a
 * `DOMException` named `TimeoutError` when `timeoutMs` passes; the signal's reason on abort.
 */
export interface HeraldClient extends AudienceClient, TopicClient, SuppressionClient {
  /**
   * `POST /v1/notifications`. Resolves once Herald has stored the notification (`202 Pending`);
   * delivery happens later. Not idempotent without `idempotencyKey`: after a network error or a
   * 5xx, retry only with the same key, which returns the original notification. Reusing a key
   * for a different body rejects with `IDEMPOTENCY_MISMATCH` (422). Naming a `recipient` in
   * place of `to` sends to that recipient's address on the channel (push: its newest device):
   * `NOT_FOUND` (404) for an unknown recipient, `NO_ADDRESS` (422) when it has none there.
   */
  sendNotificationAsync(
    notification: NotificationRequest | RecipientNotificationRequest,
    opts?: SendNotificationOptions,
  ): Promise<AcceptedView>;
  /**
   * `GET /v1/notifications/:id`. Read-only and safe to retry. Rejects with `NOT_FOUND` (404) for
   * an unknown id or another client's notification, `NOT_MODIFIED` (304) when `etag` still
   * matches, and a `RangeError` (before any request) when `waitSeconds` is not an integer 0–20.
   */
  getNotificationStatus(id: string, opts?: GetNotificationStatusOptions): Promise<NotificationView>;
  /**
   * Waits until the notification is `Delivered` or `Refused`: one read, then server long-polls
   * (`waitSeconds = min(20, seconds left)`), at most about one a second even if the server
   * answers early. Network errors and 408/429/502/503/504 are retried with a short backoff
   * (honouring `Retry-After`) until `timeoutMs`. **On timeout it resolves with the last
   * `Pending` view, not an error**; it rejects only when no view was read at all (with the
   * last transient error, else a `TimeoutError`), on any other `HeraldApiError` (e.g.
   * `NOT_FOUND`), with `signal.reason` when aborted, or with a `RangeError` for a bad `timeoutMs`.
   */
  waitForStatus(id: string, opts: WaitForStatusOptions): Promise<NotificationView>;
  /** `GET /v1/notifications`: the caller's own notifications, newest first. Read-only. */
  listNotifications(query?: ListNotificationsQuery): Promise<NotificationPage>;
  /**
   * `POST /v1/notifications/:id/cancel`. Resolves with the notification, now `Refused` with
   * `cancelled`, if its send had not started. Rejects with `CONFLICT` (409) once a send is under
   * way or the status is final, and `NOT_FOUND` (404) for an unknown id or another client's
   * notification. Safe to retry: a retry after a lost answer rejects with `CONFLICT`, and the
   * status then says `cancelled`.
   */
  cancelNotification(id: string, opts?: { signal?: AbortSignal }): Promise<NotificationView>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const etags = new WeakMap<NotificationView, string>();

/**
 * Builds a client. Throws `TypeError` at once for a `baseUrl` that is not an http(s) URL or an
 * empty token, and `RangeError` for a `timeoutMs` that is not a positive number. Holds no
 * connections or timers of its own, so there is nothing to close.
 */
export function createHeraldClient(options: HeraldClientOptions): HeraldClient {
  const http = createHttp({
    baseUrl: checkBaseUrl(options.baseUrl),
    token: checkToken(options.token),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
  });
  const getNotificationStatus = createGetStatus(http);

  return {
    ...createAudienceClient(http),
    ...createTopicClient(http),
    ...createSuppressionClient(http),
    async sendNotificationAsync(notification, opts = {}) {
      const headers: Record<string, string> = {};
      if (opts.idempotencyKey !== undefined) headers['Idempotency-Key'] = opts.idempotencyKey;
      const res = await http({
        method: 'POST',
        path: '/v1/notifications',
        json: notification,
        headers,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return res.body as AcceptedView;
    },
    getNotificationStatus,
    waitForStatus: (id, opts) => waitForStatus(getNotificationStatus, id, opts),
    async listNotifications(query = {}) {
      const { signal, status, limit, cursor } = query;
      const res = await http({
        method: 'GET',
        path: '/v1/notifications',
        query: { status, limit, cursor },
        ...(signal ? { signal } : {}),
      });
      return res.body as NotificationPage;
    },
    async cancelNotification(id, opts = {}) {
      const res = await http({
        method: 'POST',
        path: `/v1/notifications/${encodeURIComponent(id)}/cancel`,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return res.body as NotificationView;
    },
  };
}

/**
 * The `ETag` Herald sent with a view returned by `getNotificationStatus` or `waitForStatus`, to
 * pass back as `etag`. `undefined` for any other object. Never throws.
 */
export function etagOf(view: NotificationView): string | undefined {
  return etags.get(view);
}

function createGetStatus(http: HttpRequester): HeraldClient['getNotificationStatus'] {
  return async function getNotificationStatus(id, opts = {}) {
    const { signal, waitSeconds, etag } = opts;
    if (waitSeconds !== undefined && !isWaitSeconds(waitSeconds)) {
      throw new RangeError('waitSeconds must be an integer from 0 to 20');
    }
    const res = await http({
      method: 'GET',
      path: `/v1/notifications/${encodeURIComponent(id)}`,
      query: { waitSeconds },
      headers: etag !== undefined ? { 'If-None-Match': etag } : {},
      extraTimeoutMs: (waitSeconds ?? 0) * 1000,
      ...(signal ? { signal } : {}),
    });
    const view = res.body as NotificationView;
    const responseEtag = res.headers.get('etag');
    if (responseEtag !== null && typeof view === 'object' && view !== null) {
      etags.set(view, responseEtag);
    }
    return view;
  };
}

function isWaitSeconds(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 20;
}

function checkBaseUrl(baseUrl: string): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new TypeError('baseUrl must be an http or https URL');
  }
  return baseUrl;
}

function checkToken(token: TokenSource): TokenSource {
  if (token === '' || (typeof token !== 'string' && typeof token !== 'function')) {
    throw new TypeError('token must be a non-empty string or a function returning one');
  }
  return token;
}

function checkTimeout(timeoutMs: number): number {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError('timeoutMs must be a positive number of milliseconds');
  }
  return timeoutMs;
}
