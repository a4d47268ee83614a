import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@herald/core';
import { createGuardedAgent } from './guarded-agent';
import type { GuardedAgent } from './guarded-agent';
import { guardedFetch } from './guarded-fetch';
import { createUrlGuard } from './url-guard';
import type { ResolvedAddress } from './url-guard';

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Route = (req: Recorded, res: ServerResponse, port: number) => void;

/**
 * A real HTTP server on 127.0.0.1 that records every request and answers by path. `PORT` in a
 * redirect's location becomes the server's port.
 */
async function startServer(routes: Record<string, Route>) {
  const requests: Recorded[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const recorded = {
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      requests.push(recorded);
      for (const wake of waiters) wake();
      const route = routes[path.split('?')[0] ?? ''];
      if (route === undefined) res.writeHead(404).end();
      else route(recorded, res, (server.address() as AddressInfo).port);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  /** Resolves once `n` requests have arrived. */
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
  return { port, requests, waitForRequests, close };
}

const redirect =
  (status: number, location: string): Route =>
  (_req, res, port) =>
    res.writeHead(status, { location: location.replace('PORT', String(port)) }).end();
const ok: Route = (req, res) => res.writeHead(200).end(`ok ${req.method}`);

/** `good.test` is the local server; `evil.test` is a private address. Counts every lookup. */
function fakeDns(overrides: Record<string, () => string> = {}) {
  const calls: string[] = [];
  const zone: Record<string, () => string> = {
    'good.test': () => '127.0.0.1',
    'evil.test': () => '10.0.0.5',
    ...overrides,
  };
  const lookup = (host: string): Promise<ResolvedAddress[]> => {
    calls.push(host);
    const answer = zone[host];
    if (answer === undefined) return Promise.reject(new Error(`ENOTFOUND ${host}`));
    return Promise.resolve([{ address: answer(), family: 4 }]);
  };
  return { lookup, calls };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('guardedFetch against a real local HTTP server', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let base: string;
  let dns: ReturnType<typeof fakeDns>;
  let guard: GuardedAgent;
  const safety = () => AbortSignal.timeout(5_000);

  beforeAll(async () => {
    server = await startServer({
      '/ok': ok,
      '/hop1': redirect(302, '/hop2'),
      '/hop2': redirect(301, 'http://127.0.0.1:PORT/ok'),
      '/to-evil': redirect(302, 'http://evil.test:PORT/ok'),
      '/to-metadata': redirect(307, 'http://169.254.169.254/latest/meta-data/'),
      '/to-mapped': redirect(308, 'http://[::ffff:10.0.0.5]:PORT/ok'),
      '/to-file': redirect(302, 'file:///etc/passwd'),
      '/loop': redirect(302, '/loop'),
      '/see-other': redirect(303, '/ok'),
      '/temporary': redirect(307, '/ok'),
      '/elsewhere': redirect(307, 'http://127.0.0.1:PORT/ok'),
      '/big': (_req, res) => res.writeHead(200).end('x'.repeat(10_000)),
      '/hang': () => undefined,
    });
    base = `http://good.test:${server.port}`;
  });

  beforeEach(() => {
    server.requests.length = 0;
    dns = fakeDns();
    guard = createGuardedAgent(
      createUrlGuard({ allowLoopback: true, allowHttp: true, lookup: dns.lookup }),
    );
  });

  afterEach(() => guard.destroy());

  afterAll(async () => {
    await server.close();
  });

  const at = (path: string) => `${base}${path}`;

  it('connects to the checked address and keeps the original Host header', async () => {
    const res = await guardedFetch(guard, at('/ok'), { signal: safety() });

    expect(res.status).toBe(200);
    expect(res.bodyText).toBe('ok GET');
    expect(server.requests[0]?.headers.host).toBe(`good.test:${server.port}`);
  });

  it('sends a POST body and headers', async () => {
    const body = JSON.stringify({ hello: 'world' });

    await guardedFetch(guard, at('/ok'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Test': '1' },
      body,
      signal: safety(),
    });

    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-test': '1',
        'content-length': String(body.length),
      },
    });
  });

  it('follows a redirect chain, checking every hop', async () => {
    const res = await guardedFetch(guard, at('/hop1'), { signal: safety() });

    expect(res.status).toBe(200);
    expect(res.url).toBe(`http://127.0.0.1:${server.port}/ok`);
    expect(server.requests.map((r) => r.path)).toEqual(['/hop1', '/hop2', '/ok']);
    // The second hop reuses the kept-alive connection to the address already checked.
    expect(dns.calls).toEqual(['good.test']);
  });

  it.each([
    ['/to-evil', 'a host that resolves to a private address'],
    ['/to-metadata', 'the metadata address'],
    ['/to-mapped', 'an IPv4-mapped private address'],
    ['/to-file', 'a file: URL'],
  ])('refuses a redirect from an allowed host to %s (%s)', async (path) => {
    const err = await failureOf(guardedFetch(guard, at(path), { signal: safety() }));

    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
    expect(server.requests.map((r) => r.path)).toEqual([path]);
  });

  it('returns the last redirect as is after maxRedirects', async () => {
    const res = await guardedFetch(guard, at('/loop'), { signal: safety() }, { maxRedirects: 2 });

    expect(res.status).toBe(302);
    expect(server.requests).toHaveLength(3);
  });

  it('turns a POST into a body-less GET on 303', async () => {
    await guardedFetch(guard, at('/see-other'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
      signal: safety(),
    });

    const followed = server.requests[1];
    expect(followed).toMatchObject({ method: 'GET', path: '/ok', body: '' });
    expect(followed?.headers['content-type']).toBeUndefined();
  });

  it('keeps the method and body on 307', async () => {
    await guardedFetch(guard, at('/temporary'), {
      method: 'POST',
      body: '{"a":1}',
      signal: safety(),
    });

    expect(server.requests[1]).toMatchObject({ method: 'POST', path: '/ok', body: '{"a":1}' });
  });

  it('drops Authorization when a redirect changes the origin', async () => {
    await guardedFetch(guard, at('/elsewhere'), {
      headers: { Authorization: 'Bearer secret', 'X-Keep': 'yes' },
      signal: safety(),
    });

    expect(server.requests[0]?.headers.authorization).toBe('Bearer secret');
    expect(server.requests[1]?.headers.authorization).toBeUndefined();
    expect(server.requests[1]?.headers['x-keep']).toBe('yes');
  });

  it('connects to the address it checked even when DNS answers differently afterwards', async () => {
    const answers = ['127.0.0.1', '10.0.0.5'];
    const rebinding = fakeDns({ 'rebind.test': () => answers.shift() ?? '10.0.0.5' });
    const rebindGuard = createGuardedAgent(
      createUrlGuard({ allowLoopback: true, allowHttp: true, lookup: rebinding.lookup }),
    );

    const res = await guardedFetch(rebindGuard, `http://rebind.test:${server.port}/ok`, {
      signal: safety(),
    });

    expect(res.status).toBe(200);
    expect(rebinding.calls).toEqual(['rebind.test']);
    expect(server.requests[0]?.headers.host).toBe(`rebind.test:${server.port}`);
  });

  it('cuts the body off at maxBodyBytes', async () => {
    const res = await guardedFetch(guard, at('/big'), { signal: safety() }, { maxBodyBytes: 100 });

    expect(res.bodyText).toHaveLength(100);
  });

  it('rejects with an AbortError when the signal aborts mid-request', async () => {
    const controller = new AbortController();
    const pending = guardedFetch(guard, at('/hang'), { signal: controller.signal });
    await server.waitForRequests(1);

    controller.abort(new Error('deadline'));

    await expect(pending).rejects.toMatchObject({
      name: 'AbortError',
      cause: { message: 'deadline' },
    });
  });
});
