import { AppError } from '@herald/core';
import type * as Nodemailer from 'nodemailer';
import type { SMTPSentMessageInfo, SMTPTransportOptions, Transporter } from 'nodemailer';
import { lazyRequire } from './lazy-require';

const nodemailer = lazyRequire<typeof Nodemailer>('nodemailer');

/** Connection settings that the SMTP URL does not carry. */
export interface SmtpTransportOptions {
  /** Reuse connections across messages. Default `true`. */
  pool?: boolean;
  /** Most connections the pool opens at once. Default 5; ignored without `pool`. */
  maxConnections?: number;
  /** How long to wait for the TCP connection. Default: nodemailer's (2 minutes). */
  connectionTimeoutMs?: number;
  /** How long an idle socket may stay silent. Default: nodemailer's (10 minutes). */
  socketTimeoutMs?: number;
  /** Set `false` only for test servers with self-signed certificates. Default `true`. */
  tlsRejectUnauthorized?: boolean;
  /**
   * Send `smtp://` credentials even when the server offers no STARTTLS. Local mode only (the mail
   * sink has no TLS). Default `false`: credentials require STARTTLS (nodemailer's `requireTLS`).
   */
  allowPlainAuth?: boolean;
}

const DEFAULT_MAX_CONNECTIONS = 5;

/**
 * Builds a nodemailer transport from `smtp://user:pass@host:587` (plain, upgraded with STARTTLS
 * when the server offers it; with credentials STARTTLS is required unless `allowPlainAuth`) or
 * `smtps://user:pass@host:465` (implicit TLS). User and password are percent-decoded. Settings go
 * in `opts`, not in the query string.
 *
 * The caller owns the transport: call `close()` on shutdown to end pooled connections.
 *
 * @throws AppError `CONFIG_INVALID` when the URL does not parse, is not smtp: or smtps:, has no
 *   host, or carries a query string. The message never repeats the URL (it may hold a password).
 */
export function createSmtpTransport(
  smtpUrl: string,
  opts: SmtpTransportOptions = {},
): Transporter<SMTPSentMessageInfo> {
  const options = toTransportOptions(parseSmtpUrl(smtpUrl), opts);
  const { createTransport } = nodemailer();
  if (opts.pool === false) return createTransport(options);
  return createTransport({
    ...options,
    pool: true,
    maxConnections: opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
  });
}

function parseSmtpUrl(smtpUrl: string): URL {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new AppError('CONFIG_INVALID', 'SMTP URL is not a valid URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new AppError('CONFIG_INVALID', `SMTP URL must use smtp: or smtps:, not ${url.protocol}`);
  }
  if (url.hostname === '') throw new AppError('CONFIG_INVALID', 'SMTP URL has no host');
  // nodemailer would read settings from the query; ignoring them silently would surprise.
  if (url.search !== '') {
    throw new AppError('CONFIG_INVALID', 'SMTP URL must not have a query string; use options');
  }
  return url;
}

function toTransportOptions(url: URL, opts: SmtpTransportOptions): SMTPTransportOptions {
  const secure = url.protocol === 'smtps:';
  const options: SMTPTransportOptions = {
    // URL keeps the brackets of an IPv6 literal; net.connect wants the bare address.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
  };
  if (url.username !== '') {
    options.auth = { user: decodeCredential(url.username), pass: decodeCredential(url.password) };
    // Without it a server (or anyone on the path) that does not offer STARTTLS gets the password
    // in clear text; with it the send fails (retryable) until the server offers TLS.
    if (!secure && opts.allowPlainAuth !== true) options.requireTLS = true;
  }
  if (opts.connectionTimeoutMs !== undefined) options.connectionTimeout = opts.connectionTimeoutMs;
  if (opts.socketTimeoutMs !== undefined) options.socketTimeout = opts.socketTimeoutMs;
  if (opts.tlsRejectUnauthorized !== undefined) {
    options.tls = { rejectUnauthorized: opts.tlsRejectUnauthorized };
  }
  return options;
}

function decodeCredential(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new AppError('CONFIG_INVALID', 'SMTP URL has badly percent-encoded credentials');
  }
}
