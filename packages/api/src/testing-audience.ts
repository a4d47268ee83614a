/**
 * Test support for the recipient route suites: the app over the core fakes with four tokens, and
 * one way to call it.
 */
import type { ClientSettings } from '@herald/core';
import { fixedTokens, startTestApp, type TestApp } from './testing';

const BOTH = ['audience:read', 'audience:write'];

/**
 * `a.a.a` (client-a) and `b.b.b` (client-b) may read and change recipients; `r.r.r` (client-a)
 * may only read them; `n.n.n` (client-a) has the notification scopes only.
 */
const verifier = fixedTokens({
  'a.a.a': { clientId: 'client-a', scopes: BOTH },
  'b.b.b': { clientId: 'client-b', scopes: BOTH },
  'r.r.r': { clientId: 'client-a', scopes: ['audience:read'] },
  'n.n.n': { clientId: 'client-a', scopes: ['notifications:send', 'notifications:read'] },
});

/** client-a may use the Slack webhook `ops`. */
const settings: ClientSettings = {
  clientId: 'client-a',
  allowedSlackWebhooks: ['ops'],
  limits: {},
  version: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
};

export interface AudienceApp {
  readonly app: TestApp;
  /** Calls the app as `token` (default `a.a.a`) with `body` as JSON (or as is, when a string). */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; token?: string },
  ): Promise<Response>;
}

/** Registers `beforeEach`/`afterEach` hooks that serve a fresh app for every test of the file. */
export function useAudienceApp(): AudienceApp {
  let app: TestApp;

  beforeEach(async () => {
    app = await startTestApp({
      verifier,
      clientSettings: {
        get: (clientId) => Promise.resolve(clientId === 'client-a' ? settings : undefined),
      },
    });
  });

  afterEach(async () => {
    await app.close();
  });

  return {
    get app() {
      return app;
    },
    call(method, path, options = {}) {
      const { body, headers = {}, token = 'a.a.a' } = options;
      return fetch(`${app.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    },
  };
}
