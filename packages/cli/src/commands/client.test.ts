import { deriveClientSecret } from '@herald/providers';
import { runCli } from '../testing';

describe('herald client secret', () => {
  it('prints the callback secret derived for the client', async () => {
    const master = 'm'.repeat(40);

    const { code, stdout } = await runCli(['client', 'secret', '--client', 'shop'], {
      env: { HERALD_CALLBACK_SECRET: master },
    });

    expect(code).toBe(0);
    expect(stdout).toBe(deriveClientSecret(master, 'shop'));
  });

  it('exits 2 without --client', async () => {
    expect(
      (await runCli(['client', 'secret'], { env: { HERALD_CALLBACK_SECRET: 'm'.repeat(40) } }))
        .code,
    ).toBe(2);
  });
});
