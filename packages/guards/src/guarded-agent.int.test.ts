/**
 * The guarded agent against a real HTTP server on 127.0.0.1 that counts TCP connections: a
 * refused destination must never get one.
 */
import { createServer, request } from 'node:http';
import type { Agent, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@herald/core';
import { createGuardedAgent } from './guarded-agent';
import type { GuardedAgent } from './guarded-agent';
import { createUrlGuard } from './url-guard';
import type { ResolvedAddress, UrlGuardOptions } from './url-guard';

/** Answers `first` once, then `later` forever: a rebinding name. */
function rebindingDns(first: string, later: string) {
  const calls: string[] = [];
  const lookup = (host: string): Promise<ResolvedAddress[]> => {
    calls.push(host);
    return Promise.resolve([{ address: calls.length === 1 ? first : later, family: 4 }]);
  };
  return { lookup, calls };
}

function get(agent: Agent, url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, signal: AbortSignal.timeout(5_000) }, (res) => {
      res.resume();
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe('createGuardedAgent against a real local server', () => {
  let server: Server;
  let port: number;
  let connections = 0;
  const agents: GuardedAgent[] = [];

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200).end('ok'));
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    connections = 0;
  });

  afterEach(() => agents.splice(0).forEach((agent) => agent.destroy()));

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function agentWith(opts: Partial<UrlGuardOptions> & { lookup: UrlGuardOptions['lookup'] }) {
    const agent = createGuardedAgent(
      createUrlGuard({ allowLoopback: false, allowHttp: true, allowAnyPort: true, ...opts }),
    );
    agents.push(agent);
    return agent;
  }

  it('connects to a name whose addresses pass, resolving it once', async () => {
    const dns = rebindingDns('127.0.0.1', '127.0.0.1');
    const agent = agentWith({ lookup: dns.lookup, allowLoopback: true });

    const res = await get(agent.http, `http://good.test:${port}/`);

    expect(res.statusCode).toBe(200);
    expect(connections).toBe(1);
    expect(dns.calls).toEqual(['good.test']);
  });

  it('never connects to a name that resolves to loopback when it is sent', async () => {
    const dns = rebindingDns('127.0.0.1', '127.0.0.1');
    const agent = agentWith({ lookup: dns.lookup });

    const err = await failureOf(get(agent.http, `http://rebound.test:${port}/`));

    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe(
      'destination must not point to a private, loopback or link-local address',
    );
    expect(connections).toBe(0);
  });

  it('checks the address at connect time, not an earlier answer (DNS rebinding)', async () => {
    const dns = rebindingDns('93.184.215.14', '127.0.0.1');
    const guard = createUrlGuard({ allowLoopback: false, allowHttp: true, lookup: dns.lookup });
    const agent = createGuardedAgent(guard);
    agents.push(agent);
    await guard.check(`http://rebind.test/`);

    const err = await failureOf(get(agent.http, `http://rebind.test:${port}/`));

    expect(err.code).toBe('VALIDATION_FAILED');
    expect(connections).toBe(0);
  });

  it('never connects to a forbidden IP literal', async () => {
    const dns = rebindingDns('93.184.215.14', '93.184.215.14');
    const agent = agentWith({ lookup: dns.lookup });

    const err = await failureOf(get(agent.http, `http://127.0.0.1:${port}/`));

    expect(err.code).toBe('VALIDATION_FAILED');
    expect(connections).toBe(0);
    expect(dns.calls).toEqual([]);
  });

  it('refuses a port other than the scheme port outside local mode, before any lookup', async () => {
    const dns = rebindingDns('127.0.0.1', '127.0.0.1');
    const guard = createUrlGuard({ allowLoopback: false, allowHttp: true, lookup: dns.lookup });
    const agent = createGuardedAgent(guard);
    agents.push(agent);

    const err = await failureOf(get(agent.http, `http://good.test:${port}/`));

    expect(err).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'destination port or scheme is not allowed',
    });
    expect(connections).toBe(0);
    expect(dns.calls).toEqual([]);
  });

  it('refuses every http connection when the guard does not allow http', async () => {
    const dns = rebindingDns('127.0.0.1', '127.0.0.1');
    const agent = agentWith({ lookup: dns.lookup, allowLoopback: true, allowHttp: false });

    const err = await failureOf(get(agent.http, `http://good.test:${port}/`));

    expect(err.code).toBe('VALIDATION_FAILED');
    expect(connections).toBe(0);
  });

  it('fails as UNAVAILABLE, without connecting, when the name does not resolve', async () => {
    const lookup = () => Promise.reject(new Error('ENOTFOUND'));
    const agent = agentWith({ lookup, allowLoopback: true });

    const err = await failureOf(get(agent.http, `http://gone.test:${port}/`));

    expect(err.code).toBe('UNAVAILABLE');
    expect(connections).toBe(0);
  });
});
