/**
 * Test support for the api: the express app served on 127.0.0.1 with the core fakes behind it.
 * Import as `@herald/api/testing` (jest maps it to this file; the build leaves it out).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AppError,
  createAcceptNotification,
  createCancelNotification,
  silentLogger,
  type NotificationStore,
} from '@herald/core';
import {
  FixedClock,
  InMemoryNotificationStore,
  InMemoryQueue,
  InMemoryPreferenceStore,
  InMemoryRecipientStore,
  InMemoryTopicStore,
} from '@herald/core/testing';
import { createApp, type AppDeps } from './app';
import type { ClientIdentity, TokenVerifier } from './middleware/require-client-token';

/** A verifier that knows a fixed set of opaque tokens; anything else is `UNAUTHENTICATED`. */
export function fixedTokens(tokens: Record<string, ClientIdentity>): TokenVerifier {
  return {
    verify: (token) =>
      tokens[token]
        ? Promise.resolve(tokens[token])
        : Promise.reject(new AppError('UNAUTHENTICATED', 'token is invalid')),
  };
}

export interface TestApp {
  /** `http://127.0.0.1:<port>` */
  base: string;
  store: InMemoryNotificationStore;
  queue: InMemoryQueue;
  /** The recipient store behind `/v1/recipients` (unless `recipients` replaced it). */
  recipients: InMemoryRecipientStore;
  /** The preference store behind `…/preferences`, beside `recipients`. */
  preferences: InMemoryPreferenceStore;
  /** The topic store behind `/v1/topics` (its recipients are `recipients`). */
  topics: InMemoryTopicStore;
  clock: FixedClock;
  /** Closes the server and any open connections (long-polls included). */
  close(): Promise<void>;
}

/**
 * Serves `createApp` on a free port. Accept runs the real use case over in-memory fakes; any
 * dependency can be replaced, and `wrapAccept` (`wrapStore`) can put a fault in front of the real
 * use case (store).
 */
export async function startTestApp(
  deps: Partial<AppDeps> & {
    verifier: TokenVerifier;
    /** The clock accept uses; pass one when another dependency (a limiter) must share it. */
    clock?: FixedClock;
    wrapAccept?: (accept: AppDeps['accept']) => AppDeps['accept'];
    /** What accept and the app see in place of the in-memory store (which `store` still is). */
    wrapStore?: (store: NotificationStore) => NotificationStore;
  },
): Promise<TestApp> {
  const store = new InMemoryNotificationStore();
  const queue = new InMemoryQueue();
  const clock = deps.clock ?? new FixedClock();
  const seen = deps.wrapStore ? deps.wrapStore(store) : store;
  const recipients = new InMemoryRecipientStore();
  const preferences = new InMemoryPreferenceStore(recipients);
  const topics = new InMemoryTopicStore(recipients);
  const accept = createAcceptNotification({
    store: seen,
    queue,
    clock,
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  const { wrapAccept, wrapStore: _wrapStore, clock: _clock, ...overrides } = deps;
  const app = createApp({
    accept: wrapAccept ? wrapAccept(accept) : accept,
    // Topic sends are the fan-out's; a suite that sends to a topic passes its own.
    acceptTopicNotification: () =>
      Promise.reject(new AppError('UNAVAILABLE', 'topic sends are not wired in this test app')),
    cancel: createCancelNotification({ store: seen, clock, logger: silentLogger }),
    store: seen,
    logger: silentLogger,
    readiness: () => Promise.resolve({ ok: true, checks: {} }),
    recipients,
    preferences,
    topics,
    clock,
    ...overrides,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    queue,
    recipients,
    preferences,
    topics,
    clock,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
