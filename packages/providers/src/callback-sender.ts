import { isAppError } from '@herald/core';
import type { Logger, StatusEvent } from '@herald/core';
import {
  CALLBACK_SIGNATURE_HEADER,
  createGuardedAgent,
  deriveClientSecret,
  guardedFetch,
  signCallback,
} from '@herald/guards';
import type { GuardedResponse, UrlGuard } from '@herald/guards';

/**
 * A callback that did not get a 2xx. `retryable`: 408, 429, 5xx, network failures, DNS failures
 * and timeouts may succeed later; other 4xx, an unfollowed 3xx and a URL the guard refuses never
 * will. `status` is the HTTP status when there was a response. Messages name the host only.
 */
export class CallbackError extends Error {
  readonly status?: number;

  constructor(
    readonly retryable: boolean,
    message: string,
    options?: ErrorOptions & { status?: number },
  ) {
    super(message, options);
    this.name = this.constructor.name;
    this.status = options?.status;
  }
}

export interface CallbackSenderOptions {
  /** Checks every hop; build it with `allowLoopback`/`allowHttp` only in local mode. */
  guard: UrlGuard;
  /** Each client's signing secret is `deriveClientSecret(masterSecret, clientId)`. */
  masterSecret: string;
  /** Per callback, redirects included. Default 10 s. */
  timeoutMs?: number;
  /** The signature's timestamp comes from here. Default the system clock. */
  now?: () => Date;
  logger?: Pick<Logger, 'debug' | 'warn'>;
}

export interface CallbackSender {
  /**
   * POSTs `{ id, status, reason?, provider?, at }` as JSON to `event.callbackUrl`, signed with the
   * client's secret in `Herald-Signature`, with `Herald-Notification-Id`, `Herald-Event-Id`
   * (the event's stable `eventId`) and `User-Agent: Herald-Callbacks/1`. Resolves on a 2xx,
   * otherwise throws a CallbackError. Not idempotent on its own: a retry, or an event published
   * again after a crash, sends the same body again (with a fresh timestamp), so the receiver
   * de-duplicates on `Herald-Event-Id`.
   */
  send(event: StatusEvent & { callbackUrl: string }, signal?: AbortSignal): Promise<void>;
}

/** Calls clients back with a notification's status, through the SSRF guard. */
export function createCallbackSender(opts: CallbackSenderOptions): CallbackSender {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const now = opts.now ?? (() => new Date());
  const agent = createGuardedAgent(opts.guard);
  return {
    async send(event, signal) {
      const host = hostOf(event.callbackUrl);
      const context = { notificationId: event.id, clientId: event.clientId, host };
      const body = JSON.stringify({
        id: event.id,
        status: event.status,
        reason: event.reason,
        provider: event.provider,
        at: event.at,
      });
      const secret = deriveClientSecret(opts.masterSecret, event.clientId);
      const timestamp = Math.floor(now().getTime() / 1000);
      const headers = {
        'Content-Type': 'application/json',
        [CALLBACK_SIGNATURE_HEADER]: signCallback({ secret, timestamp, body }),
        'Herald-Notification-Id': event.id,
        'Herald-Event-Id': event.eventId,
        'User-Agent': 'Herald-Callbacks/1',
      };
      const timeout = AbortSignal.timeout(timeoutMs);
      const deadline = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
      let error: CallbackError | undefined;
      try {
        // A redirect may keep the POST (307/308); one that would drop the body is a failure.
        const res = await guardedFetch(
          agent,
          event.callbackUrl,
          { method: 'POST', headers, body, signal: deadline },
          { keepMethod: true },
        );
        error = statusError(res, host);
      } catch (cause) {
        error = failureError(cause, host, timeout.aborted);
      }
      if (error === undefined) {
        opts.logger?.debug(context, 'callback delivered');
        return;
      }
      opts.logger?.warn({ ...context, status: error.status, err: error }, 'callback failed');
      throw error;
    },
  };
}

/** Host and port only: the path and query may carry the client's tokens. */
function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : '(invalid URL)';
}

function statusError(res: GuardedResponse, host: string): CallbackError | undefined {
  const { status } = res;
  if (status >= 200 && status < 300) return undefined;
  const retryable = status === 408 || status === 429 || status >= 500;
  return new CallbackError(retryable, `callback to ${host} answered ${status}`, { status });
}

function failureError(cause: unknown, host: string, timedOut: boolean): CallbackError {
  if (isAppError(cause) && cause.code === 'VALIDATION_FAILED') {
    return new CallbackError(false, `callback to ${host} refused: ${cause.message}`, { cause });
  }
  const what = timedOut ? 'timed out' : 'failed';
  return new CallbackError(true, `callback to ${host} ${what}`, { cause });
}
