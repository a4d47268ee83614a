import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTokenVerifier,
  generateSigningKey,
  keyFilePaths,
  loadJwks,
  writeNewSigningKey,
} from '@herald/auth';
import { InMemoryRevocationStore, runCli } from '../testing';

const NOW = new Date('2026-03-01T12:00:00.000Z');
let dir: string;
let env: Record<string, string>;
let store: InMemoryRevocationStore;
let closed: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-cli-'));
  env = { HERALD_DATA_DIR: join(dir, 'data') };
  store = new InMemoryRevocationStore();
  closed = 0;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cli(argv: string[]) {
  return runCli(argv, {
    env,
    cwd: dir,
    services: {
      now: () => NOW,
      openRevocationStore: () => ({ store, close: () => void (closed += 1) }),
    },
  });
}

async function verifierFor(keysDir: string) {
  return createTokenVerifier({
    jwks: await loadJwks(keyFilePaths(keysDir).jwks),
    issuer: 'herald',
    audience: 'herald-api',
    isRevoked: () => false,
    clock: { now: () => NOW },
  });
}

describe('herald token issue', () => {
  it('prints only a token that the auth verifier accepts, with every scope by default', async () => {
    const keysDir = join(dir, 'data', 'keys');
    await writeNewSigningKey(keysDir);

    const { code, stdout, stderr } = await cli(['token', 'issue', '--client', 'billing']);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const client = await (await verifierFor(keysDir)).verify(stdout);
    expect(client).toMatchObject({
      clientId: 'billing',
      scopes: ['notifications:send', 'notifications:read', 'audience:read', 'audience:write'],
      expiresAt: NOW.getTime() / 1000 + 30 * 86_400,
    });
  });

  it('prints token, jti, client, scopes and expiry with --json', async () => {
    await writeNewSigningKey(join(dir, 'data', 'keys'));

    const { code, stdout } = await cli([
      'token',
      'issue',
      '--client',
      'ops',
      '--scope',
      'notifications:read',
      '--ttl',
      '12h',
      '--json',
    ]);

    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      clientId: 'ops',
      scopes: ['notifications:read'],
      expiresAt: '2026-03-02T00:00:00.000Z',
    });
    expect(typeof parsed.token).toBe('string');
    expect(typeof parsed.jti).toBe('string');
  });

  it('signs with HERALD_SIGNING_KEY when it is set', async () => {
    const key = await generateSigningKey();
    env.HERALD_SIGNING_KEY = JSON.stringify(key.privateJwk);

    const { code, stdout } = await cli(['token', 'issue', '--client', 'svc']);

    expect(code).toBe(0);
    const verifier = createTokenVerifier({
      jwks: { keys: [key.publicJwk] },
      issuer: 'herald',
      audience: 'herald-api',
      isRevoked: () => false,
      clock: { now: () => NOW },
    });
    await expect(verifier.verify(stdout)).resolves.toMatchObject({ clientId: 'svc' });
  });

  it('fails with a hint when there is no signing key', async () => {
    const { code, stdout, stderr } = await cli(['token', 'issue', '--client', 'svc']);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('herald keys generate');
  });

  it.each([
    [['token', 'issue']],
    [['token', 'issue', '--client', 'svc', '--scope', 'admin']],
    [['token', 'issue', '--client', 'svc', '--ttl', '1y']],
    [['token', 'issue', '--client', 'has space']],
    [['token', 'issue', '--client', 'svc', '--key', 'x']],
    [['token', 'mint']],
  ])('exits 2 for %j', async (argv) => {
    await writeNewSigningKey(join(dir, 'data', 'keys'));

    const { code, stdout, stderr } = await cli(argv);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("Run 'herald help' for usage.");
  });
});

describe('herald token revoke', () => {
  it('revokes for the longest token lifetime by default', async () => {
    const { code, stdout } = await cli(['token', 'revoke', 'jti-1']);

    expect(code).toBe(0);
    expect(stdout).toBe('revoked jti-1');
    expect(store.revoked.get('jti-1')).toBe('2027-04-05T12:00:00.000Z');
    expect(closed).toBe(1);
  });

  it('revokes until the given time, normalised to UTC', async () => {
    const { code } = await cli([
      'token',
      'revoke',
      'jti-2',
      '--until',
      '2026-06-01T02:00:00+02:00',
    ]);

    expect(code).toBe(0);
    expect(store.revoked.get('jti-2')).toBe('2026-06-01T00:00:00.000Z');
  });

  it.each([
    [['token', 'revoke']],
    [['token', 'revoke', 'a', 'b']],
    [['token', 'revoke', 'jti', '--until', 'tomorrow']],
    [['token', 'revoke', 'jti', '--until', '2020-01-01T00:00:00Z']],
  ])('exits 2 for %j', async (argv) => {
    const { code } = await cli(argv);

    expect(code).toBe(2);
    expect(store.revoked.size).toBe(0);
  });

  it('exits 1 and names the table when the store fails', async () => {
    store.failing = true;

    const { code, stderr } = await cli(['token', 'revoke', 'jti-3']);

    expect(code).toBe(1);
    expect(stderr).toContain('table herald');
    expect(closed).toBe(1);
  });
});
