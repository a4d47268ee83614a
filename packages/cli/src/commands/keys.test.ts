import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-cli-keys-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cli(argv: string[], env: Record<string, string> = {}) {
  return runCli(argv, { env, cwd: dir });
}

function kidOf(stdout: string): string {
  const match = /^kid (\S+)$/m.exec(stdout);
  if (match?.[1] === undefined) throw new Error(`no kid in ${stdout}`);
  return match[1];
}

describe('herald keys', () => {
  it('keeps both public keys when generating twice, newest active', async () => {
    const first = kidOf((await cli(['keys', 'generate'])).stdout);

    const second = await cli(['keys', 'generate']);

    expect(second.code).toBe(0);
    const jwksPath = join(dir, '.data', 'keys', 'jwks.json');
    expect(second.stdout).toContain(`jwks ${jwksPath}`);
    const jwks = JSON.parse(await readFile(jwksPath, 'utf8')) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([kidOf(second.stdout), first]);
    const listed = await cli(['keys', 'list']);
    expect(listed.stdout).toBe(`${kidOf(second.stdout)} active\n${first}`);
  });

  it('writes where --dir says, over HERALD_KEYS_DIR', async () => {
    const { code } = await cli(['keys', 'generate', '--dir', 'elsewhere'], {
      HERALD_KEYS_DIR: join(dir, 'ignored'),
    });

    expect(code).toBe(0);
    const listed = await cli(['keys', 'list', '--dir', join(dir, 'elsewhere')]);
    expect(listed.stdout).toMatch(/ active$/);
  });

  it('retires an old key', async () => {
    const old = kidOf((await cli(['keys', 'generate'])).stdout);
    const current = kidOf((await cli(['keys', 'generate'])).stdout);

    const retired = await cli(['keys', 'retire', old]);

    expect(retired).toMatchObject({ code: 0, stdout: `retired ${old}` });
    expect((await cli(['keys', 'list'])).stdout).toBe(`${current} active`);
  });

  it('retires a key whose id starts with a dash', async () => {
    await cli(['keys', 'generate']);
    const jwksPath = join(dir, '.data', 'keys', 'jwks.json');
    const jwks = JSON.parse(await readFile(jwksPath, 'utf8')) as { keys: { kid: string }[] };
    const dashed = { ...jwks.keys[0]!, kid: '-dashed-kid' };
    await writeFile(jwksPath, JSON.stringify({ keys: [...jwks.keys, dashed] }));

    const { code, stdout } = await cli(['keys', 'retire', '-dashed-kid']);

    expect(code).toBe(0);
    expect(stdout).toContain('retired -dashed-kid');
  });

  it('refuses to retire the active key', async () => {
    const current = kidOf((await cli(['keys', 'generate'])).stdout);

    const { code, stderr } = await cli(['keys', 'retire', current]);

    expect(code).toBe(1);
    expect(stderr).toContain('active signing key');
  });

  it('says so when there are no keys', async () => {
    const { code, stdout, stderr } = await cli(['keys', 'list']);

    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('herald keys generate');
  });

  it.each([[['keys']], [['keys', 'rotate']], [['keys', 'retire']], [['keys', 'generate', 'x']]])(
    'exits 2 for %j',
    async (argv) => {
      const { code } = await cli(argv);

      expect(code).toBe(2);
    },
  );
});
