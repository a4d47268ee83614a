import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '@herald/core';
import { formatLogLine } from './log-line';

export interface SupervisedProcess {
  readonly name: string;
  pid(): number | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. No restart after. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Runs a Node entry point as a child process, relays its log lines as readable lines named after
 * it (see formatLogLine), and restarts it (after a second) if it dies unexpectedly, so a crashed
 * worker never stalls the local stack.
 */
export function supervise(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): SupervisedProcess {
  let child: ChildProcess | undefined;
  let stopping = false;

  function launch(): void {
    const proc = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    for (const stream of [proc.stdout, proc.stderr]) {
      createInterface({ input: stream }).on('line', (line) =>
        process.stdout.write(`${formatLogLine(name, line)}\n`),
      );
    }
    proc.once('exit', (code, signal) => {
      if (stopping) return;
      logger.warn(
        { process: name, code, signal },
        'process exited unexpectedly; restarting in 1 s',
      );
      setTimeout(() => {
        if (!stopping) launch();
      }, 1_000);
    });
  }

  launch();
  return {
    name,
    pid: () => child?.pid,
    stop(graceMs: number): Promise<void> {
      stopping = true;
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const killer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        proc.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        proc.kill('SIGTERM');
      });
    },
  };
}
