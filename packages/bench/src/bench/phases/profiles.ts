import { readdirSync } from 'node:fs';
import path from 'node:path';
import { runLoad } from '../../load/run-load';
import type { BenchContext } from '../context';
import { postLoad } from '../loads';
import { summariseProfile } from '../profile';
import { fillBacklog, purgeQueue } from '../queue';
import { startHeraldWorker, stopWorkerAndSettle } from '../worker-variants';

/** The one profile node --cpu-prof wrote into `dir`, summarised. */
function summary(dir: string): string {
  const file = readdirSync(dir).sort()[0];
  if (file === undefined) throw new Error(`no CPU profile in ${dir}`);
  return summariseProfile(path.join(dir, file), { top: 20 });
}

/** CPU profile of the api under ingest load, to show where its time goes. */
export async function profileIngest(ctx: BenchContext): Promise<void> {
  const profileDir = path.join(ctx.dir, 'profiles');
  const profiled = await ctx.stack.startApi(
    {},
    { execArgv: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] },
  );
  try {
    await runLoad(postLoad(ctx, profiled.url));
  } finally {
    await profiled.process.stop();
    await purgeQueue(ctx);
  }
  ctx.results.profiles.push({
    title: 'api CPU profile under ingest load (node --cpu-prof, self time)',
    text: summary(profileDir),
  });
}

/** CPU profile of the worker draining a backlog. */
export async function profileWorker(ctx: BenchContext): Promise<void> {
  const profileDir = path.join(ctx.dir, 'worker-profiles');
  const n = ctx.settings.workerMessages;
  await fillBacklog(ctx, n);
  ctx.sink.reset();
  const profiled = await startHeraldWorker(ctx, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
  try {
    await ctx.sink.waitFor(n, 300_000);
  } finally {
    await stopWorkerAndSettle(ctx, profiled);
  }
  ctx.results.profiles.push({
    title: `worker CPU profile draining ${n.toLocaleString('en')} notifications (self time)`,
    text: summary(profileDir),
  });
}
