import { ProviderError } from '@herald/core';
import type { RefusalCode } from '@herald/core';

/** What nodemailer sets on its errors; all optional, since anything can be thrown. */
interface SmtpFailure {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
}

interface Verdict {
  retryable: boolean;
  reasonCode: RefusalCode;
  message: string;
}

const AUTH_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2']);
/** Local failures of this very message that no retry fixes. Unlisted codes count as transient. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS', 'ECONFIG']);
const RECIPIENT_REPLY_CODES = new Set([550, 551, 553]);
/**
 * local@domain.tld or local@[ip]. The domain must end in a letter TLD so that pnpm paths in
 * stack traces (`.pnpm/nodemailer@10.6.0/`) survive.
 */
const EMAIL_LIKE =
  /[^\s<>()[\]",;:'/\\@]+@(?:(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?![\p{L}\p{N}-])|\[[^\]\s]*\])/gu;

/**
 * Turns whatever nodemailer threw into a ProviderError:
 * - aborted (the caller's deadline) → retryable `provider_timeout`;
 * - EAUTH and friends → retryable `provider_auth_failed`: an operator fixes the credentials, and
 *   the notifications should survive until then; ETLS (STARTTLS refused) likewise, retryable;
 * - SMTP 5xx (except 503) → permanent: `recipient_rejected` when the reply answered RCPT TO (or,
 *   with no command known, is 550/551/553), else `provider_rejected`;
 * - SMTP 4xx and 503 → retryable `provider_unavailable`;
 * - EENVELOPE/EMESSAGE/EMAXRECIPIENTS/ECONFIG without a reply → permanent;
 * - anything else (connection, socket, timeout, DNS, TLS, unknown) → retryable
 *   `provider_unavailable`.
 *
 * The message is built from codes only, because it becomes the notification's public
 * `reason.message`, and nodemailer's own messages and server replies quote the recipient. The
 * `cause` keeps nodemailer's text with every address-like token redacted.
 */
export function translateSmtpError(
  cause: unknown,
  provider: string,
  opts: { aborted: boolean },
): ProviderError {
  const failure = fieldsOf(cause);
  const verdict = opts.aborted || isAbort(cause, failure) ? TIMED_OUT : classify(failure);
  const providerCode =
    failure.responseCode !== undefined ? String(failure.responseCode) : failure.code;
  return new ProviderError(provider, verdict.retryable, verdict.message, {
    cause: redacted(cause, failure),
    reasonCode: verdict.reasonCode,
    ...(providerCode !== undefined ? { providerCode } : {}),
  });
}

const TIMED_OUT: Verdict = {
  retryable: true,
  reasonCode: 'provider_timeout',
  message: 'SMTP send did not finish before the deadline',
};

const TLS_FAILED: Verdict = {
  retryable: true,
  reasonCode: 'provider_unavailable',
  message: 'SMTP connection failed (ETLS)',
};

function classify(f: SmtpFailure): Verdict {
  if (f.code !== undefined && AUTH_CODES.has(f.code)) {
    return {
      retryable: true,
      reasonCode: 'provider_auth_failed',
      message: `SMTP authentication failed (${replyOrCode(f)})`,
    };
  }
  // A refused STARTTLS carries the server's 5xx, but it is about the connection, not the message:
  // retry (like an auth failure) until the operator fixes the server or the path to it.
  if (f.code === 'ETLS') return TLS_FAILED;
  if (f.responseCode !== undefined) return classifyReply(f.responseCode, f);
  if (f.code !== undefined && PERMANENT_CODES.has(f.code)) {
    return {
      retryable: false,
      reasonCode: f.code === 'EENVELOPE' ? 'recipient_rejected' : 'provider_rejected',
      message: `SMTP client refused the message (${f.code})`,
    };
  }
  return {
    retryable: true,
    reasonCode: 'provider_unavailable',
    message:
      f.code === undefined ? 'SMTP send failed unexpectedly' : `SMTP connection failed (${f.code})`,
  };
}

function classifyReply(responseCode: number, f: SmtpFailure): Verdict {
  const reply = replyOrCode(f);
  // RFC 5321: 5yz is permanent, except 503 (bad sequence), which a fresh connection clears.
  if (responseCode >= 500 && responseCode < 600 && responseCode !== 503) {
    return isRecipientRejection(responseCode, f.command)
      ? {
          retryable: false,
          reasonCode: 'recipient_rejected',
          message: `SMTP ${reply} rejected the recipient`,
        }
      : {
          retryable: false,
          reasonCode: 'provider_rejected',
          message: `SMTP ${reply} rejected the message`,
        };
  }
  return {
    retryable: true,
    reasonCode: 'provider_unavailable',
    message: `SMTP ${reply} deferred the message`,
  };
}

function isRecipientRejection(responseCode: number, command: string | undefined): boolean {
  if (command === undefined) return RECIPIENT_REPLY_CODES.has(responseCode);
  // A 550 after DATA is about the content (spam, policy), after MAIL FROM about our sender.
  return command === 'RCPT TO';
}

/** `550 5.1.1` from the reply, or the bare code: digits only, never the reply's free text. */
function replyOrCode(f: SmtpFailure): string {
  if (f.responseCode === undefined) return f.code ?? 'unknown error';
  const enhanced = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(f.response ?? '')?.[1];
  return enhanced === undefined ? String(f.responseCode) : `${f.responseCode} ${enhanced}`;
}

function isAbort(cause: unknown, f: SmtpFailure): boolean {
  return f.code === 'EABORT' || (cause instanceof Error && cause.name === 'AbortError');
}

function fieldsOf(cause: unknown): SmtpFailure {
  if (typeof cause !== 'object' || cause === null) return {};
  const c = cause as Record<string, unknown>;
  const f: SmtpFailure = {};
  // Codes only feed messages when they look like codes, so odd values cannot smuggle text in.
  if (typeof c.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(c.code)) f.code = c.code;
  if (typeof c.responseCode === 'number' && Number.isInteger(c.responseCode)) {
    f.responseCode = c.responseCode;
  }
  if (typeof c.command === 'string') f.command = c.command;
  if (typeof c.response === 'string') f.response = c.response;
  return f;
}

function redacted(cause: unknown, f: SmtpFailure): Error {
  const original = cause instanceof Error ? cause : undefined;
  const err = new Error(redact(original?.message ?? String(cause)));
  err.name = original?.name ?? 'Error';
  if (original?.stack !== undefined) err.stack = redact(original.stack);
  return Object.assign(err, {
    ...f,
    ...(f.response !== undefined ? { response: redact(f.response) } : {}),
  });
}

function redact(text: string): string {
  return text.replace(EMAIL_LIKE, '[redacted]');
}
