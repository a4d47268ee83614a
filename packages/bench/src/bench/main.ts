/**
 * `pnpm bench`: Herald's benchmark against baselines measured in the same run (see
 * packages/bench/README.md). It runs the BUILT processes (`pnpm bench` runs `tsc -b` first),
 * starts everything it needs on 127.0.0.1 (emulators, api, worker, baselines, provider sink),
 * repeats every figure and keeps the medians, and writes BENCHMARKS.md, benchmarks-latency.svg
 * and packages/bench/last-run.json (with --out DIR, all three go to DIR).
 *
 *   pnpm bench                 # the full run (about 25 minutes on 2 cores)
 *   pnpm bench --quick         # one short run of everything, for trying the harness
 *
 * Exits 1 if a phase failed (the report is still written, with that figure missing), 2 on a
 * usage error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cpuCounters, rssMb } from '@herald/local';
import { BENCH_PACKAGE, REPO } from '../lib/paths';
import { stopAll } from '../lib/processes';
import { writeReport, type BenchResults } from '../report';
import type { BenchContext } from './context';
import { machineInfo } from './machine';
import { parseBenchArgs, type BenchOptions } from './options';
import { mergeIntoCommitted } from './merge-run';
import { PhaseRunner } from './phase-runner';
import { benchBacklog } from './phases/backlog';
import { benchBareHttp } from './phases/bare-http';
import { benchCost } from './phases/cost';
import { benchFanOut } from './phases/fan-out';
import { benchScheduled } from './phases/scheduled';
import { benchHalfPeak } from './phases/half-peak';
import { benchHandoff } from './phases/handoff';
import { benchIngest } from './phases/ingest';
import { benchNaive } from './phases/naive';
import { profileIngest, profileWorker } from './phases/profiles';
import { benchSdkLoop } from './phases/sdk-loop';
import { benchStatus } from './phases/status';
import { benchWorkers } from './phases/workers';
import { Progress } from './progress';
import { emulatorPids, startBenchStack } from './stack';
import { startSink, type Sink } from './sink';
import { packageVersions } from './versions';

/** What `finish` must release, filled in as the run starts things. */
interface Held {
  ctx?: BenchContext;
  dir?: string;
  sink?: Sink;
}

