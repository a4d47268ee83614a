import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { applyServerLimits, DEFAULT_SERVER_LIMITS, type ServerLimits } from './server-limits';

/**
 * Real sockets against a real server, so these tests use real (short) timers: the limits are
 * enforced by Node's HTTP server, which fake timers cannot drive.
 */

const SHORT: Partial<ServerLimits> = {
  headersTimeoutMs: 800,
  requestTimeoutMs: 1_500,
  idleSocketTimeoutMs: 5_000,
  checkIntervalMs: 100,
};

let server: Server | undefined;
let port: number;
let completedBodies: number;
const sockets: Socket[] = [];
const timers: NodeJS.Timeout[] = [];

async function start(limits: Partial<ServerLimits>) {
  completedBodies = 0;
  const created = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      completedBodies += 1;
      res.end('ok');
    });
  });
  applyServerLimits(created, limits);
  created.listen(0, '127.0.0.1');
  await new Promise((resolve) => created.once('listening', resolve));
  port = (created.address() as AddressInfo).port;
  server = created;
}

afterEach(async () => {
  timers.forEach(clearInterval);
  sockets.forEach((s) => s.destroy());
  const running = server;
  server = undefined;
  if (!running) return;
  running.closeAllConnections();
  await new Promise((resolve) => running.close(resolve));
});

interface RawConnection {
  socket: Socket;
  /** Resolves with everything received once the server closes the connection. */
  closed: Promise<{ received: string }>;
}

function open(): Promise<RawConnection> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let received = '';
    socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<{ received: string }>((done) =>
      socket.on('close', () => done({ received })),
    );
    socket.once('connect', () => resolve({ socket, closed }));
  });
}

/**
 * Writes `text` a few bytes at a time, every `everyMs`, until the socket dies. Returns how much
 * is still unsent, so a test can prove the server cut the client off rather than the client
 * finishing (no wall-clock assertions).
 */
function drip(socket: Socket, text: string, bytes: number, everyMs: number): () => number {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || at >= text.length) return clearInterval(timer);
    socket.write(text.slice(at, at + bytes));
    at += bytes;
  }, everyMs);
  timers.push(timer);
  return () => text.length - at;
}

describe('applyServerLimits', () => {
  it('applies the production defaults', () => {
    const plain = createServer();

    applyServerLimits(plain);

    expect({
      headersTimeout: plain.headersTimeout,
      requestTimeout: plain.requestTimeout,
      keepAliveTimeout: plain.keepAliveTimeout,
      maxHeadersCount: plain.maxHeadersCount,
      timeout: plain.timeout,
    }).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 65_000,
      maxHeadersCount: 100,
      timeout: DEFAULT_SERVER_LIMITS.idleSocketTimeoutMs,
    });
    expect(DEFAULT_SERVER_LIMITS.idleSocketTimeoutMs).toBeGreaterThan(20_000);
  });

  it('closes a slowloris connection at the headers timeout while a normal request gets 200', async () => {
    await start(SHORT);
    const slow = await open();
    slow.socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const unsent = drip(slow.socket, `X-Slow: ${'a'.repeat(200)}\r\n`, 1, 200);

    const normal = await fetch(`http://127.0.0.1:${port}/`);
    const { received } = await slow.closed;

    expect(normal.status).toBe(200);
    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true);
    expect(unsent()).toBeGreaterThan(0);
  });

  it('answers a header block over 16 KiB with 431', async () => {
    await start(SHORT);
    const conn = await open();

    conn.socket.write(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    const { received } = await conn.closed;

    expect(received).toMatch(/^HTTP\/1\.1 431 /);
    expect(completedBodies).toBe(0);
  });

  it('cuts off a slow body at the request timeout', async () => {
    await start(SHORT);
    const slow = await open();
    slow.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
    const unsent = drip(slow.socket, 'x'.repeat(1000), 10, 1_000);

    const { received } = await slow.closed;

    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true);
    expect(unsent()).toBeGreaterThan(0);
    expect(completedBodies).toBe(0);
  });

  it('destroys a connected socket that stays silent past the idle timeout', async () => {
    await start({
      ...SHORT,
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 10_000,
      idleSocketTimeoutMs: 300,
    });
    const silent = await open();

    // Only the server can end this: the test never writes or closes (jest's timeout is the bound).
    const { received } = await silent.closed;

    expect(received).toBe('');
  });
});
