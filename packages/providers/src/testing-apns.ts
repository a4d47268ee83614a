/**
 * Test support: a real APNs stand-in (TLS + HTTP/2 on a free local port) that verifies provider
 * tokens with the team's public key and answers as Apple documents, errors included. Import from
 * `@herald/providers/testing`.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createSecureServer } from 'node:http2';
import type { IncomingHttpHeaders, ServerHttp2Session, ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { selfSignedCertificate } from './testing-push-service';

/** A team's APNs signing key, as the developer account hands it out. */
export interface ApnsTestKey {
  keyId: string;
  teamId: string;
  /** The `.p8` file's text (PKCS#8 PEM). */
  pem: string;
  publicKey: KeyObject;
}

/** A fresh P-256 key with a key id and team id of Apple's shape. */
export function generateApnsKey(): ApnsTestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { keyId: 'KEY1234567', teamId: 'TEAM123456', pem, publicKey };
}

/** A scripted answer: the status, Apple's `reason`, and an optional `Retry-After` (seconds). */
export interface ApnsTestAnswer {
  status: number;
  reason?: string;
  retryAfter?: number;
}

export interface RecordedApnsPush {
  /** The device token from the path. */
  deviceToken: string;
  /** As received (lower-case names: `apns-topic`, `apns-priority`, `authorization`, …). */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or `undefined` if it was not JSON. */
  payload: unknown;
  /** The provider token (JWT) from `authorization: bearer …`. */
  providerToken: string | undefined;
  status: number;
  reason: string | undefined;
}

export interface TestApnsServer {
  /** `https://127.0.0.1:<port>`: `APNS_HOST`. */
  origin: string;
  /** The self-signed certificate (PEM) to trust. */
  ca: string;
  /** Every request to `/3/device/…`, in arrival order, whatever the answer. */
  pushes: RecordedApnsPush[];
  /** HTTP/2 sessions (connections) opened so far. */
  readonly sessions: number;
  /** Later pushes to `deviceToken` take these answers in turn, then normal service resumes. */
  script(deviceToken: string, ...answers: ApnsTestAnswer[]): void;
  /** The app was removed: later pushes to it answer 410 `Unregistered`. */
  unregister(deviceToken: string): void;
  /** Later requests signed with this provider token answer 403 `ExpiredProviderToken`. */
  expireProviderToken(providerToken: string): void;
  /** Sends GOAWAY on every open session (APNs does so when it rotates servers). */
  goAway(): void;
  close(): Promise<void>;
}

/** APNs' payload limit for alerts. */
const MAX_PAYLOAD_BYTES = 4096;
const TOKEN_MAX_AGE_SECONDS = 3600;

/**
 * Starts the stand-in on 127.0.0.1. `POST /3/device/:token` checks, in Apple's order: the
 * provider token (403 `MissingProviderToken`, `InvalidProviderToken` when the ES256 signature,
 * `kid`, `iss` or `iat` is wrong, `ExpiredProviderToken` when over an hour old or expired by the
 * test), `apns-topic` (400 `MissingTopic`, `DeviceTokenNotForTopic` when not `key`'s bundle),
 * `apns-push-type` (400 `InvalidPushType`), the token's shape (400 `BadDeviceToken`), the body
 * (400 `PayloadEmpty`, 413 `PayloadTooLarge`), then scripted answers and unregistered tokens;
 * otherwise 200 with the request's `apns-id` (or a fresh one).
 */
