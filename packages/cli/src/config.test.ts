import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCliConfig } from './config';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-cli-config-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeLocalJson(content: unknown) {
  await mkdir(join(dir, '.data'), { recursive: true });
  await writeFile(join(dir, '.data', 'local.json'), JSON.stringify(content));
}

const LOCAL = {
  apiUrl: 'http://127.0.0.1:3000',
  region: 'eu-west-1',
  dynamodbEndpoint: 'http://127.0.0.1:4567',
  sqsEndpoint: 'http://127.0.0.1:4568',
  tableName: 'herald-local',
  audienceTableName: 'herald-local-audience',
  queueUrl: 'http://q',
  dlqUrl: 'http://dlq',
  keysDir: '/abs/keys',
  tokenIssuer: 'herald-local',
  tokenAudience: 'herald-local-api',
  pids: { stack: 1 },
};

describe('loadCliConfig', () => {
  it('uses defaults outside local mode', async () => {
    const config = await loadCliConfig({}, dir);

    expect(config).toEqual({
      cwd: dir,
      dataDir: join(dir, '.data'),
      localMode: false,
      apiUrl: undefined,
      token: undefined,
      keysDir: join(dir, '.data', 'keys'),
      signingKey: { json: undefined, path: join(dir, '.data', 'keys', 'signing-key.json') },
      callbackSecret: { value: undefined, path: join(dir, '.data', 'keys', 'callback-secret') },
      tokenIssuer: 'herald',
      tokenAudience: 'herald-api',
      aws: {
        region: 'us-east-1',
        dynamodbEndpoint: undefined,
        sqsEndpoint: undefined,
        snsEndpoint: undefined,
        queueName: 'herald-notifications',
        credentials: undefined,
        tableName: 'herald',
        audienceTableName: 'herald-audience',
      },
    });
  });

  it('takes the running local stack values, with dummy AWS credentials', async () => {
    await writeLocalJson(LOCAL);

    const config = await loadCliConfig({}, dir);

    expect(config).toMatchObject({
      localMode: true,
      apiUrl: LOCAL.apiUrl,
      keysDir: '/abs/keys',
      tokenIssuer: 'herald-local',
      tokenAudience: 'herald-local-api',
      aws: {
        region: 'eu-west-1',
        dynamodbEndpoint: LOCAL.dynamodbEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        tableName: 'herald-local',
        audienceTableName: 'herald-local-audience',
        queueUrl: 'http://q',
        dlqUrl: 'http://dlq',
      },
    });
  });

  it('lets the environment override local.json', async () => {
    await writeLocalJson(LOCAL);

    const config = await loadCliConfig(
      {
        HERALD_API_URL: 'https://herald.example.com',
        HERALD_TOKEN: 'tok',
        HERALD_KEYS_DIR: 'mykeys',
        HERALD_SIGNING_KEY: '{"kty":"EC"}',
        HERALD_TOKEN_ISSUER: 'iss',
        HERALD_TOKEN_AUDIENCE: 'aud',
        AWS_REGION: 'us-west-2',
        AWS_ACCESS_KEY_ID: 'AKIA',
        HERALD_DYNAMODB_ENDPOINT: 'http://localhost:8000',
        HERALD_TABLE_NAME: 't',
      },
      dir,
    );

    expect(config).toMatchObject({
      apiUrl: 'https://herald.example.com',
      token: 'tok',
      keysDir: join(dir, 'mykeys'),
      signingKey: { json: '{"kty":"EC"}', path: join(dir, 'mykeys', 'signing-key.json') },
      tokenIssuer: 'iss',
      tokenAudience: 'aud',
      aws: { region: 'us-west-2', dynamodbEndpoint: 'http://localhost:8000', tableName: 't' },
    });
    expect(config.aws.credentials).toBeUndefined();
  });

  it('finds local.json under HERALD_DATA_DIR', async () => {
    await mkdir(join(dir, 'elsewhere'));
    await writeFile(join(dir, 'elsewhere', 'local.json'), JSON.stringify(LOCAL));

    const config = await loadCliConfig({ HERALD_DATA_DIR: 'elsewhere' }, dir);

    expect(config).toMatchObject({ localMode: true, dataDir: join(dir, 'elsewhere') });
  });

  it('rejects a malformed local.json', async () => {
    await writeLocalJson({ ...LOCAL, apiUrl: 3000 });

    await expect(loadCliConfig({}, dir)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('rejects an API URL that is not http(s)', async () => {
    await expect(loadCliConfig({ HERALD_API_URL: 'ftp://x' }, dir)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});
