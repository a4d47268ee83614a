/**
 * Child processes for the benchmark and the soak: line-wise output, a short tail for error messages, an exit
 * promise, and RSS readings from /proc. Every process started here is registered so `stopAll`
 * can end them on the way out (also on Ctrl-C).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const children = new Set();

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident set size of a process in MB, from /proc (Linux); undefined once it has exited. */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return undefined;
  }
}

/** Machine-wide CPU time counters from /proc/stat (jiffies): total and stolen by the hypervisor. */
export function cpuCounters() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
    const n = fields.map(Number);
    return { total: n.slice(0, 8).reduce((a, b) => a + b, 0), steal: n[7] ?? 0, idle: n[3] + n[4] };
  } catch {
    return undefined;
  }
}

/**
 * Starts `node …execArgv file args…`; `onLine` sees every stdout/stderr line. Output is split into
 * lines only while someone listens (`onLine`, `waitForLine`): under load the api and worker log a
 * line per delivery, and parsing those in the harness would take CPU from what is measured.
 */
export function startNode(name, file, args, env, { onLine, execArgv = [] } = {}) {
  const child = spawn(process.execPath, [...execArgv, file, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let recent = ''; // the last few KB of output, for error messages
  const listeners = new Set();
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8').on('data', (chunk) => {
      recent = (recent + chunk).slice(-8192);
      if (!onLine && listeners.size === 0) {
        const end = chunk.lastIndexOf('\n');
        partial = end < 0 ? (partial + chunk).slice(-65536) : chunk.slice(end + 1);
        return;
      }
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines) {
        onLine?.(line);
        for (const l of listeners) l(line);
      }
    });
  }
  const tail = () => recent.split('\n').slice(-40).join('\n');
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  const proc = {
    name,
    pid: child.pid,
    tail,
    exited,
    running,
    /** Resolves with the first line matching `re`; rejects on timeout or exit. */
    waitForLine(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => done(new Error(`${name}: no line matching ${re} in ${timeoutMs} ms\n${tail()}`)),
          timeoutMs,
        );
        const onMatch = (line) => re.test(line) && done(undefined, line);
        const onExit = () => done(new Error(`${name} exited before ${re}:\n${tail()}`));
        listeners.add(onMatch);
        child.once('exit', onExit);
        function done(err, line) {
          clearTimeout(timer);
          listeners.delete(onMatch);
          child.off('exit', onExit);
          if (err) reject(err);
          else resolve(line);
        }
      });
    },
    /** SIGKILL at once (a crash, for fault runs). */
    async kill() {
      children.delete(proc);
      if (running()) child.kill('SIGKILL');
      return exited;
    },
    /** SIGTERM, then SIGKILL after `graceMs`. */
    async stop(graceMs = 10_000) {
      children.delete(proc);
      if (!running()) return exited;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  children.add(proc);
  return proc;
}

/** Runs `node file args…` to completion and resolves with its stdout; rejects on a non-zero exit. */
export function runNode(file, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    child.once('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${path.basename(file)} ${args.join(' ')} exited ${code}: ${err}`)),
    );
  });
}

/** Stops every process still running, the emulators last (the others use them). */
export async function stopAll() {
  const all = [...children];
  const isEmulator = (p) => p.name.startsWith('emulator');
  await Promise.all(all.filter((p) => !isEmulator(p)).map((p) => p.stop(8_000).catch(() => {})));
  await Promise.all(all.filter(isEmulator).map((p) => p.stop(5_000).catch(() => {})));
}
