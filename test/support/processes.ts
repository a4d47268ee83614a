import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const REPO = path.resolve(__dirname, '../..');
export const entry = (pkg: string) => path.join(REPO, 'packages', pkg, 'dist', 'main.js');

/** A Node process started from a built entry point, with its log lines kept for assertions. */
export interface RunningProcess {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the first log line matching `pattern`; rejects on exit or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL now, as a crash would; resolves on exit. */
  kill(): Promise<void>;
}

export function startProcess(file: string, args: string[], env: NodeJS.ProcessEnv): RunningProcess {
  const child = spawn(process.execPath, [file, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const l of listeners) l(line);
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const isRunning = () => child.exitCode === null && child.signalCode === null;

  return {
    child,
    lines,
    waitForLine(pattern, timeoutMs = 20_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            done(
              new Error(
                `no line matching ${pattern} in ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`,
              ),
            ),
          timeoutMs,
        );
        const onLine = (line: string) => pattern.test(line) && done(undefined, line);
        const onExit = () =>
          done(
            new Error(`${file} exited before logging ${pattern}:\n${lines.slice(-20).join('\n')}`),
          );
        listeners.add(onLine);
        child.once('exit', onExit);
        function done(err?: Error, line?: string) {
          clearTimeout(timer);
          listeners.delete(onLine);
          child.off('exit', onExit);
          if (err) reject(err);
          else resolve(line ?? '');
        }
      });
    },
    async stop(graceMs = 10_000) {
      if (!isRunning()) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (!isRunning()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs a command to completion and returns its output; rejects on a non-zero exit. */
export function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('exit', (code) =>
      code === 0
        ? resolve({ stdout, stderr })
        : reject(new Error(`${path.basename(file)} ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}
