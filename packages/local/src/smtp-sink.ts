import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { silentLogger } from '@herald/core';
import type { Logger } from '@herald/core';
import { SMTPServer } from 'smtp-server';

export interface SmtpSinkOptions {
  /** Where `.eml` files go; created if missing. */
  dir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default `127.0.0.1`: the sink accepts anything, so it must not face a network. */
  host?: string;
  logger?: Logger;
}

export interface SmtpSink {
  port: number;
  /** `smtp://<host>:<port>`: plain SMTP, no STARTTLS, any or no credentials. */
  url: string;
  /** Stops listening; clients still connected (idle pools) are cut after 1 s. Safe to call twice. */
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
const CLOSE_TIMEOUT_MS = 1_000;
/** Header values become file names, so only a conservative id alphabet is trusted. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The local stack's mail catcher: an SMTP server that accepts every sender and recipient and
 * stores each message as `<ISO time, ':' → '-'>-<X-Herald-Notification-Id or random>.eml` under
 * `dir`. The file is written to a temporary name, synced and renamed before the server answers
 * 250, so an accepted message is on disk; a failed write answers 451, so the sender retries.
 * Messages over 25 MB are refused with 552. Logs one line per message: file and notification id,
 * never addresses.
 *
 * Rejects if the port is taken.
 */
export async function startSmtpSink(options: SmtpSinkOptions): Promise<SmtpSink> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? silentLogger;
  await mkdir(options.dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    // Clients configured with credentials must still get through: any login is accepted.
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    size: MAX_MESSAGE_BYTES,
    closeTimeout: CLOSE_TIMEOUT_MS,
    logger: false,
    onData(stream, _session, callback) {
      catchMail(stream, options.dir, logger).then(
        () => callback(),
        (err: unknown) => callback(toSmtpReply(err, logger)),
      );
    },
  });
  // A client hanging up mid-session surfaces here; unhandled, it would crash the process.
  server.on('error', (err: NodeJS.ErrnoException) =>
    logger.warn({ code: err.code }, 'SMTP sink error'),
  );
  await listen(server, options.port ?? 0, host);
  const { port } = server.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `smtp://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
}

class OversizedMessage extends Error {}

async function catchMail(
  stream: Readable & { sizeExceeded: boolean },
  dir: string,
  logger: Logger,
): Promise<void> {
  const raw = await readAll(stream);
  if (stream.sizeExceeded || raw === undefined) throw new OversizedMessage();
  const notificationId = notificationIdOf(raw);
  const stamp = new Date().toISOString().replace(/:/g, '-');
  const file = `${stamp}-${notificationId ?? randomBytes(8).toString('hex')}.eml`;
  await writeAtomically(dir, file, raw);
  logger.info({ file, notificationId }, 'mail caught');
}

/** The whole message, or undefined past the limit (the rest is drained, not kept). */
async function readAll(stream: Readable): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size <= MAX_MESSAGE_BYTES) chunks.push(buf);
  }
  return size <= MAX_MESSAGE_BYTES ? Buffer.concat(chunks) : undefined;
}

function notificationIdOf(raw: Buffer): string | undefined {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end === -1 ? raw.length : end).toString('latin1');
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const value = /^x-herald-notification-id:[ \t]*(.*?)[ \t]*$/im.exec(unfolded)?.[1];
  return value !== undefined && SAFE_ID.test(value) ? value : undefined;
}

async function writeAtomically(dir: string, file: string, data: Buffer): Promise<void> {
  // Dot-prefixed and not .eml, so nothing reading the folder picks up a half-written file.
  const tmp = path.join(dir, `.${file}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path.join(dir, file));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

function toSmtpReply(err: unknown, logger: Logger): Error {
  if (err instanceof OversizedMessage) {
    return Object.assign(new Error('message exceeds the 25 MB limit'), { responseCode: 552 });
  }
  logger.error({ err }, 'SMTP sink could not store a message; answered 451');
  return Object.assign(new Error('could not store the message, try again'), { responseCode: 451 });
}

function listen(server: SMTPServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
}
