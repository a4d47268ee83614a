import { buildStackEnv, type StackFacts } from './stack-env';

const facts: StackFacts = {
  emulators: { dynamodbEndpoint: 'http://127.0.0.1:1001', sqsEndpoint: 'http://127.0.0.1:1002' },
  resources: {
    tableName: 't',
    audienceTableName: 'ta',
    queueName: 'q',
    dlqName: 'q-dlq',
    queueUrl: 'http://127.0.0.1:1002/000000000000/q',
    dlqUrl: 'http://127.0.0.1:1002/000000000000/q-dlq',
    bulkQueueUrl: 'http://127.0.0.1:1002/000000000000/q-bulk',
    bulkDlqUrl: 'http://127.0.0.1:1002/000000000000/q-bulk-dlq',
    statusTopicArn: 'arn:aws:sns:us-east-1:000000000000:s',
    callbackQueueUrl: 'http://127.0.0.1:1002/000000000000/q-callbacks',
  },
  keys: {
    keysDir: '/d/keys',
    jwksPath: '/d/keys/jwks.json',
    issuer: 'herald',
    audience: 'herald-api',
    vapid: { publicKey: 'pub', privateKey: 'priv' },
    callbackSecret: 's'.repeat(43),
    linkSecret: 'l'.repeat(43),
  },
  dataDir: '/d',
  statusEvents: false,
  localMode: false,
  port: 0,
};

describe('buildStackEnv', () => {
  it('gives everyone the emulators, the resources and the token checks; the api its port', () => {
    const env = buildStackEnv(facts);

    expect(env.shared).toMatchObject({
      AWS_REGION: 'us-east-1',
      HERALD_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1001',
      HERALD_SQS_ENDPOINT: 'http://127.0.0.1:1002',
      HERALD_TABLE_NAME: 't',
      HERALD_AUDIENCE_TABLE_NAME: 'ta',
      HERALD_QUEUE_URL: facts.resources.queueUrl,
      HERALD_JWKS: '/d/keys/jwks.json',
      HERALD_KEYS_DIR: '/d/keys',
      HERALD_TOKEN_ISSUER: 'herald',
      HERALD_TOKEN_AUDIENCE: 'herald-api',
      HERALD_LINK_SECRET: facts.keys.linkSecret,
      HOST: '127.0.0.1',
    });
    expect(env.api).toEqual({ PORT: '0' });
    // Only the worker enqueues topic children and consumes the bulk queue.
    expect(env.worker).toEqual({ HERALD_BULK_QUEUE_URL: facts.resources.bulkQueueUrl });
    expect(env.shared).not.toHaveProperty('HERALD_BULK_QUEUE_URL');
    expect(env.shared).not.toHaveProperty('HERALD_STATUS_TOPIC_ARN');
    expect(env.shared).not.toHaveProperty('HERALD_LOCAL_MODE');
  });

  it('with status events: the topic for both processes, the callbacks queue for the worker', () => {
    const env = buildStackEnv({ ...facts, statusEvents: true });

    expect(env.shared).toMatchObject({
      HERALD_SNS_ENDPOINT: 'http://127.0.0.1:1002',
      HERALD_STATUS_TOPIC_ARN: facts.resources.statusTopicArn,
    });
    expect(env.worker).toEqual({
      HERALD_BULK_QUEUE_URL: facts.resources.bulkQueueUrl,
      HERALD_CALLBACK_QUEUE_URL: facts.resources.callbackQueueUrl,
      HERALD_CALLBACK_SECRET: facts.keys.callbackSecret,
    });
  });

  it('in local mode: the sandbox outbox under the data dir, and the VAPID keys', () => {
    const env = buildStackEnv({
      ...facts,
      localMode: true,
      smtpUrl: 'smtp://127.0.0.1:25',
      publicUrl: 'http://127.0.0.1:4000',
    });

    expect(env.shared).toMatchObject({
      HERALD_LOCAL_MODE: 'true',
      HERALD_ALLOW_SANDBOX: 'true',
      HERALD_SANDBOX_DIR: '/d/outbox',
      VAPID_PUBLIC_KEY: 'pub',
      VAPID_PRIVATE_KEY: 'priv',
      SMTP_URL: 'smtp://127.0.0.1:25',
      HERALD_PUBLIC_URL: 'http://127.0.0.1:4000',
    });
  });
});
