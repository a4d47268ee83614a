import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@herald/core';
import { FixedClock } from '@herald/core/testing';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { APNS_TOKEN_REFRESH_MS, createApnsTokenSource, readApnsKey } from './apns-token';
import { generateApnsKey } from './testing-apns';

const team = generateApnsKey();

function setup() {
  const clock = new FixedClock(new Date('2026-03-01T10:00:00.000Z'));
  const tokens = createApnsTokenSource({
    keyId: team.keyId,
    teamId: team.teamId,
    key: readApnsKey(team.pem),
    clock,
  });
  return { clock, tokens };
}

describe('createApnsTokenSource', () => {
  it('signs an ES256 token with kid, iss and iat that verifies with the team key', async () => {
    const { tokens } = setup();

    const token = await tokens.get();

    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: team.keyId });
    const { payload } = await jwtVerify(token, team.publicKey, {
      issuer: team.teamId,
      currentDate: new Date('2026-03-01T10:00:00.000Z'),
    });
    expect(payload).toEqual({ iss: team.teamId, iat: Date.parse('2026-03-01T10:00:00Z') / 1000 });
  });

  it('reuses the token until it is 50 minutes old, then signs a new one', async () => {
    const { clock, tokens } = setup();
    const first = await tokens.get();

    clock.advance(APNS_TOKEN_REFRESH_MS - 1);
    const stillFirst = await tokens.get();
    clock.advance(1);
    const second = await tokens.get();

    expect(stillFirst).toBe(first);
    expect(second).not.toBe(first);
    expect(APNS_TOKEN_REFRESH_MS).toBe(50 * 60_000);
  });

  it('shares one signing between concurrent callers', async () => {
    const { tokens } = setup();

    const all = await Promise.all([tokens.get(), tokens.get(), tokens.get()]);

    expect(new Set(all).size).toBe(1);
  });

  it('signs afresh after the current token is invalidated', async () => {
    const { tokens } = setup();
    const first = await tokens.get();

    tokens.invalidate(first);
    const second = await tokens.get();

    expect(second).not.toBe(first);
  });

  it('ignores the invalidation of a token already replaced', async () => {
    const { tokens } = setup();
    const first = await tokens.get();
    tokens.invalidate(first);
    const second = await tokens.get();

    tokens.invalidate(first);

    expect(await tokens.get()).toBe(second);
  });
});

describe('readApnsKey', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-apns-key-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes the PEM text or a path to the .p8 file', async () => {
    const path = join(dir, 'AuthKey.p8');
    await writeFile(path, team.pem);

    expect(readApnsKey(team.pem).asymmetricKeyType).toBe('ec');
    expect(readApnsKey(path).asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
  });

  it('refuses a missing file, a non-key and a key of another kind with CONFIG_INVALID', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const bad = '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----';

    const errors = [join(dir, 'missing.p8'), bad, rsa].map(errorOf);

    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['CONFIG_INVALID', 'APNS_PRIVATE_KEY: the .p8 file cannot be read'],
      ['CONFIG_INVALID', 'APNS_PRIVATE_KEY is not a PEM private key'],
      ['CONFIG_INVALID', 'APNS_PRIVATE_KEY must be a P-256 (ES256) key'],
    ]);
  });
});

function errorOf(pemOrPath: string): AppError {
  try {
    readApnsKey(pemOrPath);
  } catch (err) {
    if (err instanceof AppError) return err;
  }
  throw new Error('expected an AppError');
}
