/**
 * The zero-latency provider sink: a Slack incoming-webhook stand-in that answers `200 ok` at once
 * and records when each message arrived, by the marker in its text (`bench <marker>`). Every
 * worker variant delivers here, so they are compared on the same provider.
 */
import http from 'node:http';

export async function startSink() {
  const arrivals = new Map(); // marker -> first arrival (epoch ms, sub-ms precision)
  let received = 0;
  let duplicates = 0;
  const waiters = new Set();
  const now = () => performance.timeOrigin + performance.now();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = now();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      let marker;
      try {
        marker = /bench (\S+)/.exec(JSON.parse(Buffer.concat(chunks).toString()).text)?.[1];
      } catch {
        marker = undefined;
      }
      received++;
      if (marker !== undefined) {
        if (arrivals.has(marker)) duplicates++;
        else arrivals.set(marker, at);
      }
      for (const w of waiters) w();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    arrivals,
    get received() {
      return received;
    },
    get duplicates() {
      return duplicates;
    },
    reset() {
      arrivals.clear();
      received = 0;
      duplicates = 0;
    },
    /** Resolves once `count` messages arrived since the last reset, or rejects after `timeoutMs`. */
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
