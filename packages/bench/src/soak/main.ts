/**
 * `pnpm soak`: the soak and fault-1 runner. It runs the BUILT processes (`tsc -b` first; `pnpm
 * soak` does that) and talks to them over HTTP and SMTP.
 *
 *   pnpm soak                                         # soak: 10 min at 50/s, worker restart every 60 s
 *   pnpm soak --duration 2 --restart-every 30         # a short soak
 *   pnpm soak --kills 100 --notifications 2000        # fault 1: SIGKILL the worker 100 times
 *
 * Writes packages/bench/soak-last-run.json. Exits 1 if any accepted notification is lost or a
 * final status changed, 2 on a usage or start-up error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_PACKAGE } from '../lib/paths';
import { sleep, stopAll } from '../lib/processes';
import { SoakApiClient } from './api-client';
import { elapsedS, log, sinceStart, startedAt } from './clock';
import { drain, recheck } from './drain';
import { soakFigures, type SoakResult } from './figures';
import { FinalStatuses } from './final-statuses';
import { parseSoakOptions, type SoakConfig } from './options';
import { printSoakReport } from './print-report';
import { mb, readRssKb, type RssSample } from './rss';
import { startSmtpCounter, type SmtpCounter } from './smtp-counter';
import { emulatorsPid, startSoakStack } from './stack';
import { faultTraffic, soakTraffic } from './traffic';
import { WorkerGenerations } from './worker-generations';

const RESULTS_FILE = path.join(BENCH_PACKAGE, 'soak-last-run.json');

/** What cleanup must release, filled in as the run starts things. */
const held: {
  timers: NodeJS.Timeout[];
  smtp?: SmtpCounter;
  dir?: string;
  keepDir: boolean;
} = { timers: [], keepDir: false };

async function run(config: SoakConfig): Promise<SoakResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-soak-'));
  held.dir = dir;
  log(`mode ${config.mode}; tmp dir ${dir}`);
  const smtp = await startSmtpCounter(config.smtpDelayMs);
  held.smtp = smtp;
  const { stack, token } = await startSoakStack({
    dir,
    persist: config.persist,
    smtpPort: smtp.port,
  });
  const api = new SoakApiClient(stack.apiUrl, token);
  const workers = new WorkerGenerations((launch) => stack.startWorker({}, launch));
  await workers.launch();
  log(
    `stack up: api ${stack.apiUrl} (pid ${stack.api.pid}), worker pid ${workers.current?.proc.pid}, smtp :${smtp.port}, emulators pid ${emulatorsPid(stack)}`,
  );

  // RSS every second; progress every 10 s.
  let phase = 'start';
  const rssSamples: RssSample[] = [];
  const sampleRss = () => {
    const worker = workers.current;
    rssSamples.push({
      t: sinceStart(),
      api: readRssKb(stack.api.pid),
      worker: worker?.proc.running() ? readRssKb(worker.proc.pid) : undefined,
      workerGen: worker?.n,
      emulators: readRssKb(emulatorsPid(stack)),
    });
  };
  sampleRss();
  const finals = new FinalStatuses();
  const rssTimer = setInterval(sampleRss, 1000);
  const progressTimer = setInterval(() => {
    const s = rssSamples.at(-1);
    const killsDone = workers.all.filter((w) => w.ended === 'SIGKILL').length;
    log(
      `${phase}: accepted ${api.accepted.length}, smtp sends ${smtp.sends} (${smtp.perId.size} ids), ` +
        `final seen ${finals.seen.size}, worker gen ${workers.current?.n} (kills ${killsDone}, sigterms ${workers.restarts.sigterm}), ` +
        `posts ${api.post.attempts} (retries ${api.post.retries}, net errs ${api.post.networkErrors}), ` +
        `rss api ${mb(s?.api)} worker ${mb(s?.worker)} emulators ${mb(s?.emulators)}`,
    );
  }, 10_000);
  held.timers.push(rssTimer, progressTimer);

  const watch = { done: false };
  const watcher = finals.watch(api, watch);
  phase = config.mode;
  if (config.mode === 'fault-1') await faultTraffic(config, api, workers);
  else await soakTraffic(config, api, workers);

  // The drain: the sweeper interval, then every accepted id final (or the deadline).
  phase = 'drain';
  const trafficEndedAt = sinceStart();
  await sleep(6_000);
  const last = await drain(api, finals, config.finalDeadlineSec);
  const drainedAt = sinceStart();
  watch.done = true;
  await watcher;
  phase = 'recheck';
  await recheck(api, finals);

  // Give the last SMTP sends (if any) a moment, then stop sampling.
  await sleep(1000);
  clearInterval(rssTimer);
  clearInterval(progressTimer);
  const finalWorker = workers.current;
  if (finalWorker) await workers.end(finalWorker, 'SIGTERM');

  const result = soakFigures({
    config,
    startedAt: startedAt(),
    elapsedSeconds: Number(elapsedS()),
    trafficEndedAt,
    drainedAt,
    accepted: api.accepted,
    acceptedSet: api.acceptedSet,
    last,
    finalSeen: finals.seen,
    regressions: finals.regressions,
    post: api.post,
    smtp,
    workers,
    finalWorker,
    rssSamples,
  });
  writeFileSync(RESULTS_FILE, await formatJson(result));
  printSoakReport(result, path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE);
  return result;
}

/** JSON formatted as prettier would (the repo's `prettier --check .` sees the file; git ignores it). */
async function formatJson(value: unknown): Promise<string> {
  const json = `${JSON.stringify(value, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    return await prettier.format(json, { parser: 'json' });
  } catch {
    return json; // unformatted JSON is still JSON
  }
}

let cleaned = false;
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  for (const timer of held.timers) clearInterval(timer);
  // The stack (workers and api first, they use the emulators and SMTP; then the emulators).
  await stopAll();
  await held.smtp?.close().catch(() => undefined);
  if (held.dir && !held.keepDir) rmSync(held.dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const options = parseSoakOptions(process.argv.slice(2));
  if (options.kind === 'help') {
    process.stdout.write(options.text);
    process.exit(0);
  }
  if (options.kind === 'usage-error') {
    process.stderr.write(`${options.message}\n`);
    process.exit(2);
  }
  held.keepDir = options.keepDir;
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping everything`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  let exitCode = 0;
  try {
    const result = await run(options.config);
    exitCode = result.lost > 0 || result.statusRegressions > 0 ? 1 : 0;
  } catch (err) {
    if (!interrupted) {
      process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      exitCode = 2;
    }
  } finally {
    if (!interrupted) {
      await cleanup();
      process.exit(exitCode);
    }
  }
}

void main();
