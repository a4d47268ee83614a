import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';

export interface ReadinessOptions {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  tableName: string;
  queueUrl: string;
  /**
   * The audience table (recipients, topics), checked too when given: without it the audience
   * routes could only fail, so an api whose table is missing (no `herald setup`) is not ready.
   */
  audienceTableName?: string;
  /** Per check. Default 2 000. */
  timeoutMs?: number;
}

export type CheckState = 'ok' | 'unavailable';

export interface Readiness {
  /** True when every check is `ok`. */
  ok: boolean;
  checks: { table: CheckState; queue: CheckState; audienceTable?: CheckState };
}

/**
 * Whether the table (and the audience table, when given) is ACTIVE and the queue answers, all
 * checked at once, each given `timeoutMs` in all (the SDK's own retries included). For readiness
 * probes: never throws; any failure or timeout is reported as `unavailable`.
 */
export async function checkReadiness(options: ReadinessOptions): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const tableActive = (tableName: string) =>
    check(async () => {
      const res = await options.dynamodb.send(new DescribeTableCommand({ TableName: tableName }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
      return res.Table?.TableStatus === 'ACTIVE';
    });
  const audience = options.audienceTableName;
  const [table, queue, audienceTable] = await Promise.all([
    tableActive(options.tableName),
    check(async () => {
      await options.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['QueueArn'] }),
        { abortSignal: AbortSignal.timeout(timeoutMs) },
      );
      return true;
    }),
    audience === undefined ? undefined : tableActive(audience),
  ]);
  if (audienceTable === undefined) {
    return { ok: table === 'ok' && queue === 'ok', checks: { table, queue } };
  }
  return {
    ok: table === 'ok' && queue === 'ok' && audienceTable === 'ok',
    checks: { table, queue, audienceTable },
  };
}

async function check(probe: () => Promise<boolean>): Promise<CheckState> {
  try {
    return (await probe()) ? 'ok' : 'unavailable';
  } catch {
    return 'unavailable';
  }
}
