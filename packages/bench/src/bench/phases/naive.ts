import { startTracked } from '../../lib/processes';
import type { BenchContext } from '../context';
import { SLACK_BODY, loadOptions } from '../loads';
import { httpRuns } from '../repeated';
import { baseline } from '../worker-variants';

/** Baseline Naive: express + one PutItem + one SendMessage per request, under ingest's load. */
export async function benchNaive(ctx: BenchContext): Promise<void> {
  const naive = startTracked('naive', baseline('naive-api'), {
    env: {
      DYNAMODB_ENDPOINT: ctx.stack.dynamodbEndpoint,
      SQS_ENDPOINT: ctx.stack.sqsEndpoint,
      TABLE_NAME: ctx.baseTable.tableName,
      QUEUE_URL: ctx.baseTable.queueUrl,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  try {
    const { listening } = JSON.parse(await naive.waitForLine(/listening/)) as { listening: number };
    const opts = loadOptions(ctx, `http://127.0.0.1:${listening}/v1/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      bodyTemplate: SLACK_BODY,
    });
    ctx.results.http.naive = {
      label: 'Naive — express + PutItem + SendMessage',
      ...(await httpRuns(ctx, 'Naive (express + PutItem + SendMessage)', opts)),
    };
  } finally {
    await naive.stop();
  }
}