export async function startTestApnsServer(
  key: Pick<ApnsTestKey, 'keyId' | 'teamId' | 'publicKey'>,
  bundleId = 'net.herald.test',
): Promise<TestApnsServer> {
  const { key: tlsKey, cert } = await selfSignedCertificate();
  const pushes: RecordedApnsPush[] = [];
  const scripts = new Map<string, ApnsTestAnswer[]>();
  const unregistered = new Set<string>();
  const expired = new Set<string>();
  const open = new Set<ServerHttp2Session>();
  let sessions = 0;
  const server = createSecureServer({ key: tlsKey, cert, allowHTTP1: false });
  server.on('session', (session) => {
    sessions += 1;
    open.add(session);
    session.on('close', () => open.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      void handle(stream, headers, Buffer.concat(chunks)).catch(() => stream.close());
    });
  });

  async function handle(
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Promise<void> {
    const deviceToken = /^\/3\/device\/([^/?]+)$/.exec(headers[':path'] ?? '')?.[1];
    if (headers[':method'] !== 'POST' || deviceToken === undefined) {
      return answer(stream, { status: 404, reason: 'BadPath' });
    }
    const providerToken = /^bearer (\S+)$/.exec(headers.authorization ?? '')?.[1];
    const result =
      (await checkProviderToken(providerToken)) ??
      checkRequest(headers, deviceToken, body) ??
      scripts.get(deviceToken)?.shift() ??
      (unregistered.has(deviceToken) ? { status: 410, reason: 'Unregistered' } : { status: 200 });
    pushes.push({
      deviceToken,
      headers,
      payload: parseJson(body),
      providerToken,
      status: result.status,
      reason: result.reason,
    });
    answer(stream, result, headers['apns-id']);
  }

  async function checkProviderToken(jwt: string | undefined): Promise<ApnsTestAnswer | undefined> {
    if (jwt === undefined) return { status: 403, reason: 'MissingProviderToken' };
    try {
      if (decodeProtectedHeader(jwt).kid !== key.keyId) throw new Error('wrong kid');
      const { payload } = await jwtVerify(jwt, key.publicKey, {
        algorithms: ['ES256'],
        issuer: key.teamId,
        requiredClaims: ['iat'],
      });
      const age = Date.now() / 1000 - (payload.iat ?? 0);
      if (expired.has(jwt) || age > TOKEN_MAX_AGE_SECONDS) {
        return { status: 403, reason: 'ExpiredProviderToken' };
      }
      return undefined;
    } catch {
      return { status: 403, reason: 'InvalidProviderToken' };
    }
  }

  function checkRequest(
    headers: IncomingHttpHeaders,
    deviceToken: string,
    body: Buffer,
  ): ApnsTestAnswer | undefined {
    if (headers['apns-topic'] === undefined) return { status: 400, reason: 'MissingTopic' };
    if (headers['apns-topic'] !== bundleId)
      return { status: 400, reason: 'DeviceTokenNotForTopic' };
    const pushType = headers['apns-push-type'];
    if (pushType !== 'alert' && pushType !== 'background') {
      return { status: 400, reason: 'InvalidPushType' };
    }
    if (!/^[0-9a-f]{64,200}$/.test(deviceToken)) return { status: 400, reason: 'BadDeviceToken' };
    if (body.length === 0) return { status: 400, reason: 'PayloadEmpty' };
    if (body.length > MAX_PAYLOAD_BYTES) return { status: 413, reason: 'PayloadTooLarge' };
    return undefined;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    ca: cert,
    pushes,
    get sessions() {
      return sessions;
    },
    script: (deviceToken, ...answers) =>
      void scripts.set(deviceToken, [...(scripts.get(deviceToken) ?? []), ...answers]),
    unregister: (deviceToken) => void unregistered.add(deviceToken),
    expireProviderToken: (jwt) => void expired.add(jwt),
    goAway: () => open.forEach((session) => session.goaway()),
    close: () =>
      new Promise<void>((resolve) => {
        open.forEach((session) => session.destroy());
        server.close(() => resolve());
      }),
  };
}

function answer(stream: ServerHttp2Stream, a: ApnsTestAnswer, apnsId?: string | string[]): void {
  if (stream.destroyed) return;
  const id = typeof apnsId === 'string' ? apnsId : randomUUID();
  if (a.status === 200) {
    stream.respond({ ':status': 200, 'apns-id': id });
    stream.end();
    return;
  }
  const body = JSON.stringify({
    reason: a.reason,
    ...(a.status === 410 ? { timestamp: Date.now() } : {}),
  });
  stream.respond({
    ':status': a.status,
    'apns-id': id,
    'content-type': 'application/json',
    ...(a.retryAfter === undefined ? {} : { 'retry-after': String(a.retryAfter) }),
  });
  stream.end(body);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
