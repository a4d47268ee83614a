import { z } from 'zod';
import {
  DEFAULT_AUDIENCE_TABLE_NAME,
  DEFAULT_AWS_REGION,
  DEFAULT_QUEUE_NAME,
  DEFAULT_TABLE_NAME,
} from './defaults';

const endpoint = (description: string) => z.url().optional().describe(description);

/** AWS_REGION, shared by every deployable that reaches AWS. */
export const awsRegionSchema = z.string().min(1).default(DEFAULT_AWS_REGION).describe('AWS region');

/** The work queue's URL, shared by the api, the worker and the CLI. */
export const queueUrlSchema = z
  .url()
  .optional()
  .describe('the work queue; wins over HERALD_QUEUE_NAME');

/** The work queue's name, shared by the api, the worker and the CLI. */
export const queueNameSchema = z
  .string()
  .min(1)
  .max(80)
  .default(DEFAULT_QUEUE_NAME)
  .describe('the work queue, looked up by name when HERALD_QUEUE_URL is not set');

/** The SDK endpoints, shared by the deployables' schemas. */
export const endpointSchemas = {
  HERALD_DYNAMODB_ENDPOINT: endpoint('DynamoDB endpoint for emulators (local mode, LocalStack)'),
  HERALD_SQS_ENDPOINT: endpoint('SQS endpoint for emulators (local mode, LocalStack)'),
  HERALD_SNS_ENDPOINT: endpoint(
    'SNS endpoint (status events, mobile push) for emulators; fauxqs serves it on the SQS port',
  ),
};

/**
 * The environment variables the api and the worker read to reach DynamoDB, SQS and SNS.
 * Endpoints are set only for emulators (local mode, LocalStack); on AWS the SDK's defaults apply.
 */
export const awsEnvSchema = z.object({
  AWS_REGION: awsRegionSchema,
  ...endpointSchemas,
  HERALD_STATUS_TOPIC_ARN: z
    .string()
    .startsWith('arn:')
    .optional()
    .describe(
      'publish every final status to this SNS topic (`herald setup` creates `herald-status-events`)',
    ),
  HERALD_TABLE_NAME: z
    .string()
    .min(3)
    .max(255)
    .default(DEFAULT_TABLE_NAME)
    .describe('DynamoDB table'),
  HERALD_AUDIENCE_TABLE_NAME: z
    .string()
    .min(3)
    .max(255)
    .default(DEFAULT_AUDIENCE_TABLE_NAME)
    .describe(
      'DynamoDB table of recipients, devices, topics and subscriptions (`pk`/`sk`; `herald setup` creates it)',
    ),
  HERALD_QUEUE_NAME: queueNameSchema,
  HERALD_QUEUE_URL: queueUrlSchema,
});

/** What `awsEnvSchema` gives; `connectAws` (in `@herald/aws`) takes it. */
export type AwsEnv = z.infer<typeof awsEnvSchema>;
