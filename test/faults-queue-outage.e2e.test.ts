/**
 * Fault 3, queue outage: fauxqs runs in its own process and is SIGKILLed for 30 s while clients
 * keep posting (failed enqueues, failed receives, lost in-queue messages). fauxqs keeps queues in memory, so
 * after it restarts on the same port the test re-creates the queue under the same name, as an
 * operator's `herald setup` would; the api and worker keep their clients and queue URL.
 */
import { writeFileSync } from 'node:fs';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import {
  clientFor,
  duplicates,
  email,
  figure,
  finalViews,
  post,
  readyz,
  recreateQueues,
  sendsPerId,
  sleep,
  until,
} from './support/faults';

jest.setTimeout(150_000);

const OUTAGE_MS = 30_000;

let stack: HeraldStack;

beforeAll(async () => {
  stack = await startHeraldStack({
    separateEmulators: true,
    // The sweeper re-enqueues a Pending notification 3 s after it was last touched.
    // A 10 s send timeout (the stack's 3 s is shorter than a send waits for a pooled SMTP
    // connection when the backlog drains at once; a timed-out send may still have gone out, and is
    // retried: a duplicate that has nothing to do with the queue outage).
    workerEnv: {
      HERALD_SWEEP_AFTER_SECONDS: '3',
      HERALD_SWEEP_INTERVAL_MS: '500',
      HERALD_SEND_TIMEOUT_MS: '10000',
    },
    apiEnv: { HERALD_SWEEP_AFTER_SECONDS: '3' },
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe('fault 3: the queue (fauxqs) goes away for 30 s and comes back empty', () => {
  it('delivers every notification answered 202, through the sweeper', async () => {
    const token = await stack.issueToken('queue-outage');
    const client = await clientFor(stack, 'queue-outage');
    const accepted: string[] = [];
    const refused: number[] = [];
    let posting = true;
    let n = 0;
    const poster = (async () => {
      while (posting) {
        const i = n++;
        const a = await post(stack.apiUrl, token, email(i), `q-${i}`).catch(() => undefined);
        if (a?.status === 202) accepted.push(a.body.id!);
        else refused.push(a?.status ?? 0);
        await sleep(40);
      }
    })();

    await sleep(1_500);
    const queueUrlBefore = stack.infra.queueUrl;
    stack.emulators.sqs.kill();
    const acceptedAtKill = accepted.length;
    await until(
      async () => (await readyz(stack.apiUrl)).checks.queue === 'unavailable',
      'readyz queue unavailable',
    );
    const readyDown = await readyz(stack.apiUrl);
    await sleep(OUTAGE_MS);
    const acceptedDuringOutage = accepted.length - acceptedAtKill;

    await stack.restartEmulators('sqs');
    const queueUrlAfter = await recreateQueues(stack);
    await until(async () => (await readyz(stack.apiUrl)).status === 200, 'readyz to recover');
    await sleep(1_500);
    posting = false;
    await poster;

    const finals = await finalViews(client, accepted, 90_000);
    const delivered = finals.filter((f) => f.status === 'Delivered').length;
    const lost = finals.filter((f) => f.status !== 'Delivered');
    figure(
      `fault 3 queue outage (${OUTAGE_MS / 1000} s): ${accepted.length} accepted ` +
        `(${acceptedDuringOutage} while fauxqs was down), ${refused.length} not accepted, ${delivered} delivered, ` +
        `${lost.length} lost, ${duplicates(stack.smtp)} duplicate sends; readyz during outage ${readyDown.status} ` +
        `table=${readyDown.checks.table} queue=${readyDown.checks.queue}; queue URL ${queueUrlAfter === queueUrlBefore ? 'unchanged' : `changed: ${queueUrlBefore} → ${queueUrlAfter}`}`,
    );

    const dupIds = [...sendsPerId(stack.smtp)].filter(([, c]) => c > 1).map(([id]) => id);
    if (dupIds.length > 0 && process.env.FAULTS_DEBUG)
      writeFileSync(
        '/tmp/fault3-dups.log',
        stack.worker.lines.filter((l) => dupIds.some((id) => l.includes(id))).join('\n'),
      );
    expect(queueUrlAfter).toBe(queueUrlBefore);
    expect(readyDown.checks).toEqual({ table: 'ok', queue: 'unavailable', audienceTable: 'ok' });
    expect(acceptedDuringOutage).toBeGreaterThan(0);
    expect(refused).toEqual([]);
    // One worker: its lease plus its in-flight guard mean a sweeper re-enqueue never sends twice.
    expect(dupIds).toEqual([]);
    expect(lost.map((f) => `${f.id} ${f.status}`)).toEqual([]);
  });
});
