import { createAwsClients } from './aws-clients';

describe('createAwsClients', () => {
  const clients = createAwsClients({
    region: 'us-east-1',
    dynamodbEndpoint: 'http://127.0.0.1:8000',
    sqsEndpoint: 'http://127.0.0.1:4566',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

  afterAll(() => {
    clients.dynamodb.destroy();
    clients.sqs.destroy();
  });

  it('sends SQS calls to the configured endpoint, never to the queue URL’s host', async () => {
    const endpoint = await clients.sqs.config.endpoint?.();

    expect(clients.sqs.config.useQueueUrlAsEndpoint).toBe(false);
    expect(endpoint).toMatchObject({ hostname: '127.0.0.1', port: 4566 });
  });

  it('makes up to three attempts per call', async () => {
    expect(await clients.dynamodb.config.maxAttempts()).toBe(3);
    expect(await clients.sqs.config.maxAttempts()).toBe(3);
  });

  it('drops undefined attributes instead of failing on them', () => {
    expect(clients.doc.config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
  });
});
