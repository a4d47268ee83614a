import { runCli } from './testing';
import { USAGE } from './usage';

describe('run', () => {
  it.each([[[]], [['help']], [['token', '--help']]])('prints the usage for %j', async (argv) => {
    const { code, stdout } = await runCli(argv, { env: {} });

    expect(code).toBe(0);
    expect(stdout).toBe(USAGE);
  });

  it.each(['constructor', 'toString'])('treats %s as an unknown command', async (name) => {
    const { code } = await runCli([name], { env: {} });

    expect(code).toBe(2);
  });

  it('exits 2 for an unknown command', async () => {
    const { code, stdout, stderr } = await runCli(['deliver'], { env: {} });

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe("herald: unknown command 'deliver'\nRun 'herald help' for usage.");
  });

  it('exits 1 when the configuration is invalid', async () => {
    const { code, stderr } = await runCli(['list'], { env: { HERALD_API_URL: 'nope' } });

    expect(code).toBe(1);
    expect(stderr).toContain("the API URL 'nope' is not an http(s) URL");
  });
});
