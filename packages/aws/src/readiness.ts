import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';

export interface ReadinessOptions {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  tableName: string;
  queueUrl: string;
  /** Per check. Default 2 000. */
  timeoutMs?: number;
}

export type CheckState = 'ok' | 'unavailable';

export interface Readiness {
  /** True when every check is `ok`. */
  ok: boolean;
  checks: { table: CheckState; queue: CheckState };
}

/**
 * Whether the table is ACTIVE and the queue answers, both checked at once, each given
 * `timeoutMs` in all (the SDK's own retries included). For readiness probes: never throws;
 * any failure or timeout is reported as `unavailable`.
 */
export async function checkReadiness(options: ReadinessOptions): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const [table, queue] = await Promise.all([
    check(async () => {
      const res = await options.dynamodb.send(
        new DescribeTableCommand({ TableName: options.tableName }),
        { abortSignal: AbortSignal.timeout(timeoutMs) },
      );
      return res.Table?.TableStatus === 'ACTIVE';
    }),
    check(async () => {
      await options.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['QueueArn'] }),
        { abortSignal: AbortSignal.timeout(timeoutMs) },
      );
      return true;
    }),
  ]);
  return { ok: table === 'ok' && queue === 'ok', checks: { table, queue } };
}

async function check(probe: () => Promise<boolean>): Promise<CheckState> {
  try {
    return (await probe()) ? 'ok' : 'unavailable';
  } catch {
    return 'unavailable';
  }
}
