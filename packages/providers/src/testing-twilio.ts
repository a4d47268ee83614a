/**
 * Test helpers for Twilio: a real HTTP server that stands in for the Messages API, and a signer
 * for status callbacks. Import them from `@herald/providers/testing`.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getExpectedTwilioSignature } from 'twilio';

/** One `POST /2010-04-01/Accounts/:sid/Messages.json` as the recorder received it. */
export interface RecordedTwilioRequest {
  path: string;
  /** From the Basic Authorization header; empty strings when there was none. */
  auth: { user: string; pass: string };
  /** The form-encoded body (`To`, `From`, `Body`, `StatusCallback`, …). */
  form: Record<string, string>;
}

export interface TwilioReply {
  status: number;
  body: object;
}

export interface TwilioRecorderOptions {
  /** Answers a request; `undefined` (or no function) answers 201 with a queued message. */
  respond?: (req: RecordedTwilioRequest) => TwilioReply | undefined;
}

export interface TwilioRecorder {
  /** `http://127.0.0.1:<port>`: pass it as `createTwilioClient`'s `apiBaseUrl`. */
  url: string;
  /** Every Messages request, in arrival order. */
  requests: RecordedTwilioRequest[];
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\.json$/;

/**
 * Starts a Twilio Messages API stand-in on 127.0.0.1 and a free port. It records every
 * `POST /2010-04-01/Accounts/:sid/Messages.json` and answers like Twilio: 201 with a message
 * resource (`sid: SM` + 32 hex, `status: queued`) unless `respond` says otherwise. Other paths
 * get Twilio's 404 error body.
 */
export async function startTwilioRecorder(
  opts: TwilioRecorderOptions = {},
): Promise<TwilioRecorder> {
  const requests: RecordedTwilioRequest[] = [];
  const server = createServer((req, res) => {
    void handle(req, res, requests, opts).catch(() => {
      if (!res.headersSent) reply(res, twilioError(500, 20500, 'Internal Server Error'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  requests: RecordedTwilioRequest[],
  opts: TwilioRecorderOptions,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const accountSid = MESSAGES_PATH.exec(path)?.[1];
  const raw = await readBody(req);
  if (req.method !== 'POST' || accountSid === undefined) {
    reply(res, twilioError(404, 20404, 'The requested resource was not found'));
    return;
  }
  const recorded: RecordedTwilioRequest = {
    path,
    auth: basicAuthOf(req.headers.authorization),
    form: Object.fromEntries(new URLSearchParams(raw)),
  };
  requests.push(recorded);
  reply(
    res,
    opts.respond?.(recorded) ?? { status: 201, body: aMessage(accountSid, recorded.form) },
  );
}

/** A Twilio error answer: `{ code, message, more_info, status }` with that HTTP status. */
export function twilioError(status: number, code: number, message: string): TwilioReply {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

function aMessage(accountSid: string, form: Record<string, string>): object {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const now = new Date().toUTCString();
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: form.Body ?? '',
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: form.From ?? null,
    messaging_service_sid: form.MessagingServiceSid ?? null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid,
    status: 'queued',
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
    to: form.To ?? null,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
  };
}

function reply(res: ServerResponse, { status, body }: TwilioReply): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function basicAuthOf(header: string | undefined): { user: string; pass: string } {
  const encoded = /^Basic (.+)$/i.exec(header ?? '')?.[1];
  if (encoded === undefined) return { user: '', pass: '' };
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0
    ? { user: decoded, pass: '' }
    : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

/** The `X-Twilio-Signature` Twilio would send for a POST of `params` to `url`. */
export function signTwilioRequest(
  authToken: string,
  url: string,
  params: Record<string, string>,
): string {
  return getExpectedTwilioSignature(authToken, url, params);
}
