import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from './issue-token';
import {
  ensureSigningKey,
  keyFilePaths,
  listKeys,
  retireKey,
  writeNewSigningKey,
} from './key-files';
import { loadJwks, loadPrivateJwk } from './load-keys';
import { createTokenVerifier } from './token-verifier';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-keys-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

describe('writeNewSigningKey', () => {
  it('writes a private key only its owner can read and a JWKS without private parts', async () => {
    const kid = await writeNewSigningKey(join(dir, 'keys'));

    const paths = keyFilePaths(join(dir, 'keys'));
    expect((await stat(paths.signingKey)).mode & 0o777).toBe(0o600);
    const stored = (await readJson(paths.signingKey)) as Record<string, unknown>;
    expect(stored).toMatchObject({ kid, kty: 'EC' });
    expect(typeof stored.d).toBe('string');
    const jwks = (await readJson(paths.jwks)) as { keys: object[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid, alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('round-trips: a token signed with the stored key verifies against the stored JWKS', async () => {
    await writeNewSigningKey(dir);
    const paths = keyFilePaths(dir);
    const privateJwk = await loadPrivateJwk({ path: paths.signingKey });
    const { token } = await issueToken({
      privateJwk,
      clientId: 'svc',
      scopes: ['notifications:send'],
      ttlSeconds: 600,
      issuer: 'herald',
      audience: 'herald-api',
    });

    const verifier = createTokenVerifier({
      jwks: await loadJwks(paths.jwks),
      issuer: 'herald',
      audience: 'herald-api',
      isRevoked: () => false,
    });

    await expect(verifier.verify(token)).resolves.toMatchObject({ clientId: 'svc' });
  });

  it('keeps the old public keys when rotating, newest first', async () => {
    const first = await writeNewSigningKey(dir);

    const second = await writeNewSigningKey(dir);

    expect(await listKeys(dir)).toEqual([
      { kid: second, active: true },
      { kid: first, active: false },
    ]);
  });

  it('leaves no temp files behind', async () => {
    await writeNewSigningKey(dir);

    expect((await readdir(dir)).sort()).toEqual(['jwks.json', 'signing-key.json']);
  });
});

describe('ensureSigningKey', () => {
  it('creates a key the first time and reuses it afterwards', async () => {
    const first = await ensureSigningKey(dir);

    const second = await ensureSigningKey(dir);

    expect(first.created).toBe(true);
    expect(second).toEqual({ kid: first.kid, created: false });
    expect(await listKeys(dir)).toEqual([{ kid: first.kid, active: true }]);
  });

  it('puts the active public key back when jwks.json lost it', async () => {
    const { kid } = await ensureSigningKey(dir);
    await writeFile(keyFilePaths(dir).jwks, '{"keys":[]}');

    await ensureSigningKey(dir);

    expect(await listKeys(dir)).toEqual([{ kid, active: true }]);
  });
});

describe('retireKey', () => {
  it('removes a retired key from jwks.json', async () => {
    const old = await writeNewSigningKey(dir);
    const current = await writeNewSigningKey(dir);

    await retireKey(dir, old);

    expect(await listKeys(dir)).toEqual([{ kid: current, active: true }]);
  });

  it('refuses to retire the active key', async () => {
    const current = await writeNewSigningKey(dir);

    await expect(retireKey(dir, current)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await listKeys(dir)).toHaveLength(1);
  });

  it('reports a kid it does not know', async () => {
    await writeNewSigningKey(dir);

    await expect(retireKey(dir, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
