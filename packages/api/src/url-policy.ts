import { AppError, type NotificationRequest } from '@herald/core';

/** The slice of `@herald/guards`' URL guard the api uses. */
export interface UrlChecker {
  check(url: string, field?: string): Promise<unknown>;
}

export interface UrlPolicyOptions {
  /** Accept plain `http:` in links Herald never calls (push `url`). Only local mode. */
  allowHttpLinks: boolean;
  /**
   * URL checks (each a name lookup) one client may have in flight on this instance; more get
   * `429` at once rather than queueing behind a slow name server. Default 8.
   */
  maxChecksPerClient?: number;
}

const DEFAULT_MAX_CHECKS_PER_CLIENT = 8;

/**
 * Checks every URL a notification names (its callback, a Slack webhook, a web push endpoint)
 * before it is accepted: https only and no private, loopback or link-local targets (both allowed
 * in local mode), so a client cannot aim Herald at internal services. A host that does not resolve
 * right now (or not within the lookup's timeout) is let through: the worker checks again, with
 * the address pinned, before every call. Links Herald only hands to the recipient (push `url`)
 * must be https, or http in local mode (the schema refuses every other scheme).
 *
 * @throws AppError `VALIDATION_FAILED` for a URL the guard refuses, naming the field;
 *   `RATE_LIMITED` (with `details.retryAfterSeconds`) when `clientId` already has
 *   `maxChecksPerClient` checks in flight.
 */
export function createUrlPolicy(guard: UrlChecker, opts: UrlPolicyOptions) {
  const max = opts.maxChecksPerClient ?? DEFAULT_MAX_CHECKS_PER_CLIENT;
  const inFlight = new Map<string, number>();
  return async function checkRequestUrls(
    request: NotificationRequest,
    clientId = '',
  ): Promise<void> {
    if (request.channel === 'push' && request.url !== undefined) {
      checkLinkScheme(request.url, 'url', opts.allowHttpLinks);
    }
    const urls = urlsOf(request);
    if (urls.length === 0) return;
    const held = inFlight.get(clientId) ?? 0;
    // A request alone is never refused, whatever its URL count: only concurrency is bounded.
    if (held > 0 && held + urls.length > max) {
      throw new AppError('RATE_LIMITED', 'too many URL checks in flight; retry shortly', {
        details: { retryAfterSeconds: 1 },
      });
    }
    inFlight.set(clientId, held + urls.length);
    try {
      await Promise.all(urls.map(([url, field]) => checkOne(guard, url, field)));
    } finally {
      const left = (inFlight.get(clientId) ?? urls.length) - urls.length;
      if (left > 0) inFlight.set(clientId, left);
      else inFlight.delete(clientId);
    }
  };
}

function checkLinkScheme(url: string, field: string, allowHttp: boolean): void {
  createLinkPolicy({ allowHttpLinks: allowHttp })(url, field);
}

/** Checks a link Herald only hands to recipients; see {@link createLinkPolicy}. */
export type LinkPolicy = (url: string, field: string) => void;

/**
 * The rule for links Herald never calls itself but shows to recipients (a push notification's or
 * a topic send's `url`): https only, or http too in local mode. The schemas already refuse every
 * other scheme; no name is looked up, since Herald never connects to the link.
 *
 * @throws AppError `VALIDATION_FAILED` naming `field` for a link the policy refuses.
 */
export function createLinkPolicy(opts: { allowHttpLinks: boolean }): LinkPolicy {
  return (url, field) => {
    if (opts.allowHttpLinks || new URL(url).protocol === 'https:') return;
    throw new AppError('VALIDATION_FAILED', 'Notification is invalid', {
      details: [{ path: field, message: 'must be an https URL' }],
    });
  };
}

function urlsOf(request: NotificationRequest): [string, string][] {
  const urls: [string, string][] = [];
  if (request.callbackUrl !== undefined) urls.push([request.callbackUrl, 'callbackUrl']);
  if (request.channel === 'slack' && 'webhookUrl' in request.to)
    urls.push([request.to.webhookUrl, 'to.webhookUrl']);
  if (request.channel === 'push' && 'webPush' in request.to)
    urls.push([request.to.webPush.endpoint, 'to.webPush.endpoint']);
  return urls;
}

async function checkOne(guard: UrlChecker, url: string, field: string): Promise<void> {
  try {
    await guard.check(url, field);
  } catch (err) {
    if (err instanceof AppError && err.code === 'UNAVAILABLE') return;
    throw err;
  }
}
