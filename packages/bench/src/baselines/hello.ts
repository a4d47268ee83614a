/** Baseline B: a bare node:http JSON hello world. Prints `{"listening":<port>}`. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const server = http.createServer((_req, res) => {
  const body = JSON.stringify({ hello: 'world' });
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
});
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(
    `${JSON.stringify({ listening: (server.address() as AddressInfo).port })}\n`,
  ),
);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
