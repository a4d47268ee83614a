/**
 * A real `moto_server` (Python's AWS emulator) in a child process, for the few integration tests
 * fauxqs cannot serve: SNS platform applications and endpoints. moto must be on PATH
 * (`pip install 'moto[server]'`). Exported from `@herald/providers/testing`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const STDERR_KEPT = 8_000;
const LISTENING = /Running on (http:\/\/127\.0\.0\.1:(\d+))/;

export interface MotoServer {
  /** `http://127.0.0.1:<port>`: the `endpoint` for any AWS SDK client (dummy credentials). */
  endpoint: string;
  port: number;
  process: ChildProcess;
  /**
   * What moto recorded as published to one SNS platform endpoint, keyed by MessageId (the raw
   * `Message` string), read from moto's `/moto-api/data.json`.
   */
  platformEndpointMessages(endpointArn: string): Promise<Record<string, string>>;
  /** Forgets every resource in every service (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited after 5 s. Resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `moto_server` on 127.0.0.1 and a port the OS picks, and resolves once it answers HTTP.
 * Rejects (with its stderr) if it exits first or is not ready within `timeoutMs` (30 s); the
 * child is killed then. moto answers any credentials and region; its account is 123456789012.
 */
export async function startMotoServer(
  opts: { command?: string; timeoutMs?: number } = {},
): Promise<MotoServer> {
  const timeoutMs = opts.timeoutMs ?? READY_TIMEOUT_MS;
  const child = spawn(opts.command ?? 'moto_server', ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    const endpoint = await listening(child, timeoutMs);
    await untilAnswering(endpoint, timeoutMs);
    return {
      endpoint,
      port: Number(new URL(endpoint).port),
      process: child,
      platformEndpointMessages: (arn) => platformEndpointMessages(endpoint, arn),
      reset: () => post(`${endpoint}/moto-api/reset`),
      stop: () => stopChild(child, exited),
    };
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
}

/**
 * Resolves with the URL werkzeug prints once its socket is bound. stderr stays drained for the
 * child's whole life: moto logs every request, and a full pipe would block it.
 */
function listening(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = '';
    const settle = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const fail = (why: string, cause?: unknown) => {
      settle();
      reject(new Error(`moto_server ${why}\n--- stderr ---\n${log}`, { cause }));
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited before it listened (code ${code}, signal ${signal})`);
    const onError = (err: Error) => fail(`could not be started (${err.message})`, err);
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs);
    child.once('exit', onExit);
    child.once('error', onError);
    let found = false;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      log = (log + chunk).slice(-STDERR_KEPT);
      const match = found ? null : LISTENING.exec(log);
      if (match?.[1] === undefined || match[2] === '0') return;
      found = true;
      settle();
      resolve(match[1]);
    });
  });
}

async function untilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      await res.body?.cancel();
      if (res.ok) return;
      lastError = new Error(`HTTP ${res.status}`);
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within ${timeoutMs} ms`, {
    cause: lastError,
  });
}

async function platformEndpointMessages(
  endpoint: string,
  arn: string,
): Promise<Record<string, string>> {
  const res = await fetch(`${endpoint}/moto-api/data.json`);
  if (!res.ok) throw new Error(`moto data.json answered ${res.status}`);
  const data = (await res.json()) as {
    sns?: { PlatformEndpoint?: { arn?: string; messages?: Record<string, string> }[] };
  };
  const found = data.sns?.PlatformEndpoint?.find((e) => e.arn === arn);
  if (found === undefined) throw new Error('moto has no such platform endpoint');
  return found.messages ?? {};
}

async function post(url: string): Promise<void> {
  const res = await fetch(url, { method: 'POST' });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