/** Starts the stack, runs every phase picked, and leaves the context for `finish`. */
async function measure(
  options: BenchOptions,
  results: BenchResults,
  progress: Progress,
  runner: PhaseRunner,
  held: Held,
): Promise<void> {
  const { settings } = options;
  progress.say(
    `pnpm bench: ${settings.repeats} run(s) of ${settings.durationS} s per figure, ` +
      `${settings.connections} connections, backlog ${settings.backlog.toLocaleString('en')}`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-bench-'));
  held.dir = dir;
  const sink = await startSink();
  held.sink = sink;
  // S and Naive write to their own table and queue (`base`), so Herald's phases never see them.
  const { stack, token, base } = await startBenchStack({ dir, sinkUrl: sink.url });
  const ctx: BenchContext = {
    settings,
    results,
    progress,
    dir,
    stack,
    token,
    baseTable: base,
    sink,
    worker: undefined,
  };
  held.ctx = ctx;
  const pids = emulatorPids(stack);
  progress.say(
    `stack up: api ${stack.apiUrl}, dynalite ${stack.dynamodbEndpoint} (pid ${pids.dynamodb}), ` +
      `fauxqs ${stack.sqsEndpoint} (pid ${pids.sqs})`,
  );

  // Peak RSS of the api and worker, sampled every 250 ms while the load phases run.
  const rss = { api: 0, worker: 0 };
  const sample = (pid: number | undefined) => (pid === undefined ? 0 : (rssMb(pid) ?? 0));
  const rssTimer = setInterval(() => {
    if (ctx.stack.api.running()) rss.api = Math.max(rss.api, sample(ctx.stack.api.pid));
    if (ctx.worker?.running()) rss.worker = Math.max(rss.worker, sample(ctx.worker.pid));
  }, 250);
  rssTimer.unref();
  try {
    await runner.run(ctx, 'B', benchBareHttp);
    await runner.run(ctx, 'Ingest', benchIngest);
    await runner.run(ctx, 'S', benchSdkLoop);
    await runner.run(ctx, 'Naive', benchNaive);
    await runner.run(ctx, 'Status GET and long-poll', benchStatus);
    await runner.run(ctx, 'Half of peak', benchHalfPeak);
    await runner.run(ctx, 'Worker', benchWorkers);
    await runner.run(ctx, 'Hand-off', benchHandoff);
    results.memory.apiPeakMb = rss.api;
    results.memory.workerPeakMb = rss.worker;
    // Right after Worker, on an emulator no fuller than when the worker's rate was measured.
    await runner.run(ctx, 'Fan-out', benchFanOut);
    await runner.run(ctx, 'Scheduled', benchScheduled);
    await runner.run(ctx, 'Cost', benchCost);
    await runner.run(ctx, 'Backlog', benchBacklog);
    if (!options.skipProfile) {
      await runner.run(ctx, 'Profile api', profileIngest);
      await runner.run(ctx, 'Profile worker', profileWorker);
    }
  } finally {
    clearInterval(rssTimer);
  }
  delete results.statusIds;
}

/** Stops everything, then writes last-run.json and the report and prints the verdicts. */
async function finish(
  options: BenchOptions,
  results: BenchResults,
  progress: Progress,
  held: Held,
  cpuAtStart: ReturnType<typeof cpuCounters>,
  t0: number,
  failures: BenchResults['failures'],
): Promise<void> {
  await stopAll();
  await held.sink?.close();
  if (held.dir) rmSync(held.dir, { recursive: true, force: true });
  results.durationS = Math.round((Date.now() - t0) / 1000);
  const cpuAtEnd = cpuCounters();
  if (cpuAtStart && cpuAtEnd) {
    // On a VM the hypervisor can take CPU from us ("steal"): every figure shares that loss.
    const total = cpuAtEnd.total - cpuAtStart.total;
    results.machine.cpuStealPercent = (100 * (cpuAtEnd.steal - cpuAtStart.steal)) / total;
    results.machine.cpuIdlePercent = (100 * (cpuAtEnd.idle - cpuAtStart.idle)) / total;
  }
  results.failures = failures;
  const toWrite = options.merge ? mergeIntoCommitted(results, options, progress) : results;
  // The raw results sit beside the report: in the bench package for the committed run, in --out
  // for a trial run, so a trial never overwrites the results BENCHMARKS.md was rendered from.
  mkdirSync(options.out, { recursive: true });
  const rawFile =
    path.resolve(options.out) === REPO
      ? path.join(BENCH_PACKAGE, 'last-run.json')
      : path.join(options.out, 'last-run.json');
  writeFileSync(rawFile, `${JSON.stringify(toWrite, null, 2)}\n`);
  const targets = writeReport(toWrite, options.out);
  results.targets = targets;
  progress.say(
    `wrote ${path.join(options.out, 'BENCHMARKS.md')}, benchmarks-latency.svg, ${rawFile} (${results.durationS} s)`,
  );
  for (const t of targets) {
    progress.say(
      `${t.met === true ? 'met ' : t.met === false ? 'MISS' : ' -- '}  ${t.name}: ${t.value}`,
    );
  }
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const cpuAtStart = cpuCounters();
  const parsed = parseBenchArgs(process.argv.slice(2), REPO);
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    process.exit(0);
  }
  if (parsed.kind === 'usage-error') {
    process.stderr.write(`${parsed.message}\n`);
    process.exit(2);
  }
  const { options } = parsed;
  const progress = new Progress();
  const args = process.argv.slice(2);
  const results: BenchResults = {
    startedAt: new Date(t0).toISOString(),
    command: `pnpm bench${args.length ? ` ${args.join(' ')}` : ''}`,
    machine: machineInfo(),
    versions: packageVersions(REPO),
    settings: options.settings,
    http: {},
    worker: {},
    memory: {},
    profiles: [],
    notes: [],
  };
  const runner = new PhaseRunner(options.phases);
  const held: Held = {};
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress.say(`${signal}: stopping everything`);
      void stopAll().finally(() => {
        // The stack's data dir is the run's (the stack removes only a dir it made itself).
        if (held.dir) rmSync(held.dir, { recursive: true, force: true });
        process.exit(130);
      });
    });
  }
  try {
    await measure(options, results, progress, runner, held);
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    runner.failures.push({ phase: 'start-up', error });
    progress.say(`start-up failed: ${error}`);
  }
  await finish(options, results, progress, held, cpuAtStart, t0, runner.failures);
  process.exit(runner.failures.length > 0 ? 1 : 0);
}

void main();
