/**
 * Test helpers for FCM: a real HTTP server that stands in for Google's OAuth token endpoint and
 * FCM's HTTP v1 `messages:send`, and a service account whose key the server checks. Import them
 * from `@herald/providers/testing`.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import type { CryptoKey } from 'jose';
import { FCM_SCOPE } from './fcm-access-token';
import type { FcmServiceAccount } from './fcm-service-account';

/** One `messages:send` request the server accepted the bearer token of. */
export interface RecordedFcmMessage {
  projectId: string;
  accessToken: string;
  /** The parsed body's `message`. */
  message: Record<string, unknown> & { token?: string };
}

export interface FcmReply {
  status: number;
  body: object;
  headers?: Record<string, string>;
}

export interface FcmServerOptions {
  /** Answers a send; `undefined` (or no function) answers 200 with a message name. */
  respond?: (req: RecordedFcmMessage) => FcmReply | undefined;
  /** `expires_in` of the access tokens it issues. Default 3600. */
  tokenLifetimeSeconds?: number;
}

export interface FcmServer {
  /** `http://127.0.0.1:<port>`: pass it as `FCM_API_BASE_URL` / `apiBaseUrl`. */
  url: string;
  /** A service account whose `token_uri` is this server's token endpoint and whose key it trusts. */
  serviceAccount: FcmServiceAccount;
  /** Every send whose bearer token was valid, in arrival order. */
  messages: RecordedFcmMessage[];
  /** Grants the token endpoint accepted (access tokens issued). */
  tokensIssued: string[];
  /** Grants the token endpoint refused, with why. */
  grantsRefused: string[];
  /** Makes an issued access token invalid (sends with it get 401), as a revocation would. */
  revoke(accessToken: string): void;
  close(): Promise<void>;
}

/**
 * A fresh service account (an RS256 key pair, the private half exported as PKCS#8 PEM) for
 * `projectId`, with `token_uri` as given. The public key verifies its grants.
 */
export async function generateFcmServiceAccount(
  tokenUri: string,
  projectId = 'herald-test',
): Promise<{ account: FcmServiceAccount; publicKey: CryptoKey }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    account: {
      project_id: projectId,
      client_email: `herald@${projectId}.iam.gserviceaccount.com`,
      private_key: await exportPKCS8(privateKey),
      private_key_id: randomBytes(20).toString('hex'),
      token_uri: tokenUri,
    },
    publicKey,
  };
}

/**
 * Starts the stand-in on 127.0.0.1 and a free port. `POST /token` verifies the JWT-bearer grant
 * as Google does (RS256 signature with the account's public key, `iss`, `aud` = the token URI,
 * `scope`, a lifetime of at most an hour) and issues a random access token; anything else is
 * `400 invalid_grant`. `POST /v1/projects/<id>/messages:send` answers 401 `UNAUTHENTICATED`
 * without a valid (issued, unrevoked) bearer token, 403 for another project, else records the
 * message and answers `respond`'s reply or 200 `{ name }`.
 */
export async function startFcmServer(opts: FcmServerOptions = {}): Promise<FcmServer> {
  const messages: RecordedFcmMessage[] = [];
  const tokensIssued: string[] = [];
  const grantsRefused: string[] = [];
  const valid = new Set<string>();
  // The account's token_uri names the server's port, so the keys exist only once it listens.
  const held: { keys?: Awaited<ReturnType<typeof generateFcmServiceAccount>> } = {};
  const ctx = { messages, tokensIssued, grantsRefused, valid, opts, keys: () => held.keys };
  const server = createServer((req, res) => {
    void handle(req, res, ctx).catch(() => {
      if (!res.headersSent) reply(res, fcmError(500, 'INTERNAL'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keys = await generateFcmServiceAccount(`${url}/token`);
  held.keys = keys;
  return {
    url,
    serviceAccount: keys.account,
    messages,
    tokensIssued,
    grantsRefused,
    revoke: (token) => valid.delete(token),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** FCM's error body: `{ error: { code, message, status, details: [FcmError] } }`. */
export function fcmError(
  httpStatus: number,
  status: string,
  errorCode?: string,
  headers?: Record<string, string>,
): FcmReply {
  const details =
    errorCode === undefined
      ? []
      : [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }];
  return {
    status: httpStatus,
    body: { error: { code: httpStatus, message: `${status} (test)`, status, details } },
    ...(headers ? { headers } : {}),
  };
}

interface Ctx {
  messages: RecordedFcmMessage[];
  tokensIssued: string[];
  grantsRefused: string[];
  valid: Set<string>;
  opts: FcmServerOptions;
  keys(): Awaited<ReturnType<typeof generateFcmServiceAccount>> | undefined;
}

const SEND_PATH = /^\/v1\/projects\/([^/]+)\/messages:send$/;

async function handle(req: IncomingMessage, res: ServerResponse, ctx: Ctx): Promise<void> {
  const body = await readBody(req);
  const keys = ctx.keys();
  if (req.method === 'POST' && req.url === '/token' && keys) {
    const form = new URLSearchParams(body);
    const refused = await grantProblem(form, keys);
    if (refused !== undefined) {
      ctx.grantsRefused.push(refused);
      reply(res, { status: 400, body: { error: 'invalid_grant', error_description: refused } });
      return;
    }
    const token = `ya29.${randomBytes(24).toString('base64url')}`;
    ctx.valid.add(token);
    ctx.tokensIssued.push(token);
    const expires_in = ctx.opts.tokenLifetimeSeconds ?? 3_600;
    reply(res, { status: 200, body: { access_token: token, expires_in, token_type: 'Bearer' } });
    return;
  }
  const match = SEND_PATH.exec(req.url ?? '');
  if (req.method !== 'POST' || !match?.[1] || !keys) {
    reply(res, fcmError(404, 'NOT_FOUND'));
    return;
  }
  const accessToken = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  if (!ctx.valid.has(accessToken)) {
    reply(res, fcmError(401, 'UNAUTHENTICATED'));
    return;
  }
  const projectId = decodeURIComponent(match[1]);
  if (projectId !== keys.account.project_id) {
    reply(res, fcmError(403, 'PERMISSION_DENIED'));
    return;
  }
  const parsed = JSON.parse(body) as { message?: RecordedFcmMessage['message'] };
  const recorded: RecordedFcmMessage = { projectId, accessToken, message: parsed.message ?? {} };
  ctx.messages.push(recorded);
  const answer = ctx.opts.respond?.(recorded) ?? {
    status: 200,
    body: { name: `projects/${projectId}/messages/0:${ctx.messages.length}` },
  };
  reply(res, answer);
}

async function grantProblem(
  form: URLSearchParams,
  keys: Awaited<ReturnType<typeof generateFcmServiceAccount>>,
): Promise<string | undefined> {
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
    return 'unsupported grant_type';
  try {
    const { payload } = await jwtVerify(form.get('assertion') ?? '', keys.publicKey, {
      algorithms: ['RS256'],
      issuer: keys.account.client_email,
      audience: keys.account.token_uri,
      requiredClaims: ['iat', 'exp'],
    });
    if (payload.scope !== FCM_SCOPE) return `wrong scope ${String(payload.scope)}`;
    if ((payload.exp ?? 0) - (payload.iat ?? 0) > 3_600) return 'assertion lives over an hour';
    return undefined;
  } catch (err) {
    return `invalid assertion: ${(err as Error).message}`;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, answer: FcmReply): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}
