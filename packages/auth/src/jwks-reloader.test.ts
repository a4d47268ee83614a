import { FixedClock } from '@herald/core/testing';
import { issueToken } from './issue-token';
import { createJwksReloader } from './jwks-reloader';
import type { Jwks } from './jwk-shape';
import { generateSigningKey } from './signing-keys';
import type { SigningKey } from './signing-keys';
import { createTokenVerifier } from './token-verifier';

const ISSUER = 'herald';
const AUDIENCE = 'herald-api';
const T0 = new Date('2026-01-01T00:00:00.000Z');

let active: SigningKey;
let retired: SigningKey;
let added: SigningKey;

beforeAll(async () => {
  [active, retired, added] = await Promise.all([
    generateSigningKey(),
    generateSigningKey(),
    generateSigningKey(),
  ]);
});

/** Stands in for the JWKS file: what `load` returns is whatever the test last wrote. */
class FakeJwksFile {
  loads = 0;
  failing = false;
  constructor(public jwks: Jwks) {}
  load = (): Promise<Jwks> => {
    this.loads += 1;
    return this.failing ? Promise.reject(new Error('EACCES')) : Promise.resolve(this.jwks);
  };
}

function setup(keys: SigningKey[]) {
  const file = new FakeJwksFile({ keys: keys.map((k) => k.publicJwk) });
  const clock = new FixedClock(T0);
  const reloader = createJwksReloader({
    initial: file.jwks,
    load: file.load,
    refreshMs: 60_000,
    unknownKidIntervalMs: 10_000,
    clock,
  });
  const verifier = createTokenVerifier({
    jwks: reloader,
    issuer: ISSUER,
    audience: AUDIENCE,
    isRevoked: () => false,
    clock,
  });
  return { file, clock, reloader, verifier };
}

async function tokenFrom(key: SigningKey): Promise<string> {
  const issued = await issueToken({
    privateJwk: key.privateJwk,
    clientId: 'billing-service',
    scopes: ['notifications:send'],
    ttlSeconds: 3600,
    issuer: ISSUER,
    audience: AUDIENCE,
    now: T0,
  });
  return issued.token;
}

describe('a token verifier over a reloading JWKS', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('stops accepting a retired key after the next periodic reload, cached tokens included', async () => {
    const { file, reloader, verifier } = setup([active, retired]);
    reloader.start();
    const token = await tokenFrom(retired);
    await verifier.verify(token);

    file.jwks = { keys: [active.publicJwk] };
    await jest.advanceTimersByTimeAsync(60_000);

    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verify(await tokenFrom(active))).resolves.toBeDefined();
    // The periodic reload, then one more for the kid that is now unknown (it is still gone).
    expect(file.loads).toBe(2);
    reloader.stop();
  });

  it('accepts a key added to the file on its first token, without waiting for the period', async () => {
    const { file, verifier } = setup([active]);
    file.jwks = { keys: [added.publicJwk, active.publicJwk] };

    const client = await verifier.verify(await tokenFrom(added));

    expect(client.clientId).toBe('billing-service');
    expect(file.loads).toBe(1);
  });

  it('reloads once for a burst of tokens with an unknown kid, then again only after 10 s', async () => {
    const { file, clock, verifier } = setup([active]);
    const stranger = await tokenFrom(added);

    const burst = await Promise.allSettled(
      Array.from({ length: 20 }, () => verifier.verify(stranger)),
    );
    const later = await Promise.allSettled([verifier.verify(stranger)]);
    clock.advance(10_000);
    await verifier.verify(stranger).catch(() => undefined);

    expect(burst.every((r) => r.status === 'rejected')).toBe(true);
    expect(later[0]?.status).toBe('rejected');
    expect(file.loads).toBe(2);
  });

  it('keeps the last key set when a reload fails', async () => {
    const { file, reloader, verifier } = setup([active]);
    reloader.start();
    file.failing = true;

    await jest.advanceTimersByTimeAsync(60_000);

    await expect(verifier.verify(await tokenFrom(active))).resolves.toBeDefined();
    expect(file.loads).toBe(1);
    reloader.stop();
  });
});
