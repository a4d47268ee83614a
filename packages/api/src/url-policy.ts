import { AppError, type NotificationRequest } from '@herald/core';

/** The slice of `@herald/providers`' URL guard the api uses. */
export interface UrlChecker {
  check(url: string, field?: string): Promise<unknown>;
}

export interface UrlPolicyOptions {
  /** Accept plain `http:` in links Herald never calls (push `url`). Only local mode. */
  allowHttpLinks: boolean;
}

/**
 * Checks every URL a notification names (its callback, a Slack webhook, a web push endpoint)
 * before it is accepted: https only and no private, loopback or link-local targets (both allowed
 * in local mode), so a client cannot aim Herald at internal services. A host that does not resolve
 * right now is let through: the worker checks again, with DNS pinned, before every call.
 * Links Herald only hands to the recipient (push `url`) must be https, or http in local mode (the
 * schema refuses every other scheme). Throws `VALIDATION_FAILED` naming the field.
 */
export function createUrlPolicy(guard: UrlChecker, options: UrlPolicyOptions) {
  return async function checkRequestUrls(request: NotificationRequest): Promise<void> {
    if (request.channel === 'push' && request.url !== undefined) {
      checkLinkScheme(request.url, 'url', options.allowHttpLinks);
    }
    const urls: [string, string][] = [];
    if (request.callbackUrl !== undefined) urls.push([request.callbackUrl, 'callbackUrl']);
    if (request.channel === 'slack' && 'webhookUrl' in request.to)
      urls.push([request.to.webhookUrl, 'to.webhookUrl']);
    if (request.channel === 'push' && 'webPush' in request.to)
      urls.push([request.to.webPush.endpoint, 'to.webPush.endpoint']);
    await Promise.all(
      urls.map(async ([url, field]) => {
        try {
          await guard.check(url, field);
        } catch (err) {
          if (err instanceof AppError && err.code === 'UNAVAILABLE') return;
          throw err;
        }
      }),
    );
  };
}

function checkLinkScheme(url: string, field: string, allowHttp: boolean): void {
  if (allowHttp || new URL(url).protocol === 'https:') return;
  throw new AppError('VALIDATION_FAILED', 'Notification is invalid', {
    details: [{ path: field, message: 'must be an https URL' }],
  });
}
