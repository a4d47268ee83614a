#!/usr/bin/env node
/**
 * `pnpm bench`: Herald's benchmark against baselines measured in the same run (see
 * scripts/bench/README.md). It runs the BUILT processes (`pnpm bench` runs `tsc -b` first),
 * starts everything it needs on 127.0.0.1 (emulators, api, worker, baselines, provider sink),
 * repeats every figure and keeps the medians, and writes BENCHMARKS.md, benchmarks-latency.svg
 * and scripts/bench/last-run.json (with --out DIR, all three go to DIR).
 *
 *   pnpm bench                 # the full run (about 25 minutes on 2 cores)
 *   pnpm bench --quick         # one short run of everything, for trying the harness
 *
 * Exits 1 if a phase failed (the report is still written, with that figure missing), 2 on a
 * usage error.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir, release, platform, arch } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GetQueueAttributesCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { sdkClients } from './baselines/herald-shapes.mjs';
import { startCostProxy } from './lib/cost-proxy.mjs';
import { runLoad } from './lib/load.mjs';
import {
  cpuCounters,
  cpuSeconds,
  rssMb,
  runNode,
  sleep,
  startNode,
  stopAll,
} from '../lib/processes.mjs';
import { summariseProfile } from './lib/profile.mjs';
import { startSink } from './lib/sink.mjs';
import { writeReport } from './lib/write-report.mjs';
import { dist, setUpHerald, startApi, startEmulators, startWorker } from './lib/stack.mjs';
import { latencySummary, medianOfRuns } from './lib/stats.mjs';
import { packageVersions } from './lib/versions.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const baseline = (file) => path.join(HERE, 'baselines', file);

// ---------------------------------------------------------------------------------------------
// Options

let args;
try {
  args = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      repeats: { type: 'string' },
      connections: { type: 'string', default: '50' },
      'worker-messages': { type: 'string' },
      backlog: { type: 'string' },
      'skip-profile': { type: 'boolean', default: false },
      phases: { type: 'string' },
      out: { type: 'string', default: REPO },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(
    'usage: pnpm bench [--quick] [--duration S] [--repeats N] [--connections C]\n' +
      '                  [--worker-messages N] [--backlog N] [--skip-profile] [--out DIR]\n' +
      '                  [--phases B,Ingest,S,Naive,Status,Half,Worker,Hand-off,Cost,Backlog,Profile]\n',
  );
  process.exit(0);
}
const int = (name, value, fallback) => {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name} must be a positive integer, got ${value}\n`);
    process.exit(2);
  }
  return n;
};
const settings = {
  durationS: int('duration', args.duration, args.quick ? 3 : 10),
  warmupS: args.quick ? 1 : 3,
  repeats: int('repeats', args.repeats, args.quick ? 1 : 3),
  connections: int('connections', args.connections),
  longPollConnections: 200,
  longPollWaitSeconds: 1,
  workerConcurrency: 40,
  workerMessages: int('worker-messages', args['worker-messages'], args.quick ? 1000 : 4000),
  costNotifications: args.quick ? 500 : 2000,
  backlog: int('backlog', args.backlog, args.quick ? 10_000 : 100_000),
};

// ---------------------------------------------------------------------------------------------
// Progress: one line, rewritten in place on a terminal, a line per step otherwise.

const t0 = Date.now();
const cpuAtStart = cpuCounters();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)}s`;
const tty = process.stdout.isTTY;
let lastLineLength = 0;
let lastLogged = { at: 0, step: '' };
function progress(text) {
  const line = `[bench ${elapsed().padStart(5)}] ${text}`;
  if (tty) {
    process.stdout.write(`\r${line.padEnd(lastLineLength)}`);
    lastLineLength = line.length;
    return;
  }
  // Not a terminal (CI, a log file): a line per step, and at most one every 5 s within a step.
  const step = text.split(':')[0];
  if (step === lastLogged.step && Date.now() - lastLogged.at < 5_000) return;
  lastLogged = { at: Date.now(), step };
  process.stdout.write(`${line}\n`);
}
function say(text) {
  if (tty && lastLineLength > 0) process.stdout.write('\n');
  lastLineLength = 0;
  process.stdout.write(`[bench ${elapsed().padStart(5)}] ${text}\n`);
}

// ---------------------------------------------------------------------------------------------
// State shared by the phases

const results = {
  startedAt: new Date(t0).toISOString(),
  command: `pnpm bench${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
  machine: machineInfo(),
  versions: packageVersions(REPO),
  settings,
  http: {},
  worker: {},
  memory: {},
  profiles: [],
  notes: [],
};
const failures = [];
let dir;
let emulators;
let herald; // { token, env, queueUrl, statusTopicArn }
let baseTable; // { queueUrl } of the table and queue the S and Naive baselines write to
let sink;
let aws; // SDK clients for queue housekeeping
let api; // { proc, url }
let worker; // a Herald worker process, when running
const rss = { api: 0, worker: 0 };
let rssTimer;

function machineInfo() {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
  };
}

/** Peak RSS of the api and worker, sampled every 250 ms while the load phases run. */
function trackPeakRss() {
  rssTimer = setInterval(() => {
    if (api?.proc.running()) rss.api = Math.max(rss.api, rssMb(api.proc.pid) ?? 0);
    if (worker?.running()) rss.worker = Math.max(rss.worker, rssMb(worker.pid) ?? 0);
  }, 250);
  rssTimer.unref();
}

