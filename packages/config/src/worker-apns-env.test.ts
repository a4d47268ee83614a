import { parseEnv } from './parse-env';
import { workerEnvSchema } from './worker-env';

const parse = (env: NodeJS.ProcessEnv) => parseEnv(workerEnvSchema, env, 'worker');

const APNS = {
  APNS_KEY_ID: 'KEY1234567',
  APNS_TEAM_ID: 'TEAM123456',
  APNS_PRIVATE_KEY: '/etc/herald/AuthKey_KEY1234567.p8',
  APNS_BUNDLE_ID: 'net.herald.app',
};

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    parse(env);
  } catch (err) {
    expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
    return (err as Error).message;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('the worker schema: APNs', () => {
  it('takes all four credentials, or none', () => {
    expect(parse(APNS)).toMatchObject(APNS);
    expect(parse({}).APNS_KEY_ID).toBeUndefined();
  });

  it('names every missing credential when only some are set', () => {
    const problems = problemsOf({
      APNS_KEY_ID: APNS.APNS_KEY_ID,
      APNS_BUNDLE_ID: 'net.herald.app',
    });

    expect(problems).toMatch(/APNS_TEAM_ID is required when APNS_KEY_ID, APNS_BUNDLE_ID are set/);
    expect(problems).toMatch(/→ at APNS_PRIVATE_KEY/);
  });

  it('refuses malformed ids, bundle ids and a non-https APNS_HOST', () => {
    const problems = problemsOf({
      ...APNS,
      APNS_KEY_ID: 'key',
      APNS_BUNDLE_ID: 'app',
      APNS_HOST: 'http://127.0.0.1:8443',
    });

    expect(problems).toMatch(/must be 10 upper-case letters and digits\n\s+→ at APNS_KEY_ID/);
    expect(problems).toMatch(/must be a bundle id such as com.example.app\n\s+→ at APNS_BUNDLE_ID/);
    expect(problems).toMatch(/must be an https URL\n\s+→ at APNS_HOST/);
  });
});
