import path from 'node:path';
import { startNodeProcess } from '../node-process';
import type { NodeProcess } from '../node-process';
import { formatLogLine } from '../log-line';
import type { OutputMode } from './stack-options';

/** A built Herald entry point. */
export type HeraldEntry = 'api' | 'worker' | 'cli' | 'local';

// packages/local/{src,dist}/stack → packages/
const PACKAGES = path.resolve(__dirname, '../../..');

/** `packages/<name>/dist/main.js`: run `tsc -b` first. */
export function heraldEntry(name: HeraldEntry): string {
  return path.join(PACKAGES, name, 'dist', 'main.js');
}

/** Per launch: Node flags, a line listener (soak counts a worker's deliveries), a name. */
export interface LaunchOptions {
  execArgv?: readonly string[];
  onLine?: (line: string) => void;
  /** Names the process in errors and relayed lines (default `api` / `worker`). */
  name?: string;
}

/** Starts the built api or worker with `env` (laid over this process's environment). */
export function launchHerald(
  kind: 'api' | 'worker',
  env: NodeJS.ProcessEnv,
  output: OutputMode,
  launch: LaunchOptions = {},
): NodeProcess {
  const name = launch.name ?? kind;
  const relay =
    output === 'relay'
      ? (line: string) => process.stdout.write(`${formatLogLine(name, line)}\n`)
      : undefined;
  const listeners = [relay, launch.onLine].filter((l) => l !== undefined);
  return startNodeProcess(name, heraldEntry(kind), {
    env,
    keepLines: output === 'keep',
    ...(launch.execArgv === undefined ? {} : { execArgv: launch.execArgv }),
    ...(listeners.length === 0
      ? {}
      : { onLine: (line: string) => listeners.forEach((listener) => listener(line)) }),
  });
}

/** Resolves with the port the api logged it listens on; rejects if it exits first or in 30 s. */
export async function apiListening(api: NodeProcess): Promise<number> {
  const line = await api.waitForLine(/herald api listening/);
  const port = (JSON.parse(line) as { port?: unknown }).port;
  if (typeof port !== 'number') throw new Error(`${api.name} logged no port: ${line}`);
  return port;
}

/** Resolves once the worker logged that it started; rejects if it exits first or in 30 s. */
export async function workerStarted(worker: NodeProcess): Promise<void> {
  await worker.waitForLine(/herald worker started/);
}
