/**
 * Test support for the app suites (`app-*.test.ts`): the express app on 127.0.0.1 over the core
 * fakes, behind a store that can be switched off, with three opaque tokens.
 */
import { AppError } from '@herald/core';
import type { InMemoryNotificationStore, InMemoryQueue } from '@herald/core/testing';
import type { ClientIdentity } from './middleware/require-client-token';
import { fixedTokens, startTestApp, type TestApp } from './testing';

/** `a.a.a` and `b.b.b`: two clients with both scopes; `r.r.r`: client-a, read only. */
const verifier = fixedTokens({
  'a.a.a': { clientId: 'client-a', scopes: ['notifications:send', 'notifications:read'] },
  'b.b.b': { clientId: 'client-b', scopes: ['notifications:send', 'notifications:read'] },
  'r.r.r': { clientId: 'client-a', scopes: ['notifications:read'] },
} satisfies Record<string, ClientIdentity>);

/** The app of the current test; fresh for every test. */
export interface FlakyStoreApp {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly store: InMemoryNotificationStore;
  readonly queue: InMemoryQueue;
  /** While true, every store call rejects `UNAVAILABLE` and readiness reports the table down. */
  storeDown: boolean;
  /** POSTs `body` (JSON unless a string) to /v1/notifications as `token` (default `a.a.a`). */
  post(body: unknown, headers?: Record<string, string>, token?: string): Promise<Response>;
  /** GETs `path` as `token` (default `a.a.a`). */
  get(path: string, token?: string, headers?: Record<string, string>): Promise<Response>;
}

/** Registers `beforeEach`/`afterEach` hooks that serve a fresh app for every test of the file. */
export function useFlakyStoreApp(): FlakyStoreApp {
  let app: TestApp;

  const ctx: FlakyStoreApp = {
    get base() {
      return app.base;
    },
    get store() {
      return app.store;
    },
    get queue() {
      return app.queue;
    },
    storeDown: false,
    post,
    get,
  };

  beforeEach(async () => {
    ctx.storeDown = false;
    app = await startTestApp({
      verifier,
      wrapStore: (store) =>
        new Proxy(store, {
          get(target, prop, receiver) {
            const value = Reflect.get(target, prop, receiver) as unknown;
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) =>
              ctx.storeDown
                ? Promise.reject(new AppError('UNAVAILABLE', 'store down'))
                : (value as (...a: unknown[]) => unknown).apply(target, args);
          },
        }),
      readiness: () =>
        Promise.resolve({
          ok: !ctx.storeDown,
          checks: { table: ctx.storeDown ? 'unavailable' : 'ok', queue: 'ok' },
        }),
    });
  });

  afterEach(async () => {
    await app.close();
  });

  function post(body: unknown, headers: Record<string, string> = {}, token = 'a.a.a') {
    return fetch(`${app.base}/v1/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  function get(path: string, token = 'a.a.a', headers: Record<string, string> = {}) {
    return fetch(`${app.base}${path}`, {
      headers: { authorization: `Bearer ${token}`, ...headers },
    });
  }

  return ctx;
}
