import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pacedLoad } from './paced-load';

interface Seen {
  at: number;
  path: string | undefined;
  body: string;
}

const listen = async (server: http.Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

describe('pacedLoad', () => {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ at: performance.now(), path: req.url, body: Buffer.concat(chunks).toString() });
      res.writeHead(req.url === '/fail' ? 503 : 202).end('{}');
    });
  });
  let url: string;

  beforeAll(async () => {
    url = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends rate × duration requests spread over the window, not in a burst', async () => {
    seen.length = 0;
    const r = await pacedLoad({
      url: `${url}/v1/notifications`,
      method: 'POST',
      bodyTemplate: '{"text":"bench __SEQ__"}',
      overallRate: 100,
      duration: 1,
      connections: 10,
      recordAccepted: true,
    });
    expect(r.total).toBe(100);
    expect(seen).toHaveLength(100);
    expect(r.errors).toBe(0);
    expect(r.non2xx).toBe(0);
    // autocannon's overallRate would send all 100 in the first few milliseconds; paced, the
    // first quarter of the second carries about a quarter of them (generous bound for a busy box).
    const first = seen[0]!.at;
    const early = seen.filter((s) => s.at - first < 250).length;
    expect(early).toBeLessThan(60);
    // Every 2xx is recorded under the unique marker its body carried.
    const markers = seen.map((s) => /bench ([^"]+)/.exec(s.body)?.[1]);
    expect(new Set(markers).size).toBe(100);
    expect(Object.keys(r.accepted ?? {}).sort()).toEqual([...markers].sort());
    expect(r.p50).toBeGreaterThanOrEqual(0);
    expect(r.p99).toBeGreaterThanOrEqual(r.p50!);
    expect(r.max).toBeGreaterThanOrEqual(r.p99!);
  });

  it('rotates through paths and counts non-2xx and connection errors', async () => {
    seen.length = 0;
    const r = await pacedLoad({
      url: `${url}/ok`,
      paths: ['/ok', '/fail'],
      overallRate: 200,
      amount: 10,
      connections: 2,
    });
    expect(r.non2xx).toBe(5);
    expect(r.statusCodes).toEqual({ 202: 5, 503: 5 });

    const closed = http.createServer();
    const deadPort = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = await pacedLoad({
      url: `http://127.0.0.1:${deadPort}/`,
      overallRate: 100,
      amount: 3,
    });
    expect(down.errors).toBe(3);
  });
});
