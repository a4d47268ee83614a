/**
 * Fault 10, the whole stack restarts with notifications in flight: api, worker and emulators are
 * SIGKILLed while clients post and the worker sends; dynalite's tables are on disk, fauxqs comes
 * back empty (the test re-creates the queue under the same name). Everything answered 202 must
 * still be Delivered afterwards, through the sweeper.
 */
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import {
  clientFor,
  duplicates,
  email,
  figure,
  finalViews,
  recreateQueues,
  sleep,
} from './support/faults';

jest.setTimeout(60_000);

let stack: HeraldStack;

beforeAll(async () => {
  stack = await startHeraldStack({
    persistData: true,
    // Slow enough that sends are in flight when everything dies.
    smtp: { delayMs: 50 },
    workerEnv: { HERALD_SEND_TIMEOUT_MS: '10000', HERALD_WORKER_CONCURRENCY: '8' },
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe('fault 10: the whole stack restarts', () => {
  it('delivers everything accepted before the restart', async () => {
    const client = await clientFor(stack, 'restart');
    const accepted: string[] = [];
    let failed = 0;
    let posting = true;
    let n = 0;
    const posters = Array.from({ length: 8 }, async () => {
      while (posting) {
        const i = n++;
        try {
          accepted.push((await client.sendNotificationAsync(email(i) as never)).id);
        } catch {
          failed++;
          await sleep(50);
        }
      }
    });
    await sleep(2_000);
    const sentAtKill = stack.smtp.messages.length;
    const acceptedAtKill = accepted.length;
    stack.emulators.dynamodb.kill();
    await Promise.all([stack.api.kill(), stack.worker.kill()]);
    posting = false;
    await Promise.all(posters);
    const pendingAtKill = accepted.length - sentAtKill;

    await stack.restartEmulators('all');
    const urlBefore = stack.infra.queueUrl;
    const urlAfter = await recreateQueues(stack);
    await stack.restartApi();
    stack.worker = await stack.startWorker();
    const finals = await finalViews(client, accepted, 40_000);
    const delivered = finals.filter((f) => f.status === 'Delivered').length;
    const dup = duplicates(stack.smtp);
    figure(
      `fault 10 whole-stack restart: ${accepted.length} accepted (${acceptedAtKill} when killed, ~${pendingAtKill} not yet sent), ` +
        `${failed} POSTs failed during the kill, ${delivered} delivered after restart, ${accepted.length - delivered} lost, ` +
        `${dup} duplicate sends (kill between SMTP acceptance and the state write); queue URL ${urlAfter === urlBefore ? 'unchanged' : 'changed'}`,
    );
    expect(urlAfter).toBe(urlBefore);
    expect(pendingAtKill).toBeGreaterThan(0);
    // The whole view, so a failure shows how far each lost notification got.
    expect(finals.filter((f) => f.status !== 'Delivered')).toEqual([]);
    // Only sends cut short by the kill can repeat: at most the worker's concurrency.
    expect(dup).toBeLessThanOrEqual(8);
  });
});
