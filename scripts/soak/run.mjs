#!/usr/bin/env node
/**
 * Soak / fault-1 runner for Herald (see scripts/soak/README.md). Plain ESM JavaScript: it runs the
 * BUILT processes (`tsc -b` first; `pnpm soak` does that) and talks to them over HTTP and SMTP.
 *
 *   pnpm soak                                         # soak: 10 min at 50/s, worker restart every 60 s
 *   pnpm soak --duration 2 --restart-every 30         # a short soak
 *   pnpm soak --kills 100 --notifications 2000        # fault 1: SIGKILL the worker 100 times
 *
 * Writes scripts/soak/last-run.json. Exits 1 if any accepted notification is lost or a final
 * status changed, 2 on a usage or start-up error.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { rssMb, runNode, startNode, stopAll } from '../lib/processes.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const dist = (pkg, file = 'main.js') => path.join(REPO, 'packages', pkg, 'dist', file);

// ---------------------------------------------------------------------------------------------
// Options

let opts;
try {
  opts = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      rate: { type: 'string', default: '50' },
      'restart-every': { type: 'string', default: '60' },
      kills: { type: 'string' },
      notifications: { type: 'string' },
      concurrency: { type: 'string', default: '16' },
      'smtp-delay-ms': { type: 'string', default: '10' },
      'final-deadline': { type: 'string', default: '180' },
      persist: { type: 'boolean', default: false },
      'keep-dir': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write(
    'usage: pnpm soak [--duration MIN] [--rate N/s] [--restart-every SEC]\n' +
      '       pnpm soak --kills K --notifications N [--concurrency C]\n' +
      '  common: [--smtp-delay-ms MS] [--final-deadline SEC] [--persist] [--keep-dir]\n',
  );
  process.exit(0);
}
const num = (name, v, min = 0) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) {
    process.stderr.write(`--${name} must be a number >= ${min}, got ${v}\n`);
    process.exit(2);
  }
  return n;
};
const FAULT_MODE = opts.kills !== undefined || opts.notifications !== undefined;
const cfg = {
  mode: FAULT_MODE ? 'fault-1' : 'soak',
  durationMin: num('duration', opts.duration, 0.05),
  rate: num('rate', opts.rate, 0.1),
  restartEverySec: num('restart-every', opts['restart-every'], 1),
  kills: num('kills', opts.kills ?? '100', 0),
  notifications: num('notifications', opts.notifications ?? '2000', 1),
  concurrency: num('concurrency', opts.concurrency, 1),
  smtpDelayMs: num('smtp-delay-ms', opts['smtp-delay-ms'], 0),
  finalDeadlineSec: num('final-deadline', opts['final-deadline'], 1),
  persist: opts.persist,
};

// ---------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const elapsedS = () => ((Date.now() - t0) / 1000).toFixed(1);
const mb = (kb) => (kb === undefined ? '-' : `${(kb / 1024).toFixed(1)}MB`);
const log = (line) => process.stdout.write(`[soak ${elapsedS().padStart(6)}s] ${line}\n`);

const readRssKb = (pid) => {
  const rss = rssMb(pid);
  return rss === undefined ? undefined : rss * 1024;
};

// ---------------------------------------------------------------------------------------------
// Cleanup (also on Ctrl-C)

let smtpServer;
let dir;
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  clearInterval(rssTimer);
  clearInterval(progressTimer);
  // Worker and api first (they use the emulators and SMTP), then the emulators.
  await stopAll();
  if (smtpServer) await new Promise((r) => smtpServer.close(r)).catch(() => {});
  if (dir && !opts['keep-dir']) rmSync(dir, { recursive: true, force: true });
}
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    interrupted = true;
    log(`${sig}: stopping everything`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// State

const accepted = []; // ids, in 202 order
const acceptedSet = new Set();
const post = { attempts: 0, retries: 0, statuses: {}, networkErrors: 0, gaveUp: 0, behind: 0 };
const smtp = { sends: 0, perId: new Map(), unknownIdSends: 0, connections: 0 };
const workers = []; // generations
let worker; // current generation
const restarts = { sigterm: 0, sigkill: 0, sigtermForcedKill: 0, startMs: [] };
const rssSamples = []; // { t, api, worker, workerGen, emulators }
let api;
let emulators;
let rssTimer;
let progressTimer;
const finalSeen = new Map(); // id -> first final status seen
const regressions = []; // { id, was, now, at }
let phase = 'start';

// ---------------------------------------------------------------------------------------------
// SMTP server that counts sends per X-Herald-Notification-Id

function startSmtp() {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 500,
    onConnect(_session, cb) {
      smtp.connections++;
      cb();
    },
    onData(stream, _session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', async () => {
        if (cfg.smtpDelayMs) await sleep(cfg.smtpDelayMs);
        const raw = Buffer.concat(chunks).toString('latin1');
        const id = /X-Herald-Notification-Id:\s*(ntf_\w+)/i.exec(raw)?.[1];
        smtp.sends++;
        if (id) {
          const e = smtp.perId.get(id) ?? { count: 0, at: [] };
          e.count++;
          e.at.push(Date.now() - t0);
          smtp.perId.set(id, e);
        } else smtp.unknownIdSends++;
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: server.server.address().port })),
  );
}

// ---------------------------------------------------------------------------------------------
// Worker generations: which attempts were open (started, no outcome logged) when one was killed

function startWorker(env) {
  const gen = {
    n: workers.length + 1,
    started: new Set(), // attempt started and not yet ended
    delivered: 0,
    refused: 0,
    ended: undefined, // 'SIGKILL' | 'SIGTERM' | ...
    openAtEnd: [],
    startedAt: Date.now() - t0,
  };
  const onLine = (line) => {
    if (line.charCodeAt(0) !== 123 /* { */) return;
    let rec;
    try {
      rec = JSON.parse(line);
    } catch {
      return;
    }
    const id = rec.notificationId;
    if (!id) return;
    if (rec.msg === 'delivery attempt started') gen.started.add(id);
    else if (rec.msg === 'notification delivered') {
      gen.delivered++;
      gen.started.delete(id);
    } else if (rec.msg === 'notification refused') {
      gen.refused++;
      gen.started.delete(id);
    } else if (
      /^(delivery attempt failed|paced|lease lost|provider accepted)/.test(rec.msg ?? '')
    ) {
      // Any other outcome of an attempt: it is over (a retry is scheduled, or another owns it).
      gen.started.delete(id);
    }
  };
  const proc = startNode(`worker#${gen.n}`, dist('worker'), [], env, { onLine });
  gen.proc = proc;
  workers.push(gen);
  return gen;
}

