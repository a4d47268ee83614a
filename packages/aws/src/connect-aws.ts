import { bulkQueueNameOf, type AwsEnv } from '@herald/config';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AppError } from '@herald/core';
import { createAwsClients, type AwsClients } from './aws-clients';
import { resolveQueueUrl } from './provisioning/provision-queues';

/**
 * SDK clients for the configured endpoints (parsed by `@herald/config`'s `awsEnvSchema`), and the
 * work queue's URL (looked up by name if needed).
 */
export async function connectAws(env: AwsEnv): Promise<AwsClients & { queueUrl: string }> {
  const clients = createAwsClients({
    region: env.AWS_REGION,
    ...(env.HERALD_DYNAMODB_ENDPOINT ? { dynamodbEndpoint: env.HERALD_DYNAMODB_ENDPOINT } : {}),
    ...(env.HERALD_SQS_ENDPOINT ? { sqsEndpoint: env.HERALD_SQS_ENDPOINT } : {}),
    ...(env.HERALD_SNS_ENDPOINT ? { snsEndpoint: env.HERALD_SNS_ENDPOINT } : {}),
  });
  const queueUrl =
    env.HERALD_QUEUE_URL ?? (await resolveQueueUrl(clients.sqs, env.HERALD_QUEUE_NAME));
  return { ...clients, queueUrl };
}

/**
 * The bulk queue's URL for the worker: `HERALD_BULK_QUEUE_URL`, else looked up by name as
 * `<work queue>-bulk`, the work queue's name taken from `HERALD_QUEUE_URL` (an SQS URL ends with
 * it) or `HERALD_QUEUE_NAME`. Throws `UNAVAILABLE` naming the fix when it does not exist (a
 * deployment upgraded without `herald setup`).
 */
export async function resolveBulkQueueUrl(
  sqs: SQSClient,
  env: Pick<AwsEnv, 'HERALD_QUEUE_NAME' | 'HERALD_QUEUE_URL'> & { HERALD_BULK_QUEUE_URL?: string },
): Promise<string> {
  if (env.HERALD_BULK_QUEUE_URL !== undefined) return env.HERALD_BULK_QUEUE_URL;
  const fromUrl = env.HERALD_QUEUE_URL?.split('/')
    .filter((part) => part !== '')
    .at(-1);
  const name = bulkQueueNameOf(fromUrl ?? env.HERALD_QUEUE_NAME);
  try {
    return await resolveQueueUrl(sqs, name);
  } catch (err) {
    throw new AppError(
      'UNAVAILABLE',
      `bulk queue ${name} cannot be resolved: run \`herald setup\` (it creates it) or set HERALD_BULK_QUEUE_URL`,
      { cause: err },
    );
  }
}
