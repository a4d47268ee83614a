/**
 * Test helpers: a real SMTP server on a free local port that records what it receives, and a
 * MIME parser to read it back. Import them as `@herald/providers/testing`.
 */
import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import type { Email } from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerAddress, SMTPServerDataStream } from 'smtp-server';

export interface RecordedMail {
  /** What the client said in MAIL FROM and RCPT TO (accepted recipients only, Bcc included). */
  envelope: { from: string; to: string[] };
  /** The message as received, headers and body. */
  raw: Buffer;
}

export interface RecordingSmtpServerOptions {
  /** Recipients answered `550 5.1.1 mailbox unavailable` at RCPT TO. */
  rejectPermanently?: (rcpt: string) => boolean;
  /** Recipients answered `451 4.3.0 try later` at RCPT TO. */
  rejectTemporarily?: (rcpt: string) => boolean;
  /**
   * Waits this long after DATA before recording and answering 250: a slow server. A function
   * decides per message, from its envelope recipients (a server slow for some addresses only).
   */
  delayMs?: number | ((to: string[]) => number);
  /**
   * Answers `451 4.3.0 try later` after DATA to this share (0-1) of messages, chosen at random
   * per message (not per recipient): a flaky server. Such messages go to `rejected`, not
   * `messages`.
   */
  failRate?: number;
  /**
   * Decides per message after DATA: return 451 or 550 to refuse it (it goes to `rejected`),
   * anything else to accept. Checked before `failRate`.
   */
  fail?: (mail: RecordedMail) => 451 | 550 | undefined;
}

export interface RecordingSmtpServer {
  port: number;
  /** `smtp://127.0.0.1:<port>`: plain SMTP, no STARTTLS, any or no credentials. */
  url: string;
  /** Every accepted message, in arrival order. */
  messages: RecordedMail[];
  /** Every message refused after DATA (`failRate`, `fail`), in arrival order. */
  rejected: RecordedMail[];
  /** Messages received and not answered yet because `delayMs` holds them, right now. */
  readonly held: number;
  /** Resolves with `messages` once at least `n` arrived; rejects after `timeoutMs` (5 s). */
  waitForMessages(n: number, timeoutMs?: number): Promise<RecordedMail[]>;
  /** Stops listening and drops open connections after 500 ms. Close client pools first. */
  close(): Promise<void>;
}

/** Starts an SMTP server on 127.0.0.1 and a free port that accepts everything not rejected. */
export async function startRecordingSmtpServer(
  opts: RecordingSmtpServerOptions = {},
): Promise<RecordingSmtpServer> {
  const messages: RecordedMail[] = [];
  const rejected: RecordedMail[] = [];
  let held = 0;
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 500,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (opts.rejectPermanently?.(address.address) === true) {
        return callback(smtpReply(550, '5.1.1 mailbox unavailable'));
      }
      if (opts.rejectTemporarily?.(address.address) === true) {
        return callback(smtpReply(451, '4.3.0 try later'));
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => void record());
      async function record() {
        const delayMs =
          typeof opts.delayMs === 'function'
            ? opts.delayMs(session.envelope.rcptTo.map((r) => r.address))
            : opts.delayMs;
        if (delayMs) {
          held++;
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          held--;
        }
        const from = session.envelope.mailFrom;
        const mail: RecordedMail = {
          envelope: {
            from: from === false ? '' : from.address,
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          raw: Buffer.concat(chunks),
        };
        const verdict =
          opts.fail?.(mail) ??
          (opts.failRate !== undefined && Math.random() < opts.failRate ? 451 : undefined);
        if (verdict === 451 || verdict === 550) {
          rejected.push(mail);
          return callback(
            verdict === 451
              ? smtpReply(451, '4.3.0 try later')
              : smtpReply(550, '5.7.1 message refused'),
          );
        }
        messages.push(mail);
        waiters.forEach((check) => check());
        callback();
      }
    },
  });
  // A client that hangs up mid-session makes the server emit 'error'; unhandled, it would throw.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    rejected,
    get held() {
      return held;
    },
    waitForMessages: (n, timeoutMs = 5_000) => waitFor(messages, waiters, n, timeoutMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function waitFor(
  messages: RecordedMail[],
  waiters: Set<() => void>,
  n: number,
  timeoutMs: number,
): Promise<RecordedMail[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`expected ${n} messages within ${timeoutMs} ms, got ${messages.length}`));
    }, timeoutMs);
    function check() {
      if (messages.length < n) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolve(messages);
    }
    waiters.add(check);
    check();
  });
}

function smtpReply(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** Parses a raw RFC 5322 message (headers, addresses, text and html parts). */
export function parseMail(raw: Buffer): Promise<Email> {
  return PostalMime.parse(raw);
}

/** The value of the first header called `name` (any case), or undefined. */
export function headerOf(mail: Email, name: string): string | undefined {
  return mail.headers.find((h) => h.key === name.toLowerCase())?.value;
}
export { signTwilioRequest, startTwilioRecorder, twilioError } from './testing-twilio';
export type {
  RecordedTwilioRequest,
  TwilioRecorder,
  TwilioRecorderOptions,
  TwilioReply,
} from './testing-twilio';
export {
  createSubscription,
  readVapidAuthorization,
  startTestPushService,
} from './testing-push-service';
export type {
  RecordedPush,
  TestPushService,
  TestSubscription,
  VapidAuthorization,
} from './testing-push-service';
export { startMotoServer } from './testing-moto';
export type { MotoServer } from './testing-moto';
export { generateApnsKey, startTestApnsServer } from './testing-apns';
export type { ApnsTestAnswer, ApnsTestKey, RecordedApnsPush, TestApnsServer } from './testing-apns';
export { fcmError, generateFcmServiceAccount, startFcmServer } from './testing-fcm';
export type { FcmReply, FcmServer, FcmServerOptions, RecordedFcmMessage } from './testing-fcm';
export { slackApiError, slackRateLimited, startSlackApiServer } from './testing-slack-api';
export type {
  RecordedSlackPost,
  SlackApiReply,
  SlackApiServer,
  SlackApiServerOptions,
} from './testing-slack-api';
