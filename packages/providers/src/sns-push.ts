import { PublishCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import { ProviderError } from '@herald/core';
import type {
  Logger,
  OutboundMessage,
  Provider,
  PushNotificationRequest,
  RefusalCode,
  SendResult,
} from '@herald/core';
import { reportAuthFailure } from './auth-failure';

export interface SnsPushProviderOptions {
  /** An SNSClient (or anything with its `send`); the caller owns and destroys it. */
  sns: Pick<SNSClient, 'send'>;
  /** The provider's name in statuses and errors. Default `sns`. */
  name?: string;
  /** Address iOS devices through the APNs sandbox (`APNS_SANDBOX`) instead of production. */
  apnsSandbox?: boolean;
  /** Authentication failures are logged here: only an operator can fix them. */
  logger?: Pick<Logger, 'error'>;
}

/**
 * Mobile push through Amazon SNS platform endpoints (`to.snsEndpointArn`): one Publish with
 * `MessageStructure: 'json'`, carrying a `default` text and the FCM (`GCM`) and APNs payloads,
 * so the same message works whatever platform the endpoint belongs to. The title and body are
 * shown as a notification; `url`, `notificationId` and `data` travel alongside for the app.
 *
 * `send` resolves with SNS's MessageId once SNS accepted the message (SNS then delivers on its
 * own; there is no receipt). It throws a ProviderError (see `translateSnsError`): a disabled
 * endpoint is a permanent `subscription_gone` with `deadTarget`, so later notifications to it are
 * refused without calling SNS. A web push target is a permanent `target_not_supported`. Neither
 * messages nor causes ever carry the endpoint ARN (it identifies a device).
 * Not idempotent: SNS has no deduplication for platform endpoints, so a resend after a crash may
 * reach the device twice (the payload's `notificationId` lets the app drop the duplicate).
 */
export function createSnsPushProvider(
  opts: SnsPushProviderOptions,
): Provider<PushNotificationRequest> {
  const name = opts.name ?? 'sns';
  const apnsKey = opts.apnsSandbox === true ? 'APNS_SANDBOX' : 'APNS';
  return {
    channel: 'push',
    name,
    async send(message, signal): Promise<SendResult> {
      const { to } = message.request;
      if (!('snsEndpointArn' in to)) {
        throw new ProviderError(name, false, 'SNS push only sends to SNS platform endpoints', {
          reasonCode: 'target_not_supported',
        });
      }
      try {
        const res = await opts.sns.send(
          new PublishCommand({
            TargetArn: to.snsEndpointArn,
            MessageStructure: 'json',
            Message: snsMessage(message, apnsKey),
          }),
          { abortSignal: signal },
        );
        // SNS always returns one; the fallback only keeps a missing id from causing a resend.
        return { providerMessageId: res.MessageId ?? `sns:${message.notificationId}` };
      } catch (cause) {
        throw reportAuthFailure(
          translateSnsError(cause, name, { aborted: signal.aborted }),
          opts.logger,
          message.notificationId,
          'SNS refused our credentials or the platform application; check the AWS setup',
        );
      }
    },
  };
}

/**
 * The per-platform payloads. Our `url` and `notificationId` win over same-named keys in `data`,
 * and nothing in `data` can replace the APNs `aps` dictionary.
 */
function snsMessage(
  { notificationId, request }: OutboundMessage<PushNotificationRequest>,
  apnsKey: 'APNS' | 'APNS_SANDBOX',
): string {
  const { title, body } = request;
  const ours = { ...(request.url === undefined ? {} : { url: request.url }), notificationId };
  return JSON.stringify({
    default: body,
    GCM: JSON.stringify({ notification: { title, body }, data: { ...request.data, ...ours } }),
    [apnsKey]: JSON.stringify({ ...request.data, ...ours, aps: { alert: { title, body } } }),
  });
}

interface SnsFailure {
  /** The last segment of the error's `Code` or `name`, e.g. `EndpointDisabled`. */
  code?: string;
  status?: number;
  serverFault: boolean;
  /** A Node socket error code such as `ECONNREFUSED`. */
  networkCode?: string;
}

interface Verdict {
  retryable: boolean;
  reasonCode: RefusalCode;
  message: string;
  deadTarget?: boolean;
}

const ENDPOINT_GONE = new Set(['EndpointDisabled']);
const RECIPIENT_INVALID = new Set(['InvalidParameter', 'InvalidParameterValue', 'NotFound']);
/** Credentials, permissions, or a platform application SNS disabled (expired APNs cert). */
const AUTH = new Set([
  'AuthorizationError',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClient',
  'ExpiredToken',
  'AccessDenied',
  'InvalidSecurity',
  'MissingAuthenticationToken',
  'KMSAccessDenied',
  'PlatformApplicationDisabled',
]);
const TRANSIENT = new Set([
  'Throttled',
  'Throttling',
  'TooManyRequests',
  'RequestLimitExceeded',
  'KMSThrottling',
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'RequestTimeout',
]);
const ARN = /arn:aws[a-z-]*:sns:[^\s"'<>]*/g;

/**
 * Turns whatever the SNS client threw into a ProviderError:
 * - aborted (the caller's deadline) → retryable `provider_timeout`;
 * - `EndpointDisabled` → permanent `subscription_gone`, `deadTarget` (the app was uninstalled or
 *   the token expired; SNS will not enable the endpoint again by itself);
 * - `InvalidParameter`, `InvalidParameterValue`, `NotFound` → permanent `recipient_invalid`;
 * - credential and permission errors, `PlatformApplicationDisabled` → retryable
 *   `provider_auth_failed`: an operator fixes them, and the notifications should survive;
 * - throttling, 5xx, and failures with no HTTP answer (network, timeouts) → retryable
 *   `provider_unavailable`;
 * - any other 4xx → permanent `provider_rejected`.
 *
 * Messages are built from codes only; the `cause` keeps the SDK's message with ARNs redacted.
 */
export function translateSnsError(
  cause: unknown,
  provider: string,
  opts: { aborted: boolean },
): ProviderError {
  const failure = fieldsOf(cause);
  const verdict = opts.aborted ? TIMED_OUT : classify(failure);
  const providerCode = failure.code ?? failure.networkCode;
  return new ProviderError(provider, verdict.retryable, verdict.message, {
    cause: redacted(cause),
    reasonCode: verdict.reasonCode,
    deadTarget: verdict.deadTarget ?? false,
    ...(providerCode === undefined ? {} : { providerCode }),
  });
}

const TIMED_OUT: Verdict = {
  retryable: true,
  reasonCode: 'provider_timeout',
  message: 'SNS publish did not finish before the deadline',
};

function classify(f: SnsFailure): Verdict {
  const code = f.code ?? (f.status === undefined ? 'unknown error' : `HTTP ${f.status}`);
  if (f.code !== undefined && ENDPOINT_GONE.has(f.code)) {
    const message = 'SNS endpoint is disabled';
    return { retryable: false, reasonCode: 'subscription_gone', message, deadTarget: true };
  }
  if (f.code !== undefined && RECIPIENT_INVALID.has(f.code)) {
    return { retryable: false, reasonCode: 'recipient_invalid', message: `SNS refused (${code})` };
  }
  if (f.code !== undefined && AUTH.has(f.code)) {
    const message = `SNS refused our credentials (${code})`;
    return { retryable: true, reasonCode: 'provider_auth_failed', message };
  }
  const transient =
    (f.code !== undefined && TRANSIENT.has(f.code)) ||
    f.status === undefined ||
    f.status >= 500 ||
    f.serverFault;
  if (transient) {
    const message =
      f.status === undefined && f.code === undefined
        ? `SNS could not be reached (${f.networkCode ?? 'unknown error'})`
        : `SNS is unavailable (${code})`;
    return { retryable: true, reasonCode: 'provider_unavailable', message };
  }
  return { retryable: false, reasonCode: 'provider_rejected', message: `SNS refused (${code})` };
}

function fieldsOf(cause: unknown): SnsFailure {
  if (typeof cause !== 'object' || cause === null) return { serverFault: false };
  const c = cause as {
    name?: unknown;
    Code?: unknown;
    code?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const f: SnsFailure = { serverFault: c.$fault === 'server' };
  const status = c.$metadata?.httpStatusCode;
  if (typeof status === 'number') f.status = status;
  // Only an answer from SNS has an error code worth reading; a bare `Error` is a socket failure.
  if (f.status !== undefined) {
    const raw = [c.Code, c.name].find((n): n is string => typeof n === 'string');
    if (raw !== undefined) f.code = codeOf(raw);
  } else if (typeof c.name === 'string') {
    const code = codeOf(c.name);
    if (code !== undefined && TRANSIENT.has(code)) f.code = code;
  }
  if (typeof c.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(c.code)) f.networkCode = c.code;
  return f;
}

/** `AWS.SNS.EndpointDisabledException` → `EndpointDisabled`; odd values become undefined. */
function codeOf(name: string): string | undefined {
  const last = name.slice(Math.max(name.lastIndexOf('.'), name.lastIndexOf('#')) + 1);
  const code = last.endsWith('Exception') ? last.slice(0, -'Exception'.length) : last;
  return /^[A-Za-z0-9]{1,64}$/.test(code) ? code : undefined;
}

function redacted(cause: unknown): Error {
  const original = cause instanceof Error ? cause : undefined;
  const err = new Error(redact(original?.message ?? String(cause)));
  err.name = original?.name ?? 'Error';
  if (original?.stack !== undefined) err.stack = redact(original.stack);
  const c = (cause ?? {}) as {
    Code?: unknown;
    code?: unknown;
    $fault?: unknown;
    $metadata?: unknown;
  };
  return Object.assign(err, {
    ...(c.Code === undefined ? {} : { Code: c.Code }),
    ...(c.code === undefined ? {} : { code: c.code }),
    ...(c.$fault === undefined ? {} : { $fault: c.$fault }),
    ...(c.$metadata === undefined ? {} : { $metadata: c.$metadata }),
  });
}

function redact(text: string): string {
  return text.replace(ARN, '[redacted-arn]');
}
