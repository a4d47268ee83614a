import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger, StatusEvent } from '@herald/core';
import { CallbackError, createCallbackSender } from './callback-sender';
import { createUrlGuard, deriveClientSecret, verifyCallbackSignature } from '@herald/guards';

interface Recorded {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP server on 127.0.0.1: records every callback and answers with the status its path
 * names (`/status/500`); `/hang` never answers.
 */
async function startCallbackServer() {
  const requests: Recorded[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString() });
      for (const wake of waiters) wake();
      if (path.startsWith('/hang')) return;
      const moved = /^\/moved\/(\d{3})/.exec(path)?.[1];
      if (moved !== undefined) {
        res.writeHead(Number(moved), { location: '/status/204' }).end();
        return;
      }
      const status = /^\/status\/(\d{3})/.exec(path)?.[1];
      res.writeHead(status === undefined ? 204 : Number(status)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const waitForRequests = (n: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        if (requests.length < n) return;
        waiters.delete(wake);
        resolve();
      };
      waiters.add(wake);
      wake();
    });
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { port, requests, waitForRequests, close };
}

/** Records log lines, to check what they (do not) contain. */
function recordingLogger() {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const logger: Pick<Logger, 'debug' | 'warn'> = {
    debug: (obj, msg) => lines.push({ level: 'debug', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
  };
  return { logger, lines };
}

const MASTER = 'master-secret-for-tests';
const NOW = new Date('2025-01-01T00:00:00.000Z');

function anEvent(url: string, overrides: Partial<StatusEvent> = {}) {
  return {
    eventId: 'ntf_0123456789abcdefghijklmnop:Delivered',
    id: 'ntf_0123456789abcdefghijklmnop',
    clientId: 'acme',
    channel: 'email',
    status: 'Delivered' as const,
    at: '2025-01-01T00:00:00.000Z',
    provider: 'smtp',
    providerMessageId: '<ntf_0123456789abcdefghijklmnop@herald.test>',
    callbackUrl: url,
    ...overrides,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<CallbackError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof CallbackError))
    throw new Error(`expected a CallbackError, got ${String(err)}`);
  return err;
}

describe('createCallbackSender against a real local HTTP server', () => {
  let server: Awaited<ReturnType<typeof startCallbackServer>>;
  const localGuard = createUrlGuard({ allowLoopback: true, allowHttp: true });

  beforeAll(async () => {
    server = await startCallbackServer();
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  afterAll(async () => {
    await server.close();
  });

  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

  function setup(opts: { timeoutMs?: number; guard?: ReturnType<typeof createUrlGuard> } = {}) {
    const { logger, lines } = recordingLogger();
    const sender = createCallbackSender({
      guard: opts.guard ?? localGuard,
      masterSecret: MASTER,
      now: () => NOW,
      logger,
      timeoutMs: opts.timeoutMs,
    });
    return { sender, lines };
  }

  it('POSTs a signed JSON body the receiver can verify with its client secret', async () => {
    const { sender } = setup();

    await sender.send(anEvent(url('/hooks')));

    const [received] = server.requests;
    expect(received?.headers).toMatchObject({
      'content-type': 'application/json',
      'herald-notification-id': 'ntf_0123456789abcdefghijklmnop',
      'herald-event-id': 'ntf_0123456789abcdefghijklmnop:Delivered',
      'user-agent': 'Herald-Callbacks/1',
    });
    const valid = verifyCallbackSignature({
      secret: deriveClientSecret(MASTER, 'acme'),
      header: String(received?.headers['herald-signature']),
      body: received?.body ?? '',
      now: NOW.getTime() / 1000,
    });
    expect(valid).toBe(true);
  });

  it('sends exactly id, status, reason, provider and at', async () => {
    const { sender } = setup();
    const reason = { code: 'provider_rejected' as const, message: 'mailbox unavailable' };

    await sender.send(anEvent(url('/hooks'), { status: 'Refused', reason }));

    expect(JSON.parse(server.requests[0]?.body ?? '')).toStrictEqual({
      id: 'ntf_0123456789abcdefghijklmnop',
      status: 'Refused',
      reason,
      provider: 'smtp',
      at: '2025-01-01T00:00:00.000Z',
    });
  });

  it('leaves out reason and provider when the event has none', async () => {
    const { sender } = setup();

    await sender.send(anEvent(url('/hooks'), { provider: undefined }));

    expect(Object.keys(JSON.parse(server.requests[0]?.body ?? '') as object)).toEqual([
      'id',
      'status',
      'at',
    ]);
  });

  it('signs with the client secret, so another client secret does not verify', async () => {
    const { sender } = setup();

    await sender.send(anEvent(url('/hooks'), { clientId: 'globex' }));

    const [received] = server.requests;
    const verify = (clientId: string) =>
      verifyCallbackSignature({
        secret: deriveClientSecret(MASTER, clientId),
        header: String(received?.headers['herald-signature']),
        body: received?.body ?? '',
        now: NOW.getTime() / 1000,
      });
    expect(verify('globex')).toBe(true);
    expect(verify('acme')).toBe(false);
  });

  it.each([500, 503, 429, 408])('throws a retryable CallbackError on %i', async (status) => {
    const { sender } = setup();

    const err = await failureOf(sender.send(anEvent(url(`/status/${status}`))));

    expect(err).toMatchObject({ retryable: true, status });
  });

  it.each([400, 401, 404, 410])('throws a permanent CallbackError on %i', async (status) => {
    const { sender } = setup();

    const err = await failureOf(sender.send(anEvent(url(`/status/${status}`))));

    expect(err).toMatchObject({ retryable: false, status });
  });

  it('throws a permanent CallbackError, without calling, when the guard refuses the URL', async () => {
    const strictGuard = createUrlGuard({ allowLoopback: false, allowHttp: true });
    const { sender } = setup({ guard: strictGuard });

    const err = await failureOf(sender.send(anEvent(url('/hooks'))));

    expect(err.retryable).toBe(false);
    expect(server.requests).toHaveLength(0);
  });

  it('follows a 307 with the same POST, and refuses a 302 that would drop the body', async () => {
    const sender = createCallbackSender({
      guard: createUrlGuard({ allowLoopback: true, allowHttp: true }),
      masterSecret: 'm'.repeat(40),
    });
    const event = {
      eventId: 'ntf_x:Delivered',
      id: 'ntf_x',
      clientId: 'shop',
      channel: 'email',
      status: 'Delivered' as const,
      at: '2026-01-01T00:00:00.000Z',
    };

    await sender.send({ ...event, callbackUrl: `http://127.0.0.1:${server.port}/moved/307` });
    const refused: unknown = await sender
      .send({ ...event, callbackUrl: `http://127.0.0.1:${server.port}/moved/302` })
      .catch((e: unknown) => e);

    expect(server.requests.map((r) => r.path)).toEqual(['/moved/307', '/status/204', '/moved/302']);
    expect(server.requests[1]?.body).toContain('"status":"Delivered"');
    expect(refused).toBeInstanceOf(CallbackError);
    expect((refused as CallbackError).retryable).toBe(false);
  });

  it('throws a retryable CallbackError when nothing listens', async () => {
    const { sender } = setup();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const err = await failureOf(sender.send(anEvent(`http://127.0.0.1:${port}/hooks`)));

    expect(err.retryable).toBe(true);
    expect(err.status).toBeUndefined();
  });

  it('throws a retryable CallbackError when the caller aborts', async () => {
    const { sender } = setup();
    const controller = new AbortController();
    const pending = failureOf(sender.send(anEvent(url('/hang')), controller.signal));
    await server.waitForRequests(1);

    controller.abort();

    expect((await pending).retryable).toBe(true);
  });

  it('throws a retryable CallbackError when the server does not answer in time', async () => {
    const { sender } = setup({ timeoutMs: 50 });

    const err = await failureOf(sender.send(anEvent(url('/hang'))));

    expect(err.retryable).toBe(true);
    expect(err.message).toContain('timed out');
  });

  it('logs the host but never the path or query string', async () => {
    const { sender, lines } = setup();

    await sender.send(anEvent(url('/hooks/s3cret-path?token=s3cret-token')));
    await failureOf(sender.send(anEvent(url('/status/500/s3cret-path?token=s3cret-token'))));

    const logged = JSON.stringify(lines, (_key, value: unknown) =>
      value instanceof Error ? { message: value.message, cause: value.cause } : value,
    );
    expect(lines.map((l) => l.level)).toEqual(['debug', 'warn']);
    expect(logged).toContain(`127.0.0.1:${server.port}`);
    expect(logged).not.toContain('s3cret');
  });
});
