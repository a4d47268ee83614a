import { startNodeProcess, type NodeProcess, type NodeProcessOptions } from '@herald/local';

/**
 * The processes a bench or soak run started, so `stopAll` can end them on the way out (also on
 * Ctrl-C). A process leaves the registry when it is stopped or killed through `stop`/`kill`.
 */
const running = new Set<NodeProcess>();

/** Anything with a `stop`, such as a Stack (its api, workers and emulators). */
interface Stoppable {
  stop(): Promise<void>;
}

/** Stacks (or stacks still starting) `stopAll` stops after the processes above. */
const stacks = new Set<Promise<Stoppable | undefined>>();

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** `startNodeProcess`, registered for `stopAll`; `stop` and `kill` take it off the registry. */
export function startTracked(
  name: string,
  file: string,
  options: NodeProcessOptions = {},
): NodeProcess {
  const proc = startNodeProcess(name, file, options);
  const tracked: NodeProcess = {
    ...proc,
    // The spread copies the getters' values once; these two change, so read them from proc.
    running: () => proc.running(),
    tail: () => proc.tail(),
    stop(graceMs?: number) {
      running.delete(tracked);
      return proc.stop(graceMs);
    },
    kill() {
      running.delete(tracked);
      return proc.kill();
    },
  };
  running.add(tracked);
  return tracked;
}

/**
 * Registers a stack as it starts (pass startStack's promise), so `stopAll` stops it too: once it
 * has started, if a signal comes while it starts. A stack that fails to start stops itself.
 */
export function stopWithAll<T extends Stoppable>(starting: Promise<T>): Promise<T> {
  stacks.add(starting.catch(() => undefined));
  return starting;
}

/**
 * Stops every registered process still running, then the stacks (their api and workers, then
 * their emulators, which the processes above may be using).
 */
export async function stopAll(): Promise<void> {
  const stop = (p: NodeProcess) => p.stop(8_000).catch(() => undefined);
  await Promise.all([...running].map(stop));
  const all = [...stacks];
  stacks.clear();
  await Promise.all(
    all.map(async (starting) => {
      await (await starting)?.stop().catch(() => undefined);
    }),
  );
}
