import { startNodeProcess, type NodeProcess, type NodeProcessOptions } from '@herald/local';

/**
 * The processes a bench or soak run started, so `stopAll` can end them on the way out (also on
 * Ctrl-C). A process leaves the registry when it is stopped or killed through `stop`/`kill`.
 */
const running = new Set<NodeProcess>();

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

/** Stops every registered process still running, the emulators last (the others use them). */
export async function stopAll(): Promise<void> {
  const all = [...running];
  const isEmulator = (p: NodeProcess) => p.name.startsWith('emulator');
  const stop = (p: NodeProcess, graceMs: number) => p.stop(graceMs).catch(() => undefined);
  await Promise.all(all.filter((p) => !isEmulator(p)).map((p) => stop(p, 8_000)));
  await Promise.all(all.filter(isEmulator).map((p) => stop(p, 5_000)));
}
