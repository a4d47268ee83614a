import { AppError } from '@herald/core';
import { z } from 'zod';
import { createAwsClients, type AwsClients } from './aws-clients';
import { resolveQueueUrl } from './provisioning/provision-queues';

const optionalUrl = z.url().optional();

/**
 * The environment variables every deployable reads to reach DynamoDB and SQS. Endpoints are set
 * only for emulators (local mode, LocalStack); on AWS the SDK's defaults apply.
 */
export const awsEnvSchema = z.object({
  AWS_REGION: z.string().min(1).default('us-east-1'),
  HERALD_DYNAMODB_ENDPOINT: optionalUrl,
  HERALD_SQS_ENDPOINT: optionalUrl,
  /** SNS (status events, mobile push) endpoint for emulators; fauxqs serves SNS beside SQS. */
  HERALD_SNS_ENDPOINT: optionalUrl,
  /** Status events are published here when set (see `herald setup`, which creates the topic). */
  HERALD_STATUS_TOPIC_ARN: z.string().startsWith('arn:').optional(),
  HERALD_TABLE_NAME: z.string().min(3).max(255).default('herald'),
  HERALD_QUEUE_NAME: z.string().min(1).max(80).default('herald-notifications'),
  /** Wins over HERALD_QUEUE_NAME when set. */
  HERALD_QUEUE_URL: optionalUrl,
});

export type AwsEnv = z.infer<typeof awsEnvSchema>;

/** A positive integer from an environment string, with a default. */
export const intFromEnv = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * Parses a deployable's environment once with its schema, listing every problem at once.
 * Throws AppError `CONFIG_INVALID`.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv,
  label: string,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new AppError(
      'CONFIG_INVALID',
      `Invalid ${label} configuration:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** SDK clients for the configured endpoints, and the work queue's URL (looked up by name if needed). */
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
