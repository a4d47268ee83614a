/**
 * Test support: a real HTTPS web push service (RFC 8030) on a free local port, and browser-side
 * subscriptions whose payloads can be decrypted. Import from `@herald/providers/testing`.
 */
import { execFile } from 'node:child_process';
import { createECDH, createPublicKey, randomBytes, randomUUID, verify } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decrypt } from 'http_ece';

export interface RecordedPush {
  subscriptionId: string;
  /** As received; Node lower-cases names (`ttl`, `urgency`, `topic`, `authorization`, …). */
  headers: IncomingHttpHeaders;
  /** The raw (encrypted) body. */
  body: Buffer;
  /** What the service answered, or `undefined` for a push it is holding (`hang`). */
  status: number | undefined;
}

export interface TestPushService {
  port: number;
  /** `https://127.0.0.1:<port>`: the VAPID audience. */
  origin: string;
  /** The self-signed certificate (PEM): trust it with `new https.Agent({ ca })`. */
  ca: string;
  /** An agent that trusts `ca`; destroyed by `close`. */
  agent: Agent;
  /** Every push received, in arrival order, whatever the answer. */
  pushes: RecordedPush[];
  /** TCP connections accepted so far, TLS handshake or not. */
  readonly connections: number;
  /** Answers later pushes to the subscription with `status` (201 restores normal service). */
  respondWith(subscriptionId: string, status: number): void;
  /** The browser unsubscribed: later pushes to it answer 410 Gone. */
  markGone(subscriptionId: string): void;
  /** Later pushes to it are recorded but never answered (until `close`): a stuck push service. */
  hang(subscriptionId: string): void;
  /** Stops listening and drops open connections, held pushes included. */
  close(): Promise<void>;
}

/** RFC 8030 §7.2: push services must accept at least 4096 bytes; this one accepts no more. */
const MAX_BODY_BYTES = 4096;

/**
 * Starts an HTTPS push service on 127.0.0.1 with a certificate made at start by the `openssl` CLI.
 * `POST /push/:subscriptionId` records the push and, unless told otherwise, answers 201 with a
 * `Location` for the message. Like real push services it answers 400 without a `TTL` header, 401
 * without a `vapid` Authorization, 413 for a body over 4096 bytes and 404 for any other path.
 */
export async function startTestPushService(): Promise<TestPushService> {
  const { key, cert } = await selfSignedCertificate();
  const pushes: RecordedPush[] = [];
  const answers = new Map<string, number | 'hang'>();
  let connections = 0;
  const server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => respond(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', () => (connections += 1));

  function respond(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const id = /^\/push\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || id === undefined) return void reply(res, 404);
    const answer = answers.get(id);
    const push: RecordedPush = {
      subscriptionId: id,
      headers: req.headers,
      body,
      status: undefined,
    };
    pushes.push(push);
    if (answer === 'hang') return;
    push.status = answer ?? statusFor(req.headers, body);
    if (push.status !== 201) return void reply(res, push.status);
    res.writeHead(201, { Location: `${origin}/message/${randomUUID()}`, 'Content-Length': 0 });
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;
  const agent = new Agent({ ca: cert });

  return {
    port,
    origin,
    ca: cert,
    agent,
    pushes,
    get connections() {
      return connections;
    },
    respondWith: (id, status) => void answers.set(id, status),
    markGone: (id) => void answers.set(id, 410),
    hang: (id) => void answers.set(id, 'hang'),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function statusFor(headers: IncomingHttpHeaders, body: Buffer): number {
  if (headers.ttl === undefined || !/^\d+$/.test(headers.ttl as string)) return 400;
  if (!/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/.test(headers.authorization ?? '')) return 401;
  if (body.length > MAX_BODY_BYTES) return 413;
  return 201;
}

function reply(res: ServerResponse, status: number): void {
  const body = JSON.stringify({ code: status, error: `push service answered ${status}` });
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(body);
}

/** A self-signed P-256 certificate for 127.0.0.1 and localhost, made by the `openssl` CLI. */
export async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-push-'));
  try {
    // prettier-ignore
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:push.test', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ]);
    const [key, cert] = await Promise.all([
      readFile(join(dir, 'key.pem'), 'utf8'),
      readFile(join(dir, 'cert.pem'), 'utf8'),
    ]);
    return { key, cert };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface TestSubscription {
  id: string;
  /** What a browser's `subscription.toJSON()` gives: the request's `to.webPush`. */
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** Decrypts an aes128gcm push body with this subscription's private key (throws if it fails). */
  decrypt(body: Buffer): Buffer;
}

/** A browser subscription at `service`: a fresh P-256 key pair and 16-byte auth secret. */
export function createSubscription(service: Pick<TestPushService, 'origin'>): TestSubscription {
  const id = randomBytes(12).toString('base64url');
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    id,
    subscription: {
      endpoint: `${service.origin}/push/${id}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
    },
    decrypt: (body) => decrypt(body, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth }),
  };
}

export interface VapidAuthorization {
  /** The JWT's claims: `aud` is the push service origin, `sub` the VAPID subject. */
  claims: Record<string, unknown>;
  /** `k`: the application server's public key, base64url. */
  publicKey: string;
  /** Whether the JWT's ES256 signature verifies against `publicKey`. */
  signatureValid: boolean;
}

/** Reads an RFC 8292 `Authorization: vapid t=<jwt>, k=<key>` header; undefined if it is not one. */
export function readVapidAuthorization(header: string | undefined): VapidAuthorization | undefined {
  const match = /^vapid t=([\w-]+)\.([\w-]+)\.([\w-]+), k=([\w-]+)$/.exec(header ?? '');
  if (match === null) return undefined;
  const [, head = '', payload = '', signature = '', publicKey = ''] = match;
  const point = Buffer.from(publicKey, 'base64url');
  const key = createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
  });
  const signatureValid = verify(
    'sha256',
    Buffer.from(`${head}.${payload}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  return { claims, publicKey, signatureValid };
}
