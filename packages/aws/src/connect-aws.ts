import type { AwsEnv } from '@herald/config';
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
