/**
 * The "Notes" of BENCHMARKS.md: for every target the run missed, what bounds it, with this run's
 * own numbers (CPU per request, calls per notification, profiles). Written from the results so a
 * new run never carries an old explanation.
 */
import type { DeepPartial, HttpFigure, ReportInput, TargetVerdict, WorkerRun } from './results';

type Results = NonNullable<ReportInput>;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const f2 = (v: unknown) => (isNum(v) ? v.toFixed(2) : '—');
const f1 = (v: unknown) => (isNum(v) ? v.toFixed(1) : '—');
const n0 = (v: unknown) => (isNum(v) ? Math.round(v).toLocaleString('en') : '—');
const perSecRuns = (fig: DeepPartial<{ runs: WorkerRun[] }> | undefined) =>
  (fig?.runs ?? []).map((run) => n0(run.perSec)).join(', ');

/**
 * Why half of peak requests/s is not half of the CPU: at peak many concurrent requests share each
 * batch call; evenly paced, most requests get a call of their own, so the AWS SDK's per-call work
 * is paid per request again. Says how busy that left the api's one core and the machine.
 */
function halfPeakCpu(
  peak: DeepPartial<HttpFigure> | undefined,
  half: DeepPartial<HttpFigure> | undefined,
  what: string,
): string {
  const atPeak = peak?.cpuMsPerRequest?.api;
  const atHalf = half?.cpuMsPerRequest?.api;
  if (!isNum(atHalf) || !half?.rate) {
    return 'Under load the emulators, the api and the load generator share two cores, so a tail request also waits for CPU.';
  }
  const coreBusy = (atHalf * half.rate) / 10;
  return (
    `At ${n0(half.rate)} req/s, half of peak, the api spent ${f2(atHalf)} ms of CPU per ` +
    `${what} (${f2(atPeak)} ms at peak, where concurrent requests share each batch call; evenly ` +
    `paced, most requests get a call of their own), so its one core was ${n0(coreBusy)} % busy ` +
    `and the machine ${n0(half.machineBusyPercent)} % (dynalite ` +
    `${f2(half.cpuMsPerRequest?.dynamodb)} ms per request; the load generator is most of the ` +
    `rest). ` +
    (coreBusy >= 70
      ? `Half of peak requests/s is nearly a full core for the api, so a request that arrives ` +
        `while it is busy waits in line: that queueing, not the store call, makes the tail.`
      : `The api's core had room; the tail is the wait for CPU on two cores shared by the api, ` +
        `both emulators and the load generator.`)
  );
}