async function endWorker(gen, how) {
  gen.ended = how;
  const t = Date.now();
  let r;
  if (how === 'SIGKILL') r = await gen.proc.kill();
  else {
    r = await gen.proc.stop(10_000);
    if (r.signal === 'SIGKILL') {
      restarts.sigtermForcedKill++;
      gen.ended = 'SIGTERM→SIGKILL';
    }
  }
  gen.stopMs = Date.now() - t;
  gen.exit = r;
  gen.openAtEnd = [...gen.started];
}

// ---------------------------------------------------------------------------------------------
// HTTP

let token;
let apiUrl;

async function postOne(i) {
  const key = `soak-${randomUUID()}`;
  const body = JSON.stringify({
    channel: 'email',
    to: `user${i}@example.com`,
    subject: `soak ${i}`,
    text: `soak notification ${i}`,
  });
  for (let attempt = 0; attempt < 20; attempt++) {
    if (attempt > 0) post.retries++;
    post.attempts++;
    try {
      const res = await fetch(`${apiUrl}/v1/notifications`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      post.statuses[res.status] = (post.statuses[res.status] ?? 0) + 1;
      if (res.status === 202 || res.status === 200) {
        const id = JSON.parse(text).id;
        if (!acceptedSet.has(id)) {
          acceptedSet.add(id);
          accepted.push(id);
        }
        return id;
      }
      if (res.status === 429 || res.status >= 500) {
        const ra = Number(res.headers.get('retry-after'));
        await sleep(
          Number.isFinite(ra) && ra > 0 ? Math.min(ra * 1000, 5000) : 200 * (attempt + 1),
        );
        continue;
      }
      throw new Error(`POST answered ${res.status}: ${text.slice(0, 300)}`);
    } catch (err) {
      if (String(err.message).startsWith('POST answered')) throw err;
      post.networkErrors++;
      await sleep(200 * (attempt + 1));
    }
  }
  post.gaveUp++;
  return undefined;
}

async function getStatus(id, waitSeconds = 0) {
  const res = await fetch(
    `${apiUrl}/v1/notifications/${id}${waitSeconds ? `?waitSeconds=${waitSeconds}` : ''}`,
    {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout((waitSeconds + 10) * 1000),
    },
  );
  if (res.status === 404) return { status: 'NotFound' };
  if (res.status !== 200) throw new Error(`GET ${id} answered ${res.status}`);
  return res.json();
}

function noteFinal(id, status) {
  if (status !== 'Delivered' && status !== 'Refused') return;
  const was = finalSeen.get(id);
  if (was === undefined) finalSeen.set(id, status);
  else if (was !== status) regressions.push({ id, was, now: status, at: Date.now() - t0 });
}

function noteObserved(id, status) {
  const was = finalSeen.get(id);
  if (was !== undefined && status !== was)
    regressions.push({ id, was, now: status, at: Date.now() - t0 });
  else noteFinal(id, status);
}

/** During the run: re-reads a sample of ids already seen final; a final status must never change. */
async function regressionWatcher(stop) {
  while (!stop.done) {
    const finals = [...finalSeen.keys()];
    const sample = finals.sort(() => Math.random() - 0.5).slice(0, 20);
    // Also look at a few random accepted ids so finalSeen fills during the run.
    const recent = Array.from(
      { length: Math.min(20, accepted.length) },
      () => accepted[Math.floor(Math.random() * accepted.length)],
    );
    for (const id of [...sample, ...recent]) {
      try {
        noteObserved(id, (await getStatus(id)).status);
      } catch {
        /* the api may be busy; not a regression */
      }
    }
    await sleep(1000);
  }
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  dir = mkdtempSync(path.join(tmpdir(), 'herald-soak-'));
  log(`mode ${cfg.mode}; tmp dir ${dir}`);

  emulators = startNode('emulators', dist('local', 'emulators-main.js'), [], {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    HERALD_DATA_DIR: cfg.persist ? path.join(dir, 'emulators') : '',
    HERALD_DYNAMODB_PORT: '0',
    HERALD_SQS_PORT: '0',
    HERALD_EMULATORS_ONLY: '',
  });
  const ready = JSON.parse(await emulators.waitForLine(/"ready":true/, 30_000));

  const smtpStarted = await startSmtp();
  smtpServer = smtpStarted.server;

  const keysDir = path.join(dir, 'keys');
  const env = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    HERALD_DATA_DIR: dir,
    HERALD_KEYS_DIR: keysDir,
    HERALD_DYNAMODB_ENDPOINT: ready.dynamodbEndpoint,
    HERALD_SQS_ENDPOINT: ready.sqsEndpoint,
    HERALD_SNS_ENDPOINT: ready.sqsEndpoint,
    HERALD_TABLE_NAME: 'soak',
    HERALD_QUEUE_NAME: 'soak-queue',
  };
  const setupOut = await runNode(dist('cli'), ['setup'], env);
  const queueUrl = /^queue (\S+)$/m.exec(setupOut)?.[1];
  if (!queueUrl) throw new Error(`herald setup printed no queue URL:\n${setupOut}`);
  env.HERALD_QUEUE_URL = queueUrl;
  token = (
    await runNode(
      dist('cli'),
      [
        'token',
        'issue',
        '--client',
        'soak',
        '--scope',
        'notifications:send,notifications:read',
        '--ttl',
        '12h',
      ],
      env,
    )
  ).trim();

  const procEnv = {
    ...env,
    HERALD_JWKS: path.join(keysDir, 'jwks.json'),
    HERALD_SWEEP_AFTER_SECONDS: '5',
    HERALD_SWEEP_INTERVAL_MS: '1000',
    HERALD_REVOCATION_REFRESH_MS: '2000',
    SMTP_URL: `smtp://127.0.0.1:${smtpStarted.port}`,
    EMAIL_FROM: 'Herald <noreply@herald.test>',
    HERALD_SEND_TIMEOUT_MS: '3000',
    HERALD_RETRY_BASE_MS: '200',
    HERALD_RETRY_MAX_MS: '1000',
    HERALD_SHUTDOWN_GRACE_MS: '5000',
    // One client drains with 50 long-polls and re-reads every id: the per-client read limits
    // must not be what is measured (a 429 would leave an id unchecked).
    HERALD_READ_RATE_LIMIT_PER_SECOND: '1000000',
    HERALD_READ_RATE_LIMIT_BURST: '1000000',
    HERALD_LONG_POLLS_PER_CLIENT: '1000000',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  api = startNode('api', dist('api'), [], procEnv);
  const listening = JSON.parse(await api.waitForLine(/herald api listening/));
  apiUrl = `http://127.0.0.1:${listening.port}`;
  const workerEnv = { ...procEnv, HERALD_API_URL: apiUrl };
  const launchWorker = async () => {
    const t = Date.now();
    const gen = startWorker(workerEnv);
    await gen.proc.waitForLine(/herald worker started/);
    restarts.startMs.push(Date.now() - t);
    worker = gen;
    return gen;
  };
  await launchWorker();
  log(
    `stack up: api ${apiUrl} (pid ${api.pid}), worker pid ${worker.proc.pid}, smtp :${smtpStarted.port}, emulators pid ${emulators.pid}`,
  );

  // RSS every second; progress every 10 s.
  const sampleRss = () =>
    rssSamples.push({
      t: Date.now() - t0,
      api: readRssKb(api.pid),
      worker: worker?.proc.running() ? readRssKb(worker.proc.pid) : undefined,
      workerGen: worker?.n,
      emulators: readRssKb(emulators.pid),
    });
  sampleRss();
  rssTimer = setInterval(sampleRss, 1000);
  progressTimer = setInterval(() => {
    const s = rssSamples.at(-1) ?? {};
    const killsDone = workers.filter((w) => w.ended === 'SIGKILL').length;
    log(
      `${phase}: accepted ${accepted.length}, smtp sends ${smtp.sends} (${smtp.perId.size} ids), ` +
        `final seen ${finalSeen.size}, worker gen ${worker?.n} (kills ${killsDone}, sigterms ${restarts.sigterm}), ` +
        `posts ${post.attempts} (retries ${post.retries}, net errs ${post.networkErrors}), ` +
        `rss api ${mb(s.api)} worker ${mb(s.worker)} emulators ${mb(s.emulators)}`,
    );
  }, 10_000);

  const watch = { done: false };
  const watcher = regressionWatcher(watch);

  // ----- traffic
  if (cfg.mode === 'fault-1') {
    phase = 'fault-1';
    let next = 0;
    const posting = Promise.all(
      Array.from({ length: cfg.concurrency }, async () => {
        for (let i = next++; i < cfg.notifications; i = next++) await postOne(i);
      }),
    ).then(() => log(`posting done: ${accepted.length} accepted`));
    for (let k = 0; k < cfg.kills; k++) {
      await sleep(200 + Math.random() * 1300);
      await endWorker(worker, 'SIGKILL');
      restarts.sigkill++;
      await launchWorker();
    }
    log(`kills done: ${cfg.kills}`);
    await posting;
  } else {
    phase = 'soak';
    const endAt = Date.now() + cfg.durationMin * 60_000;
    let inFlight = 0;
    let i = 0;
    let restartN = 0;
    let restarting = Promise.resolve();
    const restartTimer = setInterval(() => {
      restarting = restarting.then(async () => {
        restartN++;
        const how = restartN % 3 === 0 ? 'SIGKILL' : 'SIGTERM';
        await endWorker(worker, how);
        if (how === 'SIGKILL') restarts.sigkill++;
        else restarts.sigterm++;
        await launchWorker();
        log(
          `worker restart #${restartN} by ${how} (stop took ${workers.at(-2).stopMs} ms) → gen ${worker.n}`,
        );
      });
    }, cfg.restartEverySec * 1000);
    const pending = new Set();
    const tickMs = 100;
    const trafficStart = Date.now();
    let issued = 0;
    while (Date.now() < endAt) {
      const tick = Date.now();
      // Paced by the clock, not by ticks, so timer drift does not lower the rate.
      const due = Math.floor(((tick - trafficStart) / 1000) * cfg.rate);
      while (issued < due) {
        issued++;
        if (inFlight >= 256) {
          post.behind++;
          continue;
        }
        inFlight++;
        const p = postOne(i++).finally(() => {
          inFlight--;
          pending.delete(p);
        });
        pending.add(p);
      }
      await sleep(Math.max(0, tickMs - (Date.now() - tick)));
    }
    clearInterval(restartTimer);
    await restarting;
    await Promise.all(pending);
    log(`traffic done: ${accepted.length} accepted`);
  }

  // ----- drain: the sweeper interval, then every accepted id final (or the deadline)
  phase = 'drain';
  const trafficEndedAt = Date.now() - t0;
  await sleep(6_000);
  const deadline = Date.now() + cfg.finalDeadlineSec * 1000;
  const last = new Map();
  const todo = [...accepted];
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      for (let id = todo.shift(); id !== undefined; id = todo.shift()) {
        for (;;) {
          let v;
          try {
            v = await getStatus(
              id,
              Math.min(20, Math.max(1, Math.floor((deadline - Date.now()) / 1000))),
            );
          } catch {
            v = { status: 'Error' };
          }
          last.set(id, v.status);
          noteObserved(id, v.status);
          if (v.status === 'Delivered' || v.status === 'Refused') break;
          if (Date.now() >= deadline) break;
          if (v.status !== 'Pending') await sleep(500);
        }
      }
    }),
  );
  const drainedAt = Date.now() - t0;
  watch.done = true;
  await watcher;

  // ----- second read of every id: a final status must never change
  phase = 'recheck';
  const recheck = [...accepted];
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let id = recheck.shift(); id !== undefined; id = recheck.shift()) {
        try {
          noteObserved(id, (await getStatus(id)).status);
        } catch {
          /* counted by the drain */
        }
      }
    }),
  );

  // Give the last SMTP sends (if any) a moment, then stop sampling.
  await sleep(1000);
  clearInterval(rssTimer);
  clearInterval(progressTimer);
  const finalWorkerGen = worker;
  await endWorker(worker, 'SIGTERM');

  // ----- figures
  const counts = { Delivered: 0, Refused: 0, Pending: 0, NotFound: 0, Error: 0 };
  for (const id of accepted)
    counts[last.get(id) ?? 'Error'] = (counts[last.get(id) ?? 'Error'] ?? 0) + 1;
  const lostIds = accepted.filter((id) => !['Delivered', 'Refused'].includes(last.get(id)));
  const openAtKill = new Map(); // id -> gens where its attempt was open at a SIGKILL
  const openAtTerm = new Map();
  for (const g of workers) {
    const target = g.ended === 'SIGKILL' || g.ended === 'SIGTERM→SIGKILL' ? openAtKill : openAtTerm;
    if (g === finalWorkerGen) continue;
    for (const id of g.openAtEnd) target.set(id, [...(target.get(id) ?? []), g.n]);
  }
  const dups = [...smtp.perId.entries()]
    .filter(([, e]) => e.count > 1)
    .map(([id, e]) => ({
      id,
      sends: e.count,
      atMs: e.at,
      cutByKill: openAtKill.has(id),
      killedGens: openAtKill.get(id) ?? [],
      openAtSigterm: openAtTerm.get(id) ?? [],
    }));
  const deliveredWithoutSend = accepted.filter(
    (id) => last.get(id) === 'Delivered' && !smtp.perId.has(id),
  );
  const sentNotAccepted = [...smtp.perId.keys()].filter((id) => !acceptedSet.has(id)).length;

  const series = perMinute(rssSamples);
  const peak = (k) => rssSamples.reduce((m, s) => Math.max(m, s[k] ?? 0), 0);
  const result = {
    mode: cfg.mode,
    config: cfg,
    startedAt: new Date(t0).toISOString(),
    elapsedSeconds: Number(elapsedS()),
    trafficSeconds: trafficEndedAt / 1000,
    drainSeconds: (drainedAt - trafficEndedAt) / 1000,
    accepted: accepted.length,
    delivered: counts.Delivered,
    refused: counts.Refused,
    lost: lostIds.length,
    stuckPending: counts.Pending,
    notFound: counts.NotFound,
    lostIds: lostIds.slice(0, 50),
    statusRegressions: regressions.length,
    regressions: regressions.slice(0, 50),
    finalStatusesTracked: finalSeen.size,
    post: { ...post },
    smtp: {
      sends: smtp.sends,
      distinctIds: smtp.perId.size,
      sendsWithoutId: smtp.unknownIdSends,
      sendsForUnacceptedIds: sentNotAccepted,
      connections: smtp.connections,
    },
    duplicates: dups.length,
    duplicateSendsExtra: dups.reduce((n, d) => n + d.sends - 1, 0),
    duplicatesCutByKill: dups.filter((d) => d.cutByKill).length,
    duplicatesNotCutByKill: dups.filter((d) => !d.cutByKill).length,
    duplicateDetails: dups.slice(0, 200),
    deliveredWithoutSmtpSend: deliveredWithoutSend.length,
    worker: {
      generations: workers.length,
      sigkills: restarts.sigkill,
      sigterms: restarts.sigterm,
      sigtermsThatNeededSigkill: restarts.sigtermForcedKill,
      attemptsOpenAtSigkill: [...openAtKill.keys()].length,
      attemptsOpenAtSigterm: [...openAtTerm.keys()].length,
      startMs: stats(restarts.startMs),
      stopMs: stats(
        workers.filter((w) => w.stopMs !== undefined && w.ended !== 'SIGKILL').map((w) => w.stopMs),
      ),
      deliveredLogLines: workers.reduce((n, w) => n + w.delivered, 0),
    },
    rss: {
      peakApiMB: +(peak('api') / 1024).toFixed(1),
      peakWorkerMB: +(peak('worker') / 1024).toFixed(1),
      peakEmulatorsMB: +(peak('emulators') / 1024).toFixed(1),
      perMinute: series,
    },
  };
  // Formatted as prettier would (the repo's `prettier --check .` sees this file); git ignores it.
  let json = `${JSON.stringify(result, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    json = await prettier.format(json, { parser: 'json' });
  } catch {
    /* unformatted JSON is still JSON */
  }
  writeFileSync(path.join(HERE, 'last-run.json'), json);
  printReport(result);
  return result;
}

function stats(xs) {
  if (xs.length === 0) return {};
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, min: s[0], p50: s[Math.floor(s.length / 2)], max: s.at(-1) };
}

/** RSS at the start and end of each minute (worker: the generation alive then; it restarts). */
function perMinute(samples) {
  const out = [];
  for (let m = 0; ; m++) {
    const inMin = samples.filter((s) => s.t >= m * 60_000 && s.t < (m + 1) * 60_000);
    if (inMin.length === 0) break;
    const first = inMin[0];
    const lastS = inMin.at(-1);
    const firstW = inMin.find((s) => s.worker !== undefined);
    const lastW = [...inMin].reverse().find((s) => s.worker !== undefined);
    const r = (kb) => (kb === undefined ? null : +(kb / 1024).toFixed(1));
    out.push({
      minute: m,
      apiStartMB: r(first.api),
      apiEndMB: r(lastS.api),
      workerStartMB: r(firstW?.worker),
      workerEndMB: r(lastW?.worker),
      workerGens: [firstW?.workerGen, lastW?.workerGen],
      emulatorsStartMB: r(first.emulators),
      emulatorsEndMB: r(lastS.emulators),
    });
  }
  return out;
}

function printReport(r) {
  const p = (line) => process.stdout.write(`${line}\n`);
  p('');
  p(`==== Herald ${r.mode} report ====`);
  if (r.mode === 'fault-1')
    p(
      `config: ${r.config.notifications} notifications, ${r.config.kills} SIGKILLs, concurrency ${r.config.concurrency}, smtp delay ${r.config.smtpDelayMs} ms`,
    );
  else
    p(
      `config: ${r.config.durationMin} min at ${r.config.rate}/s, worker restart every ${r.config.restartEverySec} s (every 3rd by SIGKILL), smtp delay ${r.config.smtpDelayMs} ms`,
    );
  p(`elapsed ${r.elapsedSeconds} s (traffic ${r.trafficSeconds} s, drain ${r.drainSeconds} s)`);
  p(
    `accepted ${r.accepted}, delivered ${r.delivered}, refused ${r.refused}, lost ${r.lost} (stuck Pending ${r.stuckPending}, not found ${r.notFound})`,
  );
  p(
    `status regressions ${r.statusRegressions} (${r.finalStatusesTracked} final statuses tracked, every id re-read after the drain)`,
  );
  p(
    `posts: ${r.post.attempts} requests, ${r.post.retries} retries (same Idempotency-Key), ${r.post.networkErrors} network errors, gave up ${r.post.gaveUp}, answers ${JSON.stringify(r.post.statuses)}${r.mode === 'soak' ? `, ticks skipped (>256 in flight) ${r.post.behind}` : ''}`,
  );
  p(
    `smtp: ${r.smtp.sends} sends for ${r.smtp.distinctIds} ids (${r.smtp.sendsWithoutId} without id, ${r.smtp.sendsForUnacceptedIds} for ids never 202'd), ${r.smtp.connections} connections`,
  );
  p(
    `duplicate SMTP sends: ${r.duplicates} ids (${r.duplicateSendsExtra} extra sends); attempt cut by a kill: ${r.duplicatesCutByKill}, NOT cut by a kill: ${r.duplicatesNotCutByKill}`,
  );
  for (const d of r.duplicateDetails.filter((d) => !d.cutByKill).slice(0, 10))
    p(
      `  not cut by a kill: ${d.id} ×${d.sends} at ${d.atMs.join(', ')} ms${d.openAtSigterm.length ? ` (open at SIGTERM of gen ${d.openAtSigterm.join(',')})` : ''}`,
    );
  p(`delivered without an SMTP send: ${r.deliveredWithoutSmtpSend}`);
  p(
    `worker: ${r.worker.generations} generations, ${r.worker.sigkills} SIGKILLs, ${r.worker.sigterms} SIGTERMs (${r.worker.sigtermsThatNeededSigkill} needed SIGKILL), attempts open at a SIGKILL ${r.worker.attemptsOpenAtSigkill}, at a SIGTERM ${r.worker.attemptsOpenAtSigterm}; start ms ${JSON.stringify(r.worker.startMs)}, SIGTERM stop ms ${JSON.stringify(r.worker.stopMs)}`,
  );
  p(
    `peak RSS: api ${r.rss.peakApiMB} MB, worker ${r.rss.peakWorkerMB} MB, emulators ${r.rss.peakEmulatorsMB} MB`,
  );
  p('RSS per minute (MB, start→end):');
  for (const m of r.rss.perMinute)
    p(
      `  min ${String(m.minute).padStart(2)}: api ${m.apiStartMB}→${m.apiEndMB}  worker ${m.workerStartMB}→${m.workerEndMB} (gen ${m.workerGens.join('→')})  emulators ${m.emulatorsStartMB}→${m.emulatorsEndMB}`,
    );
  p(
    `verdict: ${r.lost === 0 && r.statusRegressions === 0 ? 'PASS' : 'FAIL'} (lost ${r.lost}, regressions ${r.statusRegressions})`,
  );
  p(`written: scripts/soak/last-run.json`);
}

let exitCode = 0;
try {
  const r = await main();
  exitCode = r.lost > 0 || r.statusRegressions > 0 ? 1 : 0;
} catch (err) {
  if (!interrupted) {
    process.stderr.write(`soak failed: ${err.stack ?? err}\n`);
    exitCode = 2;
  }
} finally {
  if (!interrupted) {
    await cleanup();
    process.exit(exitCode);
  }
}
