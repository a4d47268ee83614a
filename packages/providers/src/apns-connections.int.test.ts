/**
 * The HTTP/2 session pool's failure handling against real sockets: a host that accepts TCP but
 * never speaks TLS (black-holed), and a host that refuses connections.
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createApnsConnections } from './apns-connections';

const never = () => new AbortController().signal;

describe('createApnsConnections', () => {
  let silent: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('gives up on a session that never connects, and opens a new one for the next send', async () => {
    const { port } = silent.address() as AddressInfo;
    const connections = createApnsConnections({ connectTimeoutMs: 200 });
    const origin = `https://127.0.0.1:${port}`;

    const first = await connections
      .post(origin, '/3/device/x', {}, '{}', never())
      .catch((e: unknown) => e);
    const second = await connections
      .post(origin, '/3/device/x', {}, '{}', never())
      .catch((e: unknown) => e);
    connections.close();

    const timedOut = { cause: { message: 'APNs connection timed out' } };
    expect(first).toMatchObject(timedOut);
    expect(second).toMatchObject(timedOut);
    expect(sockets).toHaveLength(2);
  });

  it('rejects when the host refuses the connection', async () => {
    const connections = createApnsConnections();

    const err = await connections
      .post('https://127.0.0.1:1', '/3/device/x', {}, '{}', never())
      .catch((e: unknown) => e);
    connections.close();

    expect(err).toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  });
});
