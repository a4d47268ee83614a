import { z } from 'zod';

const optionalUrl = z.url().optional();

/**
 * The environment variables every deployable reads to reach DynamoDB and SQS. Endpoints are set
 * only for emulators (local mode, LocalStack); on AWS the SDK's defaults apply.
 */
export const awsEnvSchema = z.object({
  AWS_REGION: z.string().min(1).default('us-east-1'),
  HERALD_DYNAMODB_ENDPOINT: optionalUrl,
  HERALD_SQS_ENDPOINT: optionalUrl,
  HERALD_TABLE_NAME: z.string().min(3).max(255).default('herald'),
  HERALD_QUEUE_NAME: z.string().min(1).max(80).default('herald-notifications'),
  /** Wins over HERALD_QUEUE_NAME when set. */
  HERALD_QUEUE_URL: optionalUrl,
});

export type AwsEnv = z.infer<typeof awsEnvSchema>;

/** A positive integer from an environment string, with a default. */
export const intFromEnv = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