const EXPLAIN: Readonly<Record<string, (r: Results) => string>> = {
  'Ingest vs bare SDK loop': (r) => {
    const cpu = r.http?.ingest?.cpuMsPerRequest ?? {};
    return (
      `Ingest vs S: S makes the same BatchWriteItem and SendMessageBatch calls with no HTTP server, ` +
      `no auth, no validation and no load generator on the machine. Herald's api used ` +
      `${f2(cpu.api)} ms of CPU per accepted request (dynalite ${f2(cpu.dynamodb)} ms, fauxqs ` +
      `${f2(cpu.sqs)} ms), so one api process tops out near ${n0(1000 / (cpu.api ?? NaN))} req/s on its one ` +
      `core, while autocannon and both emulators share the other. The api profile below shows ` +
      `where the time goes: node's HTTP server and socket writes, the AWS SDK's per-call work ` +
      `(already amortised over batches), express routing and body parsing, zod and pino. More ` +
      `cores (one api process per core behind a load balancer, as on AWS) lift this bound; the ` +
      `emulators' own CPU is then the limit, as it is for S.`
    );
  },
  'Ingest p99 at half of peak': (r) =>
    `Ingest p99 at half of peak: each accept waits for one AWS round trip, the BatchWriteItem ` +
    `that makes it durable (its SendMessageBatch follows the answer). Made one at a time on an ` +
    `otherwise idle stack, that call alone takes ${f1(r.floor?.ingest?.p50)} ms at the median ` +
    `and ${f1(r.floor?.ingest?.p99)} ms at p99 (the emulator floor above). ` +
    halfPeakCpu(r.http?.ingest, r.http?.ingestHalf, 'accepted request') +
    ` The load is open-loop (evenly paced, latency from when each request was due), so a pause ` +
    `in any process, a garbage collection in dynalite or the api say, counts against every ` +
    `request that arrives during it; a closed-loop tool with 50 connections would hide most of ` +
    `that.`,
  'Status GET vs bare HTTP': (r) =>
    `Status GET vs B: B answers a constant with no I/O (${n0(r.http?.B?.median?.rps)} req/s). A ` +
    `status GET verifies the token (cached), validates, reads the notification with a ` +
    `strongly consistent read (shared BatchGetItem calls), builds the view and its ETag: ` +
    `${f2(r.http?.statusGet?.cpuMsPerRequest?.api)} ms of api CPU per request at peak ` +
    `(dynalite ${f2(r.http?.statusGet?.cpuMsPerRequest?.dynamodb)} ms), with the machine ` +
    `${n0(r.http?.statusGet?.machineBusyPercent)} % busy. One AWS SDK call alone costs more CPU ` +
    `than a whole hello-world request, so 0.4 × B is out of reach for any handler that reads ` +
    `the store on every request. Final statuses never change and could be cached in the api; ` +
    `Pending ones cannot, and those are what frontends poll.`,
  'Status GET p99': (r) =>
    `Status GET p99: every request makes a strongly consistent read; alone on an idle stack it ` +
    `takes ${f1(r.floor?.statusRead?.p50)} ms at the median and ${f1(r.floor?.statusRead?.p99)} ` +
    `ms at p99 (the emulator floor above). ` +
    halfPeakCpu(r.http?.statusGet, r.http?.statusHalf, 'request'),
  'Worker vs bare loop': (r) =>
    `Worker vs bare loop: both make the same store calls per notification (see the call counts ` +
    `under Cost); Herald's worker also renews visibility for slow sends, logs each attempt (three ` +
    `JSON lines per notification), runs the sweeper and the callback consumer, and applies ` +
    `breakers and pacing. It drained ${n0(r.worker?.herald?.median?.perSec)} vs ` +
    `${n0(r.worker?.bare?.median?.perSec)} notifications/s (runs: ` +
    `${perSecRuns(r.worker?.herald)} vs ${perSecRuns(r.worker?.bare)}). The worker profile below shows ` +
    `where its CPU goes: the AWS SDK's per-call work and node's HTTP client, for two ` +
    `UpdateItem calls per notification that no batching can merge (each is conditional on its ` +
    `own item).`,
  'Worker vs sqs-consumer': (r) =>
    `Worker vs sqs-consumer: the sqs-consumer version makes the same store calls and deletes ` +
    `each message with its own DeleteMessage call (runs: ${perSecRuns(r.worker?.sqsConsumer)}); on ` +
    `these emulators the store calls, not the queue calls, bound all three workers, so the ` +
    `library's per-message deletes cost it little here. They would cost more against SQS, ` +
    `where every call is a network round trip and a billed request.`,
  'Hand-off p50': (r) =>
    `Hand-off: from the 202 the path is long-poll receive → claim (a conditional UpdateItem) → ` +
    `send. At ${n0(r.handoff?.rate)}/s, half of the end-to-end peak ` +
    `(${n0(r.handoff?.peaks?.endToEnd)}/s), ingest and delivery share the two cores with both ` +
    `emulators, the load generator and the sink; the worker's store calls wait for CPU, so ` +
    `deliveries hold worker slots longer and messages wait in the queue. The bound is CPU on two ` +
    `cores (see the worker profile below).`,
  'Hand-off p99': () => 'Hand-off p99: as for p50, with CPU contention at the tail.',
  'DynamoDB writes': (r) => {
    const c = r.cost?.perNotification ?? {};
    const byIndex = Object.entries(r.cost?.wcuByIndex ?? {})
      .map(([name, wcu]) => `${name} ${f2((wcu ?? NaN) / (r.cost?.notifications || 1))}`)
      .join(', ');
    return (
      `DynamoDB writes: ${f2(c.dynamoWcuTable)} WCU per notification on the table and ` +
      `${f2(c.dynamoWcuIndexes)} on its indexes (${byIndex}). The table part is the floor of the ` +
      `design: three state writes (accepted; claimed, the lease that makes delivery ` +
      `effectively-once; the final status) and, with a status topic, the clear of the owed ` +
      `status event once it is published (the outbox that makes events at-least-once), each at ` +
      `least one unit. The index part is the byClientStatus index, which projects the status so ` +
      `a listing filters on index entries and reads only the page's items: its entry is written ` +
      `at accept and rewritten once, when the status becomes final (2.00 per notification), and ` +
      `the sparse bySweep index: an entry put at accept so the sweeper finds lost messages, moved ` +
      `to an outbox shard by the final write (a delete and a put) and deleted when the event is ` +
      `published (4.00). That leaves a floor of 10 with a status topic (7 without one). Leaving ` +
      `the sweep entry where it is at the final write, and letting recovery tell an owed event ` +
      `from a lost message by the status, would save the move (8). A table set up before ` +
      `byClientStatus also keeps the byClient index it replaces (1 more per notification, 3 if ` +
      `projected ALL) until an operator deletes it (README, Upgrading).`
    );
  },
  'SQS requests': (r) => {
    const calls = r.cost?.calls ?? {};
    const sqs = Object.entries(calls)
      .filter(([k]) => k.startsWith('SQS.'))
      .map(([k, v]) => `${k.slice(4)} ${n0(v)}`)
      .join(', ');
    const tuned = r.costTuned;
    return (
      `SQS requests: ${sqs} for ${n0(r.cost?.notifications)} notifications at ` +
      `${n0(r.cost?.rate)}/s, evenly paced. At a trickle few messages share a call: a send ` +
      `waits at most HERALD_ENQUEUE_LINGER_MS (20 ms) for company, and a long poll returns as ` +
      `soon as one message is there (HERALD_RECEIVE_LINGER_MS, a pause after a short receive, ` +
      `is off by default: SQS can answer short while messages wait, and the pause would then ` +
      `slow a backlog's drain). When requests overlap they share calls: the same notifications ` +
      `posted as a burst by 50 connections cost ` +
      `${f2(r.costBurst?.perNotification?.sqsRequests)} SQS requests each` +
      (tuned
        ? `, and at the same steady rate with both lingers at ${n0(tuned.lingerMs)} ms ` +
          `${f2(tuned.perNotification?.sqsRequests)}, for a hand-off of ` +
          `${f1(tuned.handoff?.p50)} ms at the median and ${f1(tuned.handoff?.p99)} ms at p99 ` +
          `(default lingers: ${f1(r.cost?.handoff?.p50)} and ${f1(r.cost?.handoff?.p99)} ms; both ` +
          `through the counting proxy, which reads each item before and after every write, so ` +
          `they are slower than the hand-off figures above)`
        : '') +
      `. The lingers trade delivery latency for requests: at $0.40 per million requests the ` +
      `gap to 0.5 is about ` +
      `$${f2(((r.cost?.perNotification?.sqsRequests ?? 0.5) - 0.5) * 0.4)} per million ` +
      `notifications, so Herald's defaults favour latency; raise both where cost matters more.`
    );
  },
  'api memory': () =>
    'api memory: RSS under load is mostly V8 heap headroom: between collections the heap grows ' +
    'to a few times its live size. A heap cap trades that for CPU: in a separate run ' +
    '(2026-11-22, this machine) NODE_OPTIONS=--max-old-space-size=512 held the api near 120 MB ' +
    'but cost about 25 % more CPU per accepted request, so Herald ships uncapped; set the cap ' +
    'where memory is scarcer than CPU.',
  'worker memory': () =>
    'worker memory: the worker holds at most its 40 in-flight deliveries and loads only the ' +
    'provider SDKs its channels use; its live heap after a full collection is about 20 MB. The ' +
    'rest is V8 heap headroom: the old generation may grow to ' +
    '(1 + HERALD_WORKER_HEAP_GROWTH_PERCENT / 100) × the live heap between full collections ' +
    '(default 100 %, about 150–160 MB RSS at peak; 0 restores V8’s own factor, up to 4, and ' +
    'about 210–220 MB), plus 32 MB of young generation and about 65 MB outside the heap (the ' +
    'node binary, malloc, thread stacks).',
  'Fan-out creation vs bare loop': () =>
    'Fan-out creation vs bare loop: the bare loop keeps 16 PutItem calls in flight with nothing ' +
    'else to do; the fan-out keeps 16 in flight too (a pool), reads the next page of subscribers ' +
    'and their profiles meanwhile, but also checks the page against the suppression list, ' +
    'enqueues the children and records each page, and the same worker, on the same two cores ' +
    'and the same single-threaded dynalite, is already delivering the children it enqueued (24 ' +
    'bulk slots: a claim, a preferences read and a final write each). Creation cannot use a ' +
    'batch write: only a conditional PutItem guarantees that a page done twice never resets a ' +
    'child a worker already moved.',
  'Fan-out vs worker': () =>
    'Fan-out vs worker: a child costs more than a direct send to an address: besides the claim ' +
    'and the final write, its recipient’s preferences are read at send time (quiet hours, an ' +
    'opt-out made since), and its creation (a conditional PutItem, an enqueue) shares the same ' +
    'emulator; the Worker phase’s notifications were created by the api before it started.',
  'Queue wait during fan-out': () =>
    'Queue wait during fan-out: children travel on the bulk queue, which holds at most ' +
    'HERALD_BULK_MAX_SHARE of the worker’s slots, so a direct notification waits only for a ' +
    'free slot of its own share; a miss means the transactional share itself was busy.',
  'api memory under backlog': () =>
    'api memory under backlog: the api holds no per-notification state; growth is V8 heap ' +
    'headroom under sustained load, not the backlog (the api never reads the queue).',
  'worker memory under backlog': () =>
    'worker memory under backlog: the worker holds at most its 40 in-flight messages; growth is ' +
    'V8 heap headroom under sustained load.',
};

/** One note per missed target (`met: false`), in the targets' order. */
export function explainMisses(
  results: Results,
  targets: readonly (Pick<TargetVerdict, 'name' | 'met'> & Partial<TargetVerdict>)[],
): string[] {
  const notes: string[] = [];
  for (const t of targets) {
    if (t.met !== false) continue;
    const explain = EXPLAIN[t.name];
    notes.push(explain ? explain(results) : `${t.name}: missed (${t.value}).`);
  }
  return notes;
}
