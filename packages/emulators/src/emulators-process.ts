import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

// Resolves from src/ (jest) and from dist/ alike.
const MAIN = path.resolve(__dirname, '../dist/emulators-main.js');
const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
const STDERR_KEPT = 8_000;

/** Where the emulators listen: `http://127.0.0.1:<port>`, or '' for one not started. */
export interface EmulatorEndpoints {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
}

export interface EmulatorsProcess extends EmulatorEndpoints {
  process: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited after 5 s. Resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash would. */
  kill(): void;
  /**
   * Starts a new emulators process with the same options, on the same ports (and data dir):
   * call after `stop`/`kill`. fauxqs keeps queues in memory, so re-create them afterwards.
   */
  restart(): Promise<EmulatorsProcess>;
}

export interface EmulatorsProcessOptions {
  /** dynalite persists under `<dataDir>/dynamodb`; in memory when absent. */
  dataDir?: string;
  /** 0 or absent: any free port. */
  dynamodbPort?: number;
  sqsPort?: number;
  /** Start only dynalite or only fauxqs; the other endpoint is then ''. */
  only?: 'dynamodb' | 'sqs';
}

/**
 * Runs `dist/emulators-main.js` (`tsc -b` first) in a child process and resolves once it reports
 * ready. Rejects (with its stderr) if it exits first or is not ready within 20 s; the child is
 * killed then.
 */
export async function startEmulatorsProcess(
  options: EmulatorsProcessOptions = {},
): Promise<EmulatorsProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx tsc -b packages/local\``);
  const child = spawn(process.execPath, [MAIN], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      HERALD_DATA_DIR: options.dataDir ?? '',
      HERALD_DYNAMODB_PORT: String(options.dynamodbPort ?? 0),
      HERALD_SQS_PORT: String(options.sqsPort ?? 0),
      HERALD_EMULATORS_ONLY: options.only ?? '',
    },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const endpoints = await readyLine(child, () => stderr);
    const portOf = (endpoint: string) => (endpoint === '' ? 0 : Number(new URL(endpoint).port));
    return {
      ...endpoints,
      process: child,
      stop: () => stopChild(child, exited),
      kill: () => child.kill('SIGKILL'),
      restart: async () => {
        await exited;
        return startEmulatorsProcess({
          ...options,
          dynamodbPort: portOf(endpoints.dynamodbEndpoint),
          sqsPort: portOf(endpoints.sqsEndpoint),
        });
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
}

function readyLine(child: ChildProcess, stderr: () => string): Promise<EmulatorEndpoints> {
  const stdout = child.stdout;
  if (stdout === null) return Promise.reject(new Error('emulators stdout is not piped'));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    const settle = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.close();
      // readline pauses its input on close; keep draining so the child never blocks on stdout.
      stdout.resume();
    };
    const fail = (why: string) => {
      settle();
      reject(new Error(`emulators ${why}\n--- stderr ---\n${stderr()}`));
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited before ready (code ${code}, signal ${signal})`);
    const timer = setTimeout(
      () => fail(`not ready after ${READY_TIMEOUT_MS} ms`),
      READY_TIMEOUT_MS,
    );
    child.once('exit', onExit);
    lines.once('line', (line) => {
      settle();
      const ready = parseReady(line);
      if (ready === undefined) fail(`printed an unexpected first line: ${line}`);
      else resolve(ready);
    });
  });
}

function parseReady(line: string): EmulatorEndpoints | undefined {
  try {
    const ready = JSON.parse(line) as {
      ready?: unknown;
      dynamodbEndpoint?: unknown;
      sqsEndpoint?: unknown;
    };
    const { dynamodbEndpoint, sqsEndpoint } = ready;
    if (
      ready.ready !== true ||
      typeof dynamodbEndpoint !== 'string' ||
      typeof sqsEndpoint !== 'string'
    ) {
      return undefined;
    }
    return { dynamodbEndpoint, sqsEndpoint };
  } catch {
    return undefined;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
