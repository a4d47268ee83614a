import { randomBytes } from 'node:crypto';
import { apiEnvSchema } from './api-env';
import { parseEnv } from './parse-env';
import { workerEnvSchema } from './worker-env';

const base = { HERALD_JWKS: '/keys/jwks.json' };
const api = (secret: string) =>
  parseEnv(apiEnvSchema, { ...base, HERALD_LINK_SECRET: secret }, 'api');
const worker = (secret: string) =>
  parseEnv(workerEnvSchema, { HERALD_LINK_SECRET: secret }, 'worker');

describe('HERALD_LINK_SECRET', () => {
  it('takes hex or base64 (either alphabet, padded or not) of 32 bytes or more, on both', () => {
    const bytes = randomBytes(32);
    const forms = [
      bytes.toString('hex'),
      bytes.toString('base64'),
      bytes.toString('base64url'),
      randomBytes(64).toString('base64'),
    ];

    for (const secret of forms) {
      expect(api(secret).HERALD_LINK_SECRET).toBe(secret);
      expect(worker(secret).HERALD_LINK_SECRET).toBe(secret);
    }
  });

  it('is optional', () => {
    expect(parseEnv(apiEnvSchema, base, 'api').HERALD_LINK_SECRET).toBeUndefined();
  });

  it('refuses fewer than 32 bytes, or neither hex nor base64', () => {
    for (const secret of [
      randomBytes(31).toString('hex'),
      randomBytes(31).toString('base64'),
      'a passphrase with spaces in it, long enough anyway',
      '',
    ]) {
      expect(() => api(secret)).toThrow(/HERALD_LINK_SECRET/);
      expect(() => worker(secret)).toThrow(/HERALD_LINK_SECRET/);
    }
  });
});
