import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import dynalite from 'dynalite';

export interface EmulatorOptions {
  /** dynalite keeps its tables under `<dataDir>/dynamodb`; in memory when absent. */
  dataDir?: string;
  /** 0 (the default) picks a free port. */
  dynamodbPort?: number;
  /** 0 (the default) picks a free port. */
  sqsPort?: number;
  /**
   * Start only this emulator (fault tests run dynalite and fauxqs as separate processes so one
   * can be killed alone). The other's endpoint is then the empty string.
   */
  only?: 'dynamodb' | 'sqs';
}

export interface Emulators {
  /** `http://127.0.0.1:<port>`, for the DynamoDB client's `endpoint` ('' with `only: 'sqs'`). */
  dynamodbEndpoint: string;
  /** `http://127.0.0.1:<port>`, for the SQS and SNS clients' `endpoint` ('' with `only: 'dynamodb'`). */
  sqsEndpoint: string;
  /** Closes both servers; dynalite flushes its store to disk first. Safe to call twice. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
// dynalite keeps a new table CREATING for 500 ms by default; tests and first starts wait on it.
const TABLE_STATE_MS = 50;

/**
 * Starts dynalite (DynamoDB) and fauxqs (SQS + SNS) in this process, bound to 127.0.0.1 only.
 * fauxqs keeps its queues in memory: they are gone after `stop`, so callers re-provision them
 * (ensureInfrastructure is idempotent). Rejects if either port is taken; nothing is left running.
 * fauxqs is ESM-only and loaded with a native import(), which jest's module sandbox cannot do:
 * tests run the emulators in a child process instead (startEmulatorsProcess).
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const dynamo = options.only === 'sqs' ? undefined : await startDynalite(options);
  let sqs: { port: number; close(): Promise<void> } | undefined;
  try {
    sqs = options.only === 'dynamodb' ? undefined : await startFauxqs(options.sqsPort ?? 0);
  } catch (err) {
    await dynamo?.close();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    dynamodbEndpoint: dynamo ? `http://${HOST}:${dynamo.port}` : '',
    sqsEndpoint: sqs ? `http://${HOST}:${sqs.port}` : '',
    stop() {
      stopping ??= Promise.all([sqs?.close(), dynamo?.close()]).then(() => undefined);
      return stopping;
    },
  };
}

async function startDynalite(options: EmulatorOptions) {
  let dbPath: string | undefined;
  if (options.dataDir !== undefined) {
    dbPath = path.join(options.dataDir, 'dynamodb');
    await mkdir(dbPath, { recursive: true });
  }
  const server = dynalite({
    ...(dbPath === undefined ? {} : { path: dbPath }),
    createTableMs: TABLE_STATE_MS,
    deleteTableMs: TABLE_STATE_MS,
    updateTableMs: TABLE_STATE_MS,
  });
  const port = await listen(server, options.dynamodbPort ?? 0);
  return { port, close: () => closeServer(server) };
}

async function startFauxqs(port: number) {
  // fauxqs is ESM-only; NodeNext keeps this a real import() in the CommonJS output.
  const { buildApp } = await import('fauxqs');
  // buildApp rather than startFauxqs: the latter always binds 0.0.0.0. Without a `host` option,
  // queue URLs use the request's Host header, i.e. this 127.0.0.1 endpoint.
  const app = buildApp({ logger: false });
  await app.listen({ port, host: HOST });
  const address = app.server.address() as AddressInfo;
  return { port: address.port, close: () => app.close() };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Clients' keep-alive sockets would otherwise hold the close open.
    server.closeIdleConnections();
  });
}
