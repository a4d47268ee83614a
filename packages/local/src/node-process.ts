import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** How a process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface NodeProcessOptions {
  args?: readonly string[];
  /** Added to this process's environment; a value of `undefined` leaves the inherited one. */
  env?: NodeJS.ProcessEnv;
  /** Node flags before the entry point (`--cpu-prof`, …). */
  execArgv?: readonly string[];
  /** Sees every stdout and stderr line. */
  onLine?: (line: string) => void;
  /**
   * Keep every output line in `lines` (tests assert on logs). Off: lines are split only while
   * someone listens (`onLine`, `waitForLine`), because under load the api and worker log a line
   * per delivery and splitting them would take CPU from what a benchmark measures.
   */
  keepLines?: boolean;
}

/** A Node entry point running as a child process. */
export interface NodeProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  /** Every output line so far, with `keepLines`; empty otherwise. */
  readonly lines: string[];
  /** The last few KB of output, for error messages. */
  tail(): string;
  readonly exited: Promise<ProcessExit>;
  running(): boolean;
  /**
   * Resolves with the first line matching `pattern` (already kept ones count, with `keepLines`);
   * rejects, with the output's tail, when the process exits first or after `timeoutMs`.
   */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, SIGKILL after `graceMs` (default 10 s); resolves once it has exited. */
  stop(graceMs?: number): Promise<ProcessExit>;
  /** SIGKILL now, as a crash would; resolves once it has exited. */
  kill(): Promise<ProcessExit>;
}

const TAIL_CHARS = 8_192;
const PARTIAL_LINE_CHARS = 65_536;

/** Starts `node …execArgv file …args` with piped output. */
export function startNodeProcess(
  name: string,
  file: string,
  options: NodeProcessOptions = {},
): NodeProcess {
  const child = spawn(
    process.execPath,
    [...(options.execArgv ?? []), file, ...(options.args ?? [])],
    {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  let recent = '';
  const splitting = () =>
    options.keepLines === true || options.onLine !== undefined || listeners.size > 0;
  const emit = (line: string) => {
    if (options.keepLines) lines.push(line);
    options.onLine?.(line);
    for (const listener of listeners) listener(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      recent = (recent + chunk).slice(-TAIL_CHARS);
      if (!splitting()) {
        const end = chunk.lastIndexOf('\n');
        partial = end < 0 ? (partial + chunk).slice(-PARTIAL_LINE_CHARS) : chunk.slice(end + 1);
        return;
      }
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) emit(line);
    });
    stream.on('end', () => {
      if (partial !== '' && splitting()) emit(partial);
      partial = '';
    });
  }
  const tail = () => recent.split('\n').slice(-40).join('\n');
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = () => child.exitCode === null && child.signalCode === null;

  return {
    name,
    child,
    pid: child.pid,
    lines,
    tail,
    exited,
    running,
    waitForLine(pattern, timeoutMs = 30_000) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            done(new Error(`${name}: no line matching ${pattern} in ${timeoutMs} ms\n${tail()}`)),
          timeoutMs,
        );
        const onLine = (line: string) => {
          if (pattern.test(line)) done(undefined, line);
        };
        const onExit = () =>
          done(new Error(`${name} exited before logging ${pattern}:\n${tail()}`));
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
      if (!running()) return exited;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
    async kill() {
      if (running()) child.kill('SIGKILL');
      return exited;
    },
  };
}

/**
 * Runs `node file …args` to completion and resolves with its output; rejects with its stderr on
 * a non-zero exit.
 */
export function runNode(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('exit', (code) =>
      code === 0
        ? resolve({ stdout, stderr })
        : reject(new Error(`${path.basename(file)} ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}