const authHeaders = () => ({
  authorization: `Bearer ${herald.token}`,
  'content-type': 'application/json',
});
const slackBody = JSON.stringify({
  channel: 'slack',
  to: { webhook: 'bench' },
  text: 'bench __SEQ__',
});

async function queueDepth() {
  const res = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: herald.queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const a = res.Attributes ?? {};
  return (
    Number(a.ApproximateNumberOfMessages ?? 0) +
    Number(a.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

async function purgeQueue() {
  await aws.sqs.send(new PurgeQueueCommand({ QueueUrl: herald.queueUrl }));
}

/** Runs `fn` once to warm up (result dropped), then `repeats` times; returns runs and medians. */
async function repeated(name, fn, { warmup = true } = {}) {
  if (warmup) {
    progress(`${name}: warm-up`);
    await fn({ warmup: true });
  }
  const runs = [];
  for (let i = 1; i <= settings.repeats; i++) {
    progress(`${name}: run ${i}/${settings.repeats}`);
    runs.push(await fn({ warmup: false }));
  }
  return { runs, median: medianOfRuns(runs) };
}

const onlyPhases = args.phases?.split(',').map((p) => p.trim().toLowerCase());

/** Runs a phase; a failure is recorded and the run goes on without that figure. */
async function phase(name, fn) {
  // A phase is picked by its whole name or its first word ("Status" for "Status GET and
  // long-poll"), never by a prefix: "B" must not pick "Backlog".
  const names = [name.toLowerCase(), name.toLowerCase().split(' ')[0]];
  if (onlyPhases && !onlyPhases.some((p) => names.includes(p))) return;
  const started = Date.now();
  try {
    await fn();
    say(`${name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } catch (err) {
    failures.push({ phase: name, error: err.stack ?? String(err) });
    say(`${name}: FAILED — ${err.message.split('\n')[0]}`);
  }
}

const httpFigure = (r) => ({
  rps: r.rps,
  p50: r.p50,
  p90: r.p90,
  p99: r.p99,
  p999: r.p999,
  errors: r.errors,
  non2xx: r.non2xx,
});

function loadOptions(url, extra = {}) {
  return { url, connections: settings.connections, duration: settings.durationS, ...extra };
}

/** Load that posts Slack notifications (a unique text each) to the api at `baseUrl`. */
function postLoad(baseUrl, extra = {}) {
  return loadOptions(`${baseUrl}/v1/notifications`, {
    method: 'POST',
    headers: authHeaders(),
    bodyTemplate: slackBody,
    ...extra,
  });
}

/** Load that reads the statuses of `ids` in turn. */
function statusLoad(ids, extra = {}) {
  return loadOptions(`${api.url}/v1/notifications/${ids[0]}`, {
    headers: { authorization: `Bearer ${herald.token}` },
    paths: ids.map((id) => `/v1/notifications/${id}`),
    ...extra,
  });
}

const runDuration = (warmup) => (warmup ? settings.warmupS : settings.durationS);

/** A warm-up and the repeats of one autocannon load; returns its runs and medians. */
function httpRuns(name, opts) {
  return repeated(name, async ({ warmup }) =>
    httpFigure(await runLoad({ ...opts, duration: runDuration(warmup) })),
  );
}

// ---------------------------------------------------------------------------------------------
// Phases

async function benchBareHttp() {
  const hello = startNode('hello', baseline('hello.mjs'), [], {});
  try {
    const port = JSON.parse(await hello.waitForLine(/listening/)).listening;
    const opts = loadOptions(`http://127.0.0.1:${port}/`);
    results.http.B = {
      label: 'B — bare node:http hello world',
      ...(await httpRuns('B (node:http hello world)', opts)),
    };
  } finally {
    await hello.stop();
  }
}

async function benchIngest() {
  results.http.ingest = {
    label: 'Ingest — POST /v1/notifications',
    ...(await cpuCountedRuns('Ingest (POST /v1/notifications)', postLoad(api.url))),
  };
  await purgeQueue();
}

/**
 * A warm-up and the repeats of one load, like `httpRuns`, also counting the CPU the api and the
 * emulators spend per request and how busy the whole machine is meanwhile: the evidence for what
 * bounds a figure (a saturated api core, or two cores shared by everything).
 */
async function cpuCountedRuns(name, opts, { warmup = true } = {}) {
  const cpu = { api: 0, dynamodb: 0, sqs: 0, requests: 0, machineTotal: 0, machineIdle: 0 };
  const figure = await repeated(
    name,
    async ({ warmup: warming }) => {
      const before = cpuOf();
      const r = await runLoad({ ...opts, duration: runDuration(warming) });
      if (!warming) addCpu(cpu, before, r.total);
      return httpFigure(r);
    },
    { warmup },
  );
  return {
    ...figure,
    cpuMsPerRequest: perRequest(cpu),
    ...(cpu.machineTotal > 0
      ? { machineBusyPercent: (100 * (cpu.machineTotal - cpu.machineIdle)) / cpu.machineTotal }
      : {}),
  };
}

/** CPU used so far by the api and each emulator (seconds), and the machine's counters. */
function cpuOf() {
  return {
    api: cpuSeconds(api.proc.pid),
    dynamodb: cpuSeconds(emulators.dynamodb.pid),
    sqs: cpuSeconds(emulators.sqs.pid),
    machine: cpuCounters(),
  };
}
function addCpu(acc, before, requests) {
  const after = cpuOf();
  for (const k of ['api', 'dynamodb', 'sqs']) acc[k] += after[k] - before[k];
  acc.requests += requests;
  if (before.machine && after.machine) {
    acc.machineTotal += after.machine.total - before.machine.total;
    acc.machineIdle += after.machine.idle - before.machine.idle;
  }
}
function perRequest(acc) {
  const ms = (s) => (1000 * s) / Math.max(1, acc.requests);
  return { api: ms(acc.api), dynamodb: ms(acc.dynamodb), sqs: ms(acc.sqs) };
}

async function benchSdkLoop() {
  const opts = {
    dynamodbEndpoint: emulators.dynamodbEndpoint,
    sqsEndpoint: emulators.sqsEndpoint,
    tableName: 'bench-base',
    queueUrl: baseTable.queueUrl,
    concurrency: settings.connections,
    // Herald's api default (HERALD_ENQUEUE_LINGER_MS): its sends linger this long for company.
    lingerMs: 20,
  };
  const run = async (durationS, mode, concurrency = opts.concurrency) =>
    JSON.parse(
      (
        await runNode(
          baseline('sdk-loop.mjs'),
          [JSON.stringify({ ...opts, durationS, mode, concurrency })],
          { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        )
      ).trim(),
    );
  results.S = {
    label: 'S — bare AWS SDK loop, same calls as ingest',
    ...(await repeated('S (bare SDK loop)', async ({ warmup }) =>
      run(runDuration(warmup), 'batched'),
    )),
  };
  // The same loop without batching: what one PutItem + one SendMessage per notification allows.
  results.Sunbatched = {
    label: 'S without batching (PutItem + SendMessage each)',
    ...(await repeated('S without batching', async () => run(settings.durationS, 'single'), {
      warmup: false,
    })),
  };
  // The emulators' latency floor: the same calls one at a time (concurrency 1).
  const floor = async (mode) =>
    (
      await repeated(`Latency floor (${mode})`, async () => run(settings.warmupS, mode, 1), {
        warmup: false,
      })
    ).median;
  results.floor = { ingest: await floor('batched'), statusRead: await floor('get') };
}

async function benchNaive() {
  const naive = startNode('naive', baseline('naive-api.mjs'), [], {
    DYNAMODB_ENDPOINT: emulators.dynamodbEndpoint,
    SQS_ENDPOINT: emulators.sqsEndpoint,
    TABLE_NAME: 'bench-base',
    QUEUE_URL: baseTable.queueUrl,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  try {
    const port = JSON.parse(await naive.waitForLine(/listening/)).listening;
    const opts = loadOptions(`http://127.0.0.1:${port}/v1/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      bodyTemplate: slackBody,
    });
    results.http.naive = {
      label: 'Naive — express + PutItem + SendMessage',
      ...(await httpRuns('Naive (express + PutItem + SendMessage)', opts)),
    };
  } finally {
    await naive.stop();
  }
}

/** Creates `n` notifications through the api and returns their ids. */
async function createNotifications(n) {
  const ids = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${api.url}/v1/notifications`, {
      method: 'POST',
      headers: authHeaders(),
      body: slackBody.replace('__SEQ__', `status-${i}`),
    });
    if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
    ids.push((await res.json()).id);
  }
  return ids;
}

async function benchStatus() {
  const ids = await createNotifications(200);
  const opts = statusLoad(ids);
  results.http.statusGet = {
    label: 'Status GET /v1/notifications/:id',
    ...(await cpuCountedRuns('Status GET', opts)),
  };
  // Long-poll: every request waits on a notification that stays Pending (no worker runs), so it
  // is held the full waitSeconds; the ideal is connections / waitSeconds requests per second.
  const wait = settings.longPollWaitSeconds;
  results.http.longPoll = {
    label: `Long-poll GET ?waitSeconds=${wait} (${settings.longPollConnections} clients)`,
    ideal: settings.longPollConnections / wait,
    ...(await repeated(
      'Long-poll GET',
      async () =>
        httpFigure(
          await runLoad({
            ...opts,
            connections: settings.longPollConnections,
            paths: ids.map((id) => `/v1/notifications/${id}?waitSeconds=${wait}`),
            timeoutSeconds: wait + 10,
          }),
        ),
      { warmup: false },
    )),
  };
  results.statusIds = ids;
}

async function benchHalfPeak() {
  const ingestRate = Math.round((results.http.ingest?.median.rps ?? 0) / 2);
  if (ingestRate > 0) {
    const opts = postLoad(api.url, { overallRate: ingestRate });
    results.http.ingestHalf = {
      label: 'Ingest at half of peak',
      rate: ingestRate,
      ...(await cpuCountedRuns('Ingest at half of peak', opts, { warmup: false })),
    };
    await purgeQueue();
  }
  const statusRate = Math.round((results.http.statusGet?.median.rps ?? 0) / 2);
  if (statusRate > 0 && results.statusIds) {
    const ids = results.statusIds;
    const opts = statusLoad(ids, { overallRate: statusRate });
    results.http.statusHalf = {
      label: 'Status GET at half of peak',
      rate: statusRate,
      ...(await cpuCountedRuns('Status GET at half of peak', opts, { warmup: false })),
    };
  }
}

/** Fills the queue with `n` notifications through the api (no worker running). */
async function fillBacklog(n) {
  await purgeQueue();
  await runLoad(postLoad(api.url, { amount: n, duration: 600 }));
  const deadline = Date.now() + 30_000;
  while ((await queueDepth()) < n && Date.now() < deadline) await sleep(200);
}

const WORKER_VARIANTS = {
  herald: {
    label: `Herald worker (concurrency ${settings.workerConcurrency})`,
    start: () =>
      startWorker(herald.env, sink.url, {
        HERALD_WORKER_CONCURRENCY: String(settings.workerConcurrency),
      }),
  },
  bare: {
    label: 'Bare ReceiveMessage(10) + DeleteMessageBatch loop (4 pollers)',
    start: () => startBaselineWorker('worker-bare.mjs'),
  },
  sqsConsumer: {
    label: 'sqs-consumer version (4 consumers, batchSize 10)',
    start: () => startBaselineWorker('worker-sqs-consumer.mjs'),
  },
};

async function startBaselineWorker(file) {
  const proc = startNode(
    file,
    baseline(file),
    [
      JSON.stringify({
        dynamodbEndpoint: emulators.dynamodbEndpoint,
        sqsEndpoint: emulators.sqsEndpoint,
        tableName: 'bench',
        queueUrl: herald.queueUrl,
        topicArn: herald.statusTopicArn,
        sinkUrl: sink.url,
        pollers: settings.workerConcurrency / 10,
      }),
    ],
    { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  );
  await proc.waitForLine(/"started":true/);
  return proc;
}

/**
 * Stops a worker, then waits out the long poll it abandoned. fauxqs (like SQS) does not notice a
 * closed long poll and may hand the next message sent to it; that message then stays invisible
 * for the visibility timeout and would show up 30 s late in the next phase's figures. Herald's
 * worker long-polls 20 s, the baselines 1 s.
 */
async function stopWorkerAndSettle(proc) {
  await proc.stop();
  if (proc === worker) worker = undefined;
  progress('waiting out the stopped worker’s abandoned long poll');
  await sleep(proc.name === 'worker' ? 21_000 : 2_000);
}

/**
 * Worker throughput: a backlog of N notifications is filled with no worker running, then the
 * variant starts and drains it. The rate is the steady state between the 5th and 95th percentile
 * arrival at the sink, so process start-up is not counted against any variant.
 */
async function drainOnce(variant, n) {
  await fillBacklog(n);
  sink.reset();
  const proc = await variant.start();
  if (variant === WORKER_VARIANTS.herald) worker = proc;
  try {
    await sink.waitFor(n, 300_000);
  } finally {
    await stopWorkerAndSettle(proc);
  }
  // Steady state: the rate between the 5th and the 95th percentile arrival, so neither start-up
  // nor a straggler (a message redelivered after its visibility timeout) decides the figure.
  // The whole span is kept too.
  const times = [...sink.arrivals.values()].sort((a, b) => a - b);
  const seconds = (times[times.length - 1] - times[0]) / 1000;
  const lo = Math.floor(times.length * 0.05);
  const hi = Math.ceil(times.length * 0.95) - 1;
  return {
    perSec: (hi - lo) / ((times[hi] - times[lo]) / 1000),
    wholeSpanPerSec: (times.length - 1) / seconds,
    delivered: times.length,
    seconds,
    duplicates: sink.duplicates,
  };
}

/**
 * The three workers in interleaved rounds: a warm-up of each, then each round runs every variant
 * once, starting one further along each time. dynalite slows as it fills and a shared machine
 * drifts, so running one variant's repeats back to back would hand whichever ran first a faster
 * stack; interleaved, a drift falls on every variant alike.
 */
async function benchWorkers() {
  const n = settings.workerMessages;
  const variants = Object.entries(WORKER_VARIANTS);
  const runs = Object.fromEntries(variants.map(([key]) => [key, []]));
  for (const [, variant] of variants) {
    progress(`Worker: ${variant.label}: warm-up`);
    await drainOnce(variant, Math.ceil(n / 4));
  }
  for (let round = 0; round < settings.repeats; round++) {
    for (let i = 0; i < variants.length; i++) {
      const [key, variant] = variants[(round + i) % variants.length];
      progress(`Worker: ${variant.label}: run ${round + 1}/${settings.repeats}`);
      runs[key].push(await drainOnce(variant, n));
    }
  }
  for (const [key, variant] of variants) {
    results.worker[key] = {
      label: variant.label,
      runs: runs[key],
      median: medianOfRuns(runs[key]),
    };
  }
  await purgeQueue();
}

/**
 * The end-to-end peak: notifications/s delivered at the sink while ingest offers more than the
 * stack can carry (the worker's solo peak), so the api, the worker and the emulators share the two
 * cores as they do in the hand-off runs. Counted over the last 70 % of the load window, once the
 * worker is busy; the backlog left over is purged.
 */
async function endToEndPeak(offered) {
  progress(`Hand-off: end-to-end peak (ingest offered at ${offered}/s)`);
  sink.reset();
  const started = Date.now();
  await runLoad(postLoad(api.url, { duration: settings.durationS, overallRate: offered }));
  const ended = Date.now();
  const from = started + (ended - started) * 0.3;
  let delivered = 0;
  for (const at of sink.arrivals.values()) if (at >= from && at <= ended) delivered++;
  await purgeQueue();
  return delivered / ((ended - from) / 1000);
}

/** Per accepted marker, the sink's arrival minus the 202's: a latency summary and the missing. */
function handoffLatencies(accepted) {
  const markers = Object.keys(accepted);
  const latencies = markers.flatMap((m) => {
    const at = sink.arrivals.get(m);
    return at === undefined ? [] : [at - accepted[m]];
  });
  return { ...latencySummary(latencies), missing: markers.length - latencies.length };
}

/** Hand-off runs at one offered rate: the latency from each 202 to its arrival at the sink. */
async function handoffAt(rate, label) {
  const runs = [];
  for (let i = 0; i <= settings.repeats; i++) {
    progress(`Hand-off at ${rate}/s: ${i === 0 ? 'warm-up' : `run ${i}/${settings.repeats}`}`);
    sink.reset();
    const r = await runLoad(
      postLoad(api.url, {
        duration: runDuration(i === 0),
        overallRate: rate,
        recordAccepted: true,
      }),
    );
    await sink.waitFor(Object.keys(r.accepted).length, 60_000).catch(() => undefined);
    if (i > 0) runs.push(handoffLatencies(r.accepted));
  }
  return { label, rate, runs, median: medianOfRuns(runs) };
}

/**
 * Accept → hand-off at half of peak load, with the Herald worker running. Peak load is the
 * end-to-end peak (ingest and delivery together on the same two cores); for comparison the same
 * runs are made at half of min(ingest alone, worker alone), which on two shared cores is close to
 * saturation.
 */
async function benchHandoff() {
  const ingestPeak = results.http.ingest?.median.rps;
  const workerPeak = results.worker.herald?.median.perSec;
  if (!ingestPeak || !workerPeak) throw new Error('needs the Ingest and Worker figures');
  await purgeQueue();
  worker = await WORKER_VARIANTS.herald.start();
  try {
    const endToEnd = await endToEndPeak(Math.round(workerPeak));
    const soloHalf = Math.round(Math.min(ingestPeak, workerPeak) / 2);
    results.handoff = {
      ...(await handoffAt(Math.round(endToEnd / 2), 'half of the end-to-end peak')),
      peaks: { endToEnd, ingest: ingestPeak, worker: workerPeak },
    };
    results.handoffSoloHalf = await handoffAt(soloHalf, 'half of min(ingest alone, worker alone)');
  } finally {
    await stopWorkerAndSettle(worker);
  }
}

/** AWS on-demand prices, us-east-1 (standard queue, standard table class). */
const PRICES = {
  perMillionWrites: 0.625,
  perMillionReads: 0.125,
  perMillionSqs: 0.4,
  perMillionSnsPublishes: 0.5,
  region: 'us-east-1',
  asOf: 'AWS price pages, 2026-11',
};

/** Runs `load` against the counted api and prices the AWS calls it and its deliveries made. */
async function countCost(proxy, load) {
  sink.reset();
  await sleep(1000);
  proxy.reset();
  const n = settings.costNotifications;
  const loaded = await load();
  await sink.waitFor(n, 120_000);
  await sleep(3000); // the final writes and status events follow the sink's 200
  const snap = proxy.snapshot();
  const delivered = sink.arrivals.size;
  const handoff = loaded?.accepted === undefined ? undefined : handoffLatencies(loaded.accepted);
  const per = (v) => v / delivered;
  const perNotification = {
    dynamoWcuTable: per(snap.dynamodb.wcuTable),
    dynamoWcuIndexes: per(snap.dynamodb.wcuIndexTotal),
    dynamoWcuTotal: per(snap.dynamodb.wcuTotal),
    dynamoRcu: per(snap.dynamodb.rcu),
    sqsRequests: per(snap.sqs.requests),
    snsPublishes: per(snap.sns.publishes),
  };
  const usd = (perItem, perMillion) => perItem * perMillion;
  const usdPerMillion = {
    dynamoWrites: usd(perNotification.dynamoWcuTotal, PRICES.perMillionWrites),
    dynamoReads: usd(perNotification.dynamoRcu, PRICES.perMillionReads),
    sqs: usd(perNotification.sqsRequests, PRICES.perMillionSqs),
    sns: usd(perNotification.snsPublishes, PRICES.perMillionSnsPublishes),
  };
  usdPerMillion.total = Object.values(usdPerMillion).reduce((a, b) => a + b, 0);
  return {
    notifications: delivered,
    ...(handoff === undefined ? {} : { handoff }),
    perNotification,
    wcuByIndex: snap.dynamodb.wcuIndexes,
    calls: snap.calls,
    sqs: snap.sqs,
    pricesUsd: PRICES,
    usdPerMillion,
  };
}

/** Lingers for the cost-tuned steady run: batches fill at a trickle, at this much more latency. */
const TUNED_LINGER_MS = 100;

/**
 * Cost: api and worker restarted behind a counting proxy (lib/cost-proxy.mjs) that sees every
 * AWS call they make and prices DynamoDB writes by item size, including index writes. Three runs:
 * steady with the default lingers (the target's), a burst, and steady again with both lingers
 * (HERALD_ENQUEUE_LINGER_MS, HERALD_RECEIVE_LINGER_MS) at TUNED_LINGER_MS, which shows what the
 * steady cost comes down to and what it costs in hand-off latency.
 */
async function benchCost() {
  const proxy = await startCostProxy(emulators);
  const env = {
    ...herald.env,
    HERALD_DYNAMODB_ENDPOINT: proxy.dynamodbUrl,
    HERALD_SQS_ENDPOINT: proxy.sqsUrl,
    HERALD_SNS_ENDPOINT: proxy.sqsUrl,
  };
  const n = settings.costNotifications;
  // Steady: paced at the hand-off rate (half of the end-to-end peak). Requests arrive one at a
  // time, so few share a batch call: the dearest case per notification, and the target's.
  const rate = results.handoff?.rate ?? 100;
  const steady = (url) =>
    runLoad(postLoad(url, { overallRate: rate, amount: n, duration: 600, recordAccepted: true }));
  try {
    await withCountedStack(env, async (url) => {
      progress(`Cost: ${n} notifications at ${rate}/s through the counting proxy`);
      results.cost = { rate, ...(await countCost(proxy, () => steady(url))) };
      // Burst: the same number posted by 50 connections as fast as the api takes them (a
      // campaign), so concurrent requests share batch calls.
      progress(`Cost: a burst of ${n} notifications through the counting proxy`);
      results.costBurst = await countCost(proxy, () =>
        runLoad(postLoad(url, { amount: n, duration: 600 })),
      );
    });
    const tuned = {
      HERALD_ENQUEUE_LINGER_MS: String(TUNED_LINGER_MS),
      HERALD_RECEIVE_LINGER_MS: String(TUNED_LINGER_MS),
    };
    await withCountedStack({ ...env, ...tuned }, async (url) => {
      progress(`Cost: ${n} notifications at ${rate}/s with ${TUNED_LINGER_MS} ms lingers`);
      results.costTuned = {
        rate,
        lingerMs: TUNED_LINGER_MS,
        ...(await countCost(proxy, () => steady(url))),
      };
    });
  } finally {
    await proxy.close();
  }
}

/** Runs `fn(apiUrl)` with an api and a Herald worker started with `env`, then stops both. */
async function withCountedStack(env, fn) {
  const counted = await startApi(env);
  await purgeQueue();
  try {
    const countedWorker = await startWorker(env, sink.url, {
      HERALD_WORKER_CONCURRENCY: String(settings.workerConcurrency),
    });
    try {
      await fn(counted.url);
    } finally {
      await stopWorkerAndSettle(countedWorker);
    }
  } finally {
    await counted.proc.stop();
  }
}

/**
 * Memory under a backlog: the api accepts `backlog` notifications with no worker running (its
 * RSS sampled as the queue grows), then a worker drains them (its RSS sampled as it shrinks).
 */
async function benchBacklog() {
  const n = settings.backlog;
  const tenth = n / 10;
  await purgeQueue();
  const load = runLoad(postLoad(api.url, { amount: n, duration: 3600 }));
  let loadDone = false;
  void load.finally(() => (loadDone = true));
  // Idle RSS is recorded apart: "flat" is about growth with the backlog, not the step from idle
  // to loaded. RSS saws up and down with garbage collection, so each tenth of the backlog
  // reports the highest RSS sampled (every 250 ms) while it built up.
  results.memory.apiIdleMb = rssMb(api.proc.pid);
  const apiPeaks = new PeakPerTenth(tenth);
  while (!loadDone) {
    const depth = await queueDepth();
    progress(`Backlog: ${depth.toLocaleString('en')} of ${n.toLocaleString('en')} accepted`);
    apiPeaks.sample(depth, rssMb(api.proc.pid));
    await sleep(250);
  }
  apiPeaks.sample(await queueDepth(), rssMb(api.proc.pid));
  const loadResult = await load;
  if (loadResult.errors + loadResult.non2xx > 0) {
    results.notes.push(`Backlog fill: ${loadResult.errors} errors, ${loadResult.non2xx} non-2xx.`);
  }
  results.memory.apiBacklog = apiPeaks.rows('backlog', (i) => Math.round((i + 1) * tenth));

  sink.reset();
  worker = await WORKER_VARIANTS.herald.start();
  try {
    results.memory.workerIdleMb = rssMb(worker.pid);
    const workerPeaks = new PeakPerTenth(tenth);
    const deadline = Date.now() + 20 * 60_000;
    while (sink.arrivals.size < n && Date.now() < deadline) {
      const remaining = n - sink.arrivals.size;
      progress(`Backlog: worker draining, ${remaining.toLocaleString('en')} left`);
      workerPeaks.sample(sink.arrivals.size, rssMb(worker.pid));
      await sleep(250);
    }
    results.memory.workerBacklog = workerPeaks.rows('remaining', (i) => Math.round(n - i * tenth));
    const times = [...sink.arrivals.values()];
    results.memory.backlogDrainPerSec =
      times.length / ((Math.max(...times) - Math.min(...times)) / 1000);
  } finally {
    await worker.stop();
    worker = undefined;
  }
}

/** The highest RSS seen in each tenth of a count (the backlog built, or drained). */
class PeakPerTenth {
  constructor(tenth) {
    this.tenth = tenth;
    this.peaks = [];
  }
  sample(count, rss) {
    if (rss === undefined) return;
    const i = Math.min(9, Math.floor(count / this.tenth));
    this.peaks[i] = Math.max(this.peaks[i] ?? 0, rss);
  }
  rows(key, label) {
    return this.peaks.flatMap((rssMb, i) =>
      rssMb === undefined ? [] : [{ [key]: label(i), rssMb }],
    );
  }
}

/** CPU profile of the api under ingest load, to show where its time goes. */
async function profileIngest() {
  const profileDir = path.join(dir, 'profiles');
  const profiled = await startApi(herald.env, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
  try {
    await runLoad(postLoad(profiled.url));
  } finally {
    await profiled.proc.stop();
    await purgeQueue();
  }
  const file = execFileSync('ls', [profileDir]).toString().trim().split('\n')[0];
  results.profiles.push({
    title: 'api CPU profile under ingest load (node --cpu-prof, self time)',
    text: summariseProfile(path.join(profileDir, file), { top: 20 }),
  });
}

/** CPU profile of the worker draining a backlog. */
async function profileWorker() {
  const profileDir = path.join(dir, 'worker-profiles');
  const n = settings.workerMessages;
  await fillBacklog(n);
  sink.reset();
  const profiled = await startWorker(
    herald.env,
    sink.url,
    { HERALD_WORKER_CONCURRENCY: String(settings.workerConcurrency) },
    ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  );
  try {
    await sink.waitFor(n, 300_000);
  } finally {
    await stopWorkerAndSettle(profiled);
  }
  const file = execFileSync('ls', [profileDir]).toString().trim().split('\n')[0];
  results.profiles.push({
    title: `worker CPU profile draining ${n.toLocaleString('en')} notifications (self time)`,
    text: summariseProfile(path.join(profileDir, file), { top: 20 }),
  });
}

// ---------------------------------------------------------------------------------------------

async function main() {
  say(
    `pnpm bench: ${settings.repeats} run(s) of ${settings.durationS} s per figure, ` +
      `${settings.connections} connections, backlog ${settings.backlog.toLocaleString('en')}`,
  );
  dir = mkdtempSync(path.join(tmpdir(), 'herald-bench-'));
  emulators = await startEmulators();
  aws = await sdkClients(emulators);
  herald = await setUpHerald({ dir, ...emulators, name: 'bench' });
  // S and Naive write to their own table and queue, so Herald's phases never see their items.
  baseTable = await setUpHerald({ dir: path.join(dir, 'base'), ...emulators, name: 'bench-base' });
  sink = await startSink();
  api = await startApi(herald.env);
  trackPeakRss();
  say(
    `stack up: api ${api.url}, dynalite ${emulators.dynamodbEndpoint}, fauxqs ${emulators.sqsEndpoint}`,
  );

  await phase('B', benchBareHttp);
  await phase('Ingest', benchIngest);
  await phase('S', benchSdkLoop);
  await phase('Naive', benchNaive);
  await phase('Status GET and long-poll', benchStatus);
  await phase('Half of peak', benchHalfPeak);
  await phase('Worker', benchWorkers);
  await phase('Hand-off', benchHandoff);
  results.memory.apiPeakMb = rss.api;
  results.memory.workerPeakMb = rss.worker;
  await phase('Cost', benchCost);
  await phase('Backlog', benchBacklog);
  if (!args['skip-profile']) {
    await phase('Profile api', profileIngest);
    await phase('Profile worker', profileWorker);
  }
  delete results.statusIds;
}

async function finish() {
  clearInterval(rssTimer);
  await stopAll();
  await sink?.close();
  for (const c of Object.values(aws ?? {})) c.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
  results.durationS = Math.round((Date.now() - t0) / 1000);
  const cpuAtEnd = cpuCounters();
  if (cpuAtStart && cpuAtEnd) {
    // On a VM the hypervisor can take CPU from us ("steal"): every figure shares that loss.
    const total = cpuAtEnd.total - cpuAtStart.total;
    results.machine.cpuStealPercent = (100 * (cpuAtEnd.steal - cpuAtStart.steal)) / total;
    results.machine.cpuIdlePercent = (100 * (cpuAtEnd.idle - cpuAtStart.idle)) / total;
  }
  results.failures = failures;
  // The raw results sit beside the report: in the repository for the committed run, in --out for
  // a trial run, so a trial never overwrites the results BENCHMARKS.md was rendered from.
  mkdirSync(args.out, { recursive: true });
  const rawFile =
    args.out === REPO ? path.join(HERE, 'last-run.json') : path.join(args.out, 'last-run.json');
  writeFileSync(rawFile, `${JSON.stringify(results, null, 2)}\n`);
  results.targets = writeReport(results, args.out);
  say(
    `wrote ${path.join(args.out, 'BENCHMARKS.md')}, benchmarks-latency.svg, ${rawFile} (${results.durationS} s)`,
  );
  for (const t of results.targets) {
    say(`${t.met === true ? 'met ' : t.met === false ? 'MISS' : ' -- '}  ${t.name}: ${t.value}`);
  }
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    say(`${sig}: stopping everything`);
    stopAll().finally(() => process.exit(130));
  });
}

main()
  .catch((err) => {
    failures.push({ phase: 'start-up', error: err.stack ?? String(err) });
    say(`start-up failed: ${err.stack ?? err}`);
  })
  .finally(async () => {
    await finish();
    process.exit(failures.length > 0 ? 1 : 0);
  });
