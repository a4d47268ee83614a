import { createECDH } from 'node:crypto';
import { runCli } from '../testing';

describe('herald vapid generate', () => {
  it('prints a P-256 key pair whose public key matches its private key', async () => {
    const { code, stdout } = await runCli(['vapid', 'generate', '--json'], { env: {} });

    const keys = JSON.parse(stdout) as { publicKey: string; privateKey: string };
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(keys.privateKey, 'base64url'));
    expect(code).toBe(0);
    expect(ecdh.getPublicKey().toString('base64url')).toBe(keys.publicKey);
  });
});
