import {
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { hasErrorName, toStoreError } from '../errors';

/**
 * Turns DynamoDB's TTL on for `attribute` of `tableName` unless it is on (or being turned on)
 * already, so items that carry it (the per-number cap counters) are deleted after their time.
 * Idempotent. An emulator without TTL (dynalite answers `UnknownOperationException`) is left as
 * it is: its items then stay, which costs only space. Throws AppError `UNAVAILABLE` or
 * `INTERNAL` otherwise.
 */
export async function ensureTimeToLive(
  dynamodb: DynamoDBClient,
  tableName: string,
  attribute: string,
): Promise<void> {
  try {
    const current = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    const status = current.TimeToLiveDescription?.TimeToLiveStatus;
    if (status === 'ENABLED' || status === 'ENABLING') return;
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
  } catch (err) {
    if (hasErrorName(err, 'UnknownOperationException')) return;
    throw toStoreError(err, 'DynamoDB UpdateTimeToLive');
  }
}
