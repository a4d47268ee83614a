/**
 * The c-ares lookup against a real DNS server on 127.0.0.1 (UDP), with libuv's thread pool held
 * by blocked FIFO opens: lookups must neither need the pool nor hold it.
 */
import { execFileSync } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '@herald/core';
import { createDnsLookup } from './dns-lookup';
import { startTestDnsServer } from './testing';
import type { TestDnsServer } from './testing';

/** Settles with what happened, so the order of events can be asserted. */
function track(work: Promise<unknown>, log: string[], label: string): Promise<unknown> {
  return work.then(
    (value) => {
      log.push(label);
      return value;
    },
    (err: unknown) => {
      log.push(label);
      return err;
    },
  );
}

/**
 * Occupies all four threads of libuv's pool: opening a FIFO for reading blocks its thread until
 * a writer comes. `release` opens the writers (from the main thread, which cannot block: the
 * readers are there).
 */
function holdThreadPool(threads = 4) {
  const dir = mkdtempSync(join(tmpdir(), 'herald-pool-'));
  const fifos = Array.from({ length: threads }, (_, i) => join(dir, `f${i}`));
  for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
  const opened = fifos.map((fifo) => open(fifo, 'r').then((handle) => handle.close()));
  return {
    async release() {
      for (const fifo of fifos) closeSync(openSync(fifo, 'w'));
      await Promise.all(opened);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('createDnsLookup against a local DNS server', () => {
  let dns: TestDnsServer;
  let silent: TestDnsServer;

  beforeAll(async () => {
    dns = await startTestDnsServer({
      zone: { 'push.test': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'] },
    });
    silent = await startTestDnsServer({ silent: true });
  });

  afterAll(async () => {
    await dns.close();
    await silent.close();
  });

  it('answers with the A and then the AAAA addresses', async () => {
    const lookup = createDnsLookup({ servers: [dns.address], timeoutMs: 2_000 });

    await expect(lookup('push.test')).resolves.toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ]);
  });

  it('answers IP literals and localhost without asking any server', async () => {
    const lookup = createDnsLookup({ servers: [dns.address] });
    dns.questions.length = 0;

    await expect(lookup('10.0.0.5')).resolves.toEqual([{ address: '10.0.0.5', family: 4 }]);
    await expect(lookup('[::1]')).resolves.toEqual([{ address: '::1', family: 6 }]);
    await expect(lookup('LocalHost')).resolves.toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(dns.questions).toEqual([]);
  });

  it('fails a name that does not exist as UNAVAILABLE', async () => {
    const lookup = createDnsLookup({ servers: [dns.address] });

    await expect(lookup('nowhere.test')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'nowhere.test did not resolve',
    });
  });

  it('gives up on a silent name server within the timeout, as UNAVAILABLE', async () => {
    const lookup = createDnsLookup({ servers: [silent.address], timeoutMs: 300 });
    const started = Date.now();

    const err = await lookup('stalled.test').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'DNS lookup of stalled.test timed out',
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(silent.questions).toContain('stalled.test A');
  });

  it('leaves the thread pool free: crypto and file work finish while 10 lookups hang', async () => {
    const lookup = createDnsLookup({ servers: [silent.address], timeoutMs: 1_500 });
    const order: string[] = [];

    const lookups = Array.from({ length: 10 }, (_, i) =>
      track(lookup(`hang${i}.test`), order, 'lookup'),
    );
    const crypto = track(promisify(pbkdf2)('pw', 'salt', 1_000, 32, 'sha256'), order, 'pbkdf2');
    const file = track(
      open(__filename, 'r').then((h) => h.close()),
      order,
      'file',
    );
    await Promise.all([...lookups, crypto, file]);

    expect(order.slice(0, 2).sort()).toEqual(['file', 'pbkdf2']);
    expect(order.filter((e) => e === 'lookup')).toHaveLength(10);
  });

  it('does not need the thread pool: a lookup completes while every pool thread is blocked', async () => {
    const lookup = createDnsLookup({ servers: [dns.address], timeoutMs: 2_000 });
    const pool = holdThreadPool();
    const order: string[] = [];

    const blockedFile = track(
      open(__filename, 'r').then((h) => h.close()),
      order,
      'file',
    );
    const answered = await track(lookup('push.test'), order, 'lookup');
    await pool.release();
    await blockedFile;

    expect(answered).toEqual(expect.arrayContaining([{ address: '93.184.215.14', family: 4 }]));
    expect(order).toEqual(['lookup', 'file']);
  });
});
