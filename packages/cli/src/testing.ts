/**
 * Test helpers for the CLI: an in-memory `CliIo` and a real HTTP server standing in for the
 * Herald API, so commands run through the real client SDK.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RevocationStore } from '@herald/core';
import type { CliIo } from './io';
import type { RunDeps } from './run';
import { run } from './run';

/** A CliIo that keeps what was written. */
export interface MemoryIo extends CliIo {
  stdout: string[];
  stderr: string[];
}

export function memoryIo(stdin = ''): MemoryIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => void stdout.push(line),
    err: (line) => void stderr.push(line),
    readStdin: () => Promise.resolve(stdin),
  };
}

/** Runs the CLI in-process and returns its exit code and output. */
export async function runCli(argv: string[], deps: Omit<RunDeps, 'io'> & { stdin?: string }) {
  const io = memoryIo(deps.stdin);
  const code = await run(argv, { ...deps, io });
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

/** A request the fake API received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A local HTTP server answering every request with `reply(request)`. */
export interface FakeApi {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeApi(
  reply: (req: RecordedRequest) => FakeApiReply,
): Promise<FakeApi> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const { status, body, headers = {} } = reply(recorded);
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-request-id': 'req-1',
        ...headers,
      });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A RevocationStore that keeps revocations in memory, or fails every call when `failing`. */
export class InMemoryRevocationStore implements RevocationStore {
  readonly revoked = new Map<string, string>();
  failing = false;

  revoke(jti: string, until: string): Promise<void> {
    if (this.failing) return Promise.reject(new Error('connect ECONNREFUSED'));
    this.revoked.set(jti, until);
    return Promise.resolve();
  }

  listRevoked(now: string): Promise<string[]> {
    return Promise.resolve([...this.revoked].filter(([, u]) => u > now).map(([jti]) => jti));
  }
}
