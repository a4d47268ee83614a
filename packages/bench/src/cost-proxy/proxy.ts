/**
 * A counting HTTP reverse proxy for the benchmark's cost phase. It sits between Herald processes
 * and the emulators (dynalite for DynamoDB, fauxqs for SQS + SNS), forwards every request
 * unchanged, and counts the AWS calls made and the DynamoDB capacity they would consume on AWS,
 * including secondary index writes, which dynalite does not report.
 *
 * Write capacity is derived from item images: before each counted write the proxy reads the item
 * (consistently) from upstream, after it reads it again, and prices the difference with AWS's
 * sizing rules. Writes to one key are serialised so the images belong to that write. The image
 * reads and table descriptions are the proxy's own bookkeeping and are never counted.
 */
import http from 'node:http';
import { emptyCounters, snapshotOf, type CostSnapshot } from './counters';
import { handleDynamo } from './dynamo-read';
import { closeServer, createProxyServer, listen, parseEndpoint, urlOf } from './http';
import { handleQueue } from './queue';
import type { DynamoContext } from './table-schema';

// Below the 5 s keep-alive timeout of dynalite's plain node server: the agent drops an idle
// upstream socket before the server closes it under a request that is being sent.
const IDLE_UPSTREAM_SOCKET_MS = 4_000;

/** The emulators the proxy forwards to (plain http:// endpoints). */
export interface CostProxyUpstreams {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
}

/** A running cost proxy. */
export interface CostProxy {
  /** Point DynamoDB clients here. */
  dynamodbUrl: string;
  /** Point SQS and SNS clients here. */
  sqsUrl: string;
  /** Sets every counter back to zero. */
  reset(): void;
  /** The counters since the last reset, with totals. */
  snapshot(): CostSnapshot;
  /** Stops both listeners and their connections; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the two listeners on 127.0.0.1 (ephemeral ports). Point DynamoDB clients at
 * `dynamodbUrl` and SQS + SNS clients at `sqsUrl`.
 */
export async function startCostProxy({
  dynamodbEndpoint,
  sqsEndpoint,
}: CostProxyUpstreams): Promise<CostProxy> {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: 256,
    timeout: IDLE_UPSTREAM_SOCKET_MS,
  });
  const state = { counters: emptyCounters() };
  const dynamo: DynamoContext = {
    agent,
    state,
    upstream: parseEndpoint(dynamodbEndpoint),
    tables: new Map(),
    locks: new Map(),
  };
  const queue = { agent, state, upstream: parseEndpoint(sqsEndpoint) };

  const servers: http.Server[] = [];
  try {
    servers.push(await listen(createProxyServer((x) => handleDynamo(dynamo, x))));
    servers.push(await listen(createProxyServer((x) => handleQueue(queue, x))));
  } catch (err) {
    await Promise.all(servers.map(closeServer));
    agent.destroy();
    throw err;
  }
  const [dynamoServer, queueServer] = servers as [http.Server, http.Server];

  let closing: Promise<void> | undefined;
  return {
    dynamodbUrl: urlOf(dynamoServer),
    sqsUrl: urlOf(queueServer),
    reset() {
      state.counters = emptyCounters();
    },
    snapshot() {
      return snapshotOf(state.counters);
    },
    close() {
      closing ??= Promise.all(servers.map(closeServer)).then(() => agent.destroy());
      return closing;
    },
  };
}
