import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONFIG_REFERENCE_END,
  CONFIG_REFERENCE_START,
  renderConfigReference,
} from '@herald/config';
import { runCli } from '../testing';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-cli-config-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('herald config', () => {
  it('prints the configuration reference, even when the environment is wrong', async () => {
    const { code, stdout } = await runCli(['config'], {
      env: { HERALD_API_URL: 'ftp://x' },
      cwd: dir,
    });

    expect(code).toBe(0);
    expect(stdout).toBe(renderConfigReference());
    expect(stdout).toMatch(/^\| variable +\| used by +\| type +\| default +\| description +\|$/m);
    expect(stdout).toMatch(/^\| `HERALD_JWKS` +\| api +\| string +\| required +\|/m);
  });

  it('--write-readme rewrites the table between the markers of ./README.md and keeps the rest', async () => {
    await writeFile(
      join(dir, 'README.md'),
      `# Herald\n\n${CONFIG_REFERENCE_START}\n\nstale\n\n${CONFIG_REFERENCE_END}\n\nProse.\n`,
    );

    const { code } = await runCli(['config', '--write-readme'], { env: {}, cwd: dir });

    expect(code).toBe(0);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe(
      `# Herald\n\n${CONFIG_REFERENCE_START}\n\n${renderConfigReference()}\n\n${CONFIG_REFERENCE_END}\n\nProse.\n`,
    );
  });

  it('fails when README.md has no markers', async () => {
    await writeFile(join(dir, 'README.md'), '# Herald\n');

    const { code, stderr } = await runCli(['config', '--write-readme'], { env: {}, cwd: dir });

    expect(code).toBe(1);
    expect(stderr).toContain('config-reference:start');
  });

  it('exits 2 for an unknown option', async () => {
    expect((await runCli(['config', '--json'], { env: {}, cwd: dir })).code).toBe(2);
  });
});
