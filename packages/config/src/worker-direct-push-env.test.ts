import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from './parse-env';
import { workerEnvSchema } from './worker-env';

const parse = (env: NodeJS.ProcessEnv) => parseEnv(workerEnvSchema, env, 'worker');
const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string;
const account = {
  type: 'service_account',
  project_id: 'herald-test',
  private_key_id: 'abc',
  private_key: PEM,
  client_email: 'herald@herald-test.iam.gserviceaccount.com',
  token_uri: 'https://oauth2.googleapis.com/token',
};

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    parse(env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('the worker schema: FCM and the Slack bot', () => {
  it('reads FCM_SERVICE_ACCOUNT as JSON, keeping the fields FCM needs', () => {
    expect(parse({ FCM_SERVICE_ACCOUNT: JSON.stringify(account) }).FCM_SERVICE_ACCOUNT).toEqual({
      project_id: 'herald-test',
      private_key_id: 'abc',
      private_key: PEM,
      client_email: 'herald@herald-test.iam.gserviceaccount.com',
      token_uri: 'https://oauth2.googleapis.com/token',
    });
  });

  it('reads FCM_SERVICE_ACCOUNT from a path', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'herald-fcm-')), 'sa.json');
    writeFileSync(file, JSON.stringify(account));

    expect(parse({ FCM_SERVICE_ACCOUNT: file }).FCM_SERVICE_ACCOUNT?.project_id).toBe(
      'herald-test',
    );
  });

  it('names every problem of a bad account without quoting the key', () => {
    const bad = { ...account, private_key: 'secret-not-pem', token_uri: 'nope' };
    const problems = problemsOf({ FCM_SERVICE_ACCOUNT: JSON.stringify(bad) });

    expect(problems).toMatch(/private_key: must be a PKCS#8 PEM private key/);
    expect(problems).toMatch(/token_uri: /);
    expect(problems).toMatch(/→ at FCM_SERVICE_ACCOUNT/);
    expect(problems).not.toContain('secret-not-pem');
  });

  it('refuses a PEM that is not a usable RSA key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    const broken = '-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----\n';

    for (const private_key of [ec, broken]) {
      expect(
        problemsOf({ FCM_SERVICE_ACCOUNT: JSON.stringify({ ...account, private_key }) }),
      ).toMatch(/private_key: must be a usable RSA private key/);
    }
  });

  it('refuses an unreadable path and text that is not JSON', () => {
    expect(problemsOf({ FCM_SERVICE_ACCOUNT: '/nonexistent/sa.json' })).toMatch(
      /cannot read the file \/nonexistent\/sa\.json/,
    );
    expect(problemsOf({ FCM_SERVICE_ACCOUNT: '{not json' })).toMatch(/is not JSON/);
  });

  it('takes a bot token and refuses something else', () => {
    expect(parse({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' }).SLACK_BOT_TOKEN).toBe('xoxb-1-2-abc');
    expect(problemsOf({ SLACK_BOT_TOKEN: 'https://hooks.slack.com/x' })).toMatch(
      /must be a Slack bot token[\s\S]*→ at SLACK_BOT_TOKEN/,
    );
  });
});
