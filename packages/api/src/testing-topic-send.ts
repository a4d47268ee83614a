/**
 * Test support for the topic send suites: the app with its topics and recipients in a real
 * audience table on dynalite, and the recording `AcceptTopicNotification` fake
 * (`testing-topic-accept.ts`) reading topics from that table.
 */
import { randomBytes } from 'node:crypto';
import {
  createDynamoRecipientStore,
  createDynamoTopicStore,
  ensureAudienceTable,
  type AwsClients,
} from '@herald/aws';
import { createEmulatorClients } from '@herald/aws/testing';
import type { AcceptTopicInput, TopicStore } from '@herald/core';
import { startEmulatorsProcess, type EmulatorsProcess } from '@herald/emulators';
import type { AppDeps } from './app';
import { fixedTokens, startTestApp, type TestApp } from './testing';
import { recordingAccept } from './testing-topic-accept';

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
