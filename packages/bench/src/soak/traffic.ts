import { sleep } from '../lib/processes';
import type { SoakApiClient } from './api-client';
import { log } from './clock';
import type { SoakConfig } from './options';
import type { WorkerGenerations } from './worker-generations';

/** Fault 1: `notifications` posted by `concurrency` loops while the worker is SIGKILLed `kills` times. */
export async function faultTraffic(
  config: SoakConfig,
  api: SoakApiClient,
  workers: WorkerGenerations,
): Promise<void> {
  let next = 0;
  const posting = Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      for (let i = next++; i < config.notifications; i = next++) await api.postOne(i);
    }),
  ).then(() => log(`posting done: ${api.accepted.length} accepted`));
  for (let k = 0; k < config.kills; k++) {
    await sleep(200 + Math.random() * 1300);
    await restart(workers, 'SIGKILL');
  }
  log(`kills done: ${config.kills}`);
  await posting;
}

/**
 * Soak: posts at `rate` per second for `durationMin` minutes (at most 256 in flight; a request
 * due beyond that is counted as `behind` and skipped) while the worker restarts every
 * `restartEverySec`, every third time by SIGKILL, the others by SIGTERM.
 */
export async function soakTraffic(
  config: SoakConfig,
  api: SoakApiClient,
  workers: WorkerGenerations,
): Promise<void> {
  const endAt = Date.now() + config.durationMin * 60_000;
  let inFlight = 0;
  let i = 0;
  let restartN = 0;
  let restarting = Promise.resolve();
  const restartTimer = setInterval(() => {
    restarting = restarting.then(async () => {
      restartN++;
      const how = restartN % 3 === 0 ? 'SIGKILL' : 'SIGTERM';
      const stopMs = await restart(workers, how);
      log(
        `worker restart #${restartN} by ${how} (stop took ${stopMs} ms) → gen ${workers.current?.n}`,
      );
    });
  }, config.restartEverySec * 1000);
  const pending = new Set<Promise<unknown>>();
  const tickMs = 100;
  const trafficStart = Date.now();
  let issued = 0;
  while (Date.now() < endAt) {
    const tick = Date.now();
    // Paced by the clock, not by ticks, so timer drift does not lower the rate.
    const due = Math.floor(((tick - trafficStart) / 1000) * config.rate);
    while (issued < due) {
      issued++;
      if (inFlight >= 256) {
        api.post.behind++;
        continue;
      }
      inFlight++;
      const p: Promise<unknown> = api.postOne(i++).finally(() => {
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
  log(`traffic done: ${api.accepted.length} accepted`);
}

/** Ends the current worker generation `how`, starts the next; returns how long the stop took. */
async function restart(workers: WorkerGenerations, how: 'SIGKILL' | 'SIGTERM'): Promise<number> {
  const gen = workers.current;
  if (gen === undefined) throw new Error('no worker is running');
  await workers.end(gen, how);
  if (how === 'SIGKILL') workers.restarts.sigkill++;
  else workers.restarts.sigterm++;
  await workers.launch();
  return gen.stopMs ?? 0;
}
