/**
 * Test support for the topic send suites: the app with its topics and recipients in a real
 * audience table on dynalite, and an `AcceptTopicNotification` fake that records every call. The
 * fake keeps the contract (404 for a topic the caller does not have, read from that table; replay
 * or `IDEMPOTENCY_MISMATCH` per client and key), which is all these suites rely on: what they
 * prove is the routes, not the accept use case.
 */
import { randomBytes } from 'node:crypto';
import {
  createDynamoRecipientStore,
  createDynamoTopicStore,
  ensureAudienceTable,
  type AwsClients,
} from '@herald/aws';
import { createEmulatorClients } from '@herald/aws/testing';
import {
  AppError,
  type AcceptTopicInput,
  type AcceptTopicNotification,
  type AcceptTopicResult,
  type TopicStore,
} from '@herald/core';
import { startEmulatorsProcess, type EmulatorsProcess } from '@herald/emulators';
import type { AppDeps } from './app';
import { fixedTokens, startTestApp, type TestApp } from './testing';

/**
 * `s.s.s` (client-a) and `b.b.b` (client-b) may send and manage topics; `w.w.w` (client-a) may
 * only manage them (no `notifications:send`).
 */
const verifier = fixedTokens({
  's.s.s': {
    clientId: 'client-a',
    scopes: ['notifications:send', 'audience:read', 'audience:write'],
  },
  'b.b.b': {
    clientId: 'client-b',
    scopes: ['notifications:send', 'audience:read', 'audience:write'],
  },
  'w.w.w': { clientId: 'client-a', scopes: ['audience:read', 'audience:write'] },
});

export interface TopicSendApp {
  readonly app: TestApp;
  readonly topics: TopicStore;
  /** Every call the routes made to the accept use case, in order. */
  readonly accepted: AcceptTopicInput[];
  /** Serves a new app (same table, fresh fake) with `overrides` for `createApp`. */
  restart(overrides: Partial<Omit<AppDeps, 'clock'>>): Promise<void>;
  /** Creates a topic for `clientId` directly in the table and returns its id. */
  createTopic(clientId: string): Promise<string>;
  /** POSTs `body` (JSON unless a string) to `path` as `token` (default `s.s.s`). */
  post(
    path: string,
    body: unknown,
    options?: { headers?: Record<string, string>; token?: string },
  ): Promise<Response>;
}

/**
 * Registers hooks: the emulators and an audience table once per file, a fresh app (and fake) per
 * test.
 */
export function useTopicSendApp(): TopicSendApp {
  let emulators: EmulatorsProcess;
  let clients: AwsClients;
  let topics: TopicStore;
  let app: TestApp;
  const tableName = `topic-send-${randomBytes(4).toString('hex')}`;
  const accepted: AcceptTopicInput[] = [];

  beforeAll(async () => {
    emulators = await startEmulatorsProcess({ only: 'dynamodb' });
    clients = createEmulatorClients(emulators);
    await ensureAudienceTable({ dynamodb: clients.dynamodb, tableName });
    topics = createDynamoTopicStore({ doc: clients.doc, tableName });
  });

  afterAll(async () => {
    clients?.dynamodb.destroy();
    clients?.sqs.destroy();
    clients?.sns.destroy();
    await emulators?.stop();
  });

  async function start(overrides: Partial<Omit<AppDeps, 'clock'>> = {}) {
    accepted.length = 0;
    app = await startTestApp({
      verifier,
      recipients: createDynamoRecipientStore({ doc: clients.doc, tableName }),
      topics,
      acceptTopicNotification: recordingAccept(topics, accepted),
      ...overrides,
    });
  }

  beforeEach(() => start());

  afterEach(async () => {
    await app.close();
  });

  return {
    get app() {
      return app;
    },
    get topics() {
      return topics;
    },
    accepted,
    async restart(overrides) {
      await app.close();
      await start(overrides);
    },
    async createTopic(clientId) {
      const topic = await topics.createTopic({
        clientId,
        topicId: crypto.randomUUID(),
        name: 'Ops',
        now: '2026-01-01T00:00:00.000Z',
      });
      return topic.topicId;
    },
    post(path, body, options = {}) {
      const { headers = {}, token = 's.s.s' } = options;
      return fetch(`${app.base}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
  };
}

/** The contract's behaviour, in memory: see the file comment. */
function recordingAccept(topics: TopicStore, calls: AcceptTopicInput[]): AcceptTopicNotification {
  const byKey = new Map<string, { request: string; result: AcceptTopicResult }>();
  let n = 0;
  return async (input) => {
    calls.push(input);
    if (!(await topics.getTopic(input.clientId, input.topicId))) {
      throw new AppError('NOT_FOUND', 'Topic not found');
    }
    const scope = `${input.clientId}\u0000${input.topicId}\u0000${input.idempotencyKey ?? ''}`;
    const request = JSON.stringify(input.request);
    const earlier = input.idempotencyKey === undefined ? undefined : byKey.get(scope);
    if (earlier !== undefined) {
      if (earlier.request !== request) {
        throw new AppError('IDEMPOTENCY_MISMATCH', 'Idempotency-Key was used for another body');
      }
      return { ...earlier.result, replayed: true };
    }
    n += 1;
    const result: AcceptTopicResult = {
      notification: {
        id: `ntf_${String(n).padStart(26, '0')}`,
        kind: 'topic',
        topicId: input.topicId,
        status: 'Pending',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      replayed: false,
    };
    if (input.idempotencyKey !== undefined) byKey.set(scope, { request, result });
    return result;
  };
}
