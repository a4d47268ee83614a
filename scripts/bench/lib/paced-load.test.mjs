// Run: node --test scripts/bench/lib/paced-load.test.mjs
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { pacedLoad } from './paced-load.mjs';

describe('pacedLoad', () => {
  let server;
  let url;
  const seen = []; // { at, path, body }

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        seen.push({ at: performance.now(), path: req.url, body: Buffer.concat(chunks).toString() });
        res.writeHead(req.url === '/fail' ? 503 : 202).end('{}');
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

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
    assert.equal(r.total, 100);
    assert.equal(seen.length, 100);
    assert.equal(r.errors, 0);
    assert.equal(r.non2xx, 0);
    // autocannon's overallRate would send all 100 in the first few milliseconds; paced, the
    // first quarter of the second carries about a quarter of them (generous bound for a busy box).
    const first = seen[0].at;
    const early = seen.filter((s) => s.at - first < 250).length;
    assert.ok(early < 60, `${early} of 100 arrived in the first 250 ms`);
    // Every 2xx is recorded under the unique marker its body carried.
    const markers = seen.map((s) => /bench ([^"]+)/.exec(s.body)[1]);
    assert.equal(new Set(markers).size, 100);
    assert.deepEqual(Object.keys(r.accepted).sort(), [...markers].sort());
    assert.ok(r.p50 >= 0 && r.p99 >= r.p50 && r.max >= r.p99);
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
    assert.equal(r.non2xx, 5);
    assert.deepEqual(r.statusCodes, { 202: 5, 503: 5 });

    const closed = http.createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await pacedLoad({
      url: `http://127.0.0.1:${deadPort}/`,
      overallRate: 100,
      amount: 3,
    });
    assert.equal(down.errors, 3);
  });
});
