import { ensureSigningKey, keyFilePaths } from '@herald/auth';
import { createAwsClients, ensureHeraldResources } from '@herald/aws';
import { parseArgs } from 'node:util';
import { noPositionals, parseOrUsage } from '../args';
import type { Command } from '../context';

/**
 * `herald setup`: creates what Herald needs, idempotently: the DynamoDB table and its indexes,
 * the audience table (recipients, devices),
 * the work queue and the bulk queue (topic children), each with its DLQ and redrive policy, the
 * `herald-status-events` topic with the callbacks queue subscribed, and a signing key if the keys directory has
 * none. Safe to run on every deploy (docker compose runs it before the api and worker start).
 */
export const setupCommand: Command = async (args, ctx) => {
  const { positionals } = parseOrUsage(() =>
    parseArgs({ args, options: {}, allowPositionals: true, strict: true }),
  );
  noPositionals(positionals);
  const { aws } = ctx.config;
  const clients = createAwsClients({
    region: aws.region,
    dynamodbEndpoint: aws.dynamodbEndpoint,
    sqsEndpoint: aws.sqsEndpoint,
    snsEndpoint: aws.snsEndpoint ?? aws.sqsEndpoint,
    credentials: aws.credentials,
  });
  try {
    const resources = await ensureHeraldResources({
      dynamodb: clients.dynamodb,
      sqs: clients.sqs,
      sns: clients.sns,
      tableName: aws.tableName,
      audienceTableName: aws.audienceTableName,
      queueName: aws.queueName,
    });
    const key = await ensureSigningKey(ctx.config.keysDir);
    ctx.io.out(`table ${aws.tableName}`);
    ctx.io.out(`audience table ${aws.audienceTableName}`);
    ctx.io.out(`queue ${resources.queueUrl}`);
    ctx.io.out(`dlq ${resources.dlqUrl}`);
    ctx.io.out(`bulk queue ${resources.bulkQueueUrl}`);
    ctx.io.out(`bulk dlq ${resources.bulkDlqUrl}`);
    ctx.io.out(`status topic ${resources.statusTopicArn}`);
    ctx.io.out(`callback queue ${resources.callbackQueueUrl}`);
    ctx.io.out(`signing key ${key.kid}${key.created ? ' (new)' : ''}`);
    ctx.io.out(`jwks ${keyFilePaths(ctx.config.keysDir).jwks}`);
  } finally {
    clients.dynamodb.destroy();
    clients.sqs.destroy();
    clients.sns.destroy();
  }
};
