/**
 * The zero-latency provider sink: a Slack incoming-webhook stand-in that answers `200 ok` at once
 * and records when each message arrived, by the marker in its text (`bench <marker>`). Every
 * worker variant delivers here, so they are compared on the same provider.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The running sink; `arrivals`, `received` and `duplicates` count since the last reset. */
export interface Sink {
  /** The webhook URL to deliver to. */
  url: string;
  /** Marker → first arrival (epoch ms, sub-ms precision), since the last reset. */
  readonly arrivals: Map<string, number>;
  /**
   * Marker → how many messages carried it and when the last arrived, since the last reset: a
   * topic send's children all carry the send's one text.
   */
  readonly repeated: Map<string, { count: number; lastAt: number }>;
  readonly received: number;
  readonly duplicates: number;
  reset(): void;
  /** Resolves once `count` messages arrived since the last reset, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

function markerOf(body: string): string | undefined {
  try {
    const { text } = JSON.parse(body) as { text?: unknown };
    return typeof text === 'string' ? /bench (\S+)/.exec(text)?.[1] : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the sink on 127.0.0.1 (an ephemeral port). */
export async function startSink(): Promise<Sink> {
  const arrivals = new Map<string, number>();
  const repeated = new Map<string, { count: number; lastAt: number }>();
  let received = 0;
  let duplicates = 0;
  const waiters = new Set<() => void>();
  const now = () => performance.timeOrigin + performance.now();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = now();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      const marker = markerOf(Buffer.concat(chunks).toString());
      received++;
      if (marker !== undefined) {
        if (arrivals.has(marker)) duplicates++;
        else arrivals.set(marker, at);
        const seen = repeated.get(marker);
        if (seen === undefined) repeated.set(marker, { count: 1, lastAt: at });
        else {
          seen.count++;
          seen.lastAt = at;
        }
      }
      for (const waiter of waiters) waiter();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    arrivals,
    repeated,
    get received() {
      return received;
    },
    get duplicates() {
      return duplicates;
    },
    reset() {
      arrivals.clear();
      repeated.clear();
      received = 0;
      duplicates = 0;
    },
    waitFor(count, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`sink got ${received} of ${count} messages in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
