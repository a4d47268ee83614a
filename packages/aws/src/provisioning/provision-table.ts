import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type {
  CreateTableCommandInput,
  DynamoDBClient,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import { AppError } from '@herald/core';
import { hasErrorName, toStoreError } from '../errors';
import { ensureIndexes } from './table-indexes';
import { ensureTimeToLive } from './table-ttl';
import { TTL_ATTRIBUTE } from '../store/dynamo-recipient-caps';
import { tableDefinition } from '../store/table-schema';

/** What `ensureTable` needs; part of `InfrastructureOptions`. */
export interface TableProvisionOptions {
  dynamodb: DynamoDBClient;
  tableName: string;
  /** How long to wait for a new table to become ACTIVE. Default 120 000. */
  tableActiveTimeoutMs?: number;
  /**
   * How long to wait for an index added to an existing table to become ACTIVE (DynamoDB backfills
   * it from every item first). Default 900 000; past it, running setup again goes on waiting.
   */
  indexActiveTimeoutMs?: number;
}

/**
 * Creates the table if it is missing and waits until it and its indexes are ACTIVE; an existing
 * table gets the indexes of `tableDefinition` it lacks (see `ensureIndexes`) and TTL on `ttl`
 * (the per-number cap counters, `ensureTimeToLive`). Idempotent. Throws AppError `UNAVAILABLE`
 * or `INTERNAL`.
 */
export async function ensureTable(options: TableProvisionOptions): Promise<void> {
  await ensureTableAs(options, tableDefinition(options.tableName));
  await ensureTimeToLive(options.dynamodb, options.tableName, TTL_ATTRIBUTE);
}

/**
 * Creates the table of `definition` (named `options.tableName`) if it is missing, waits until it
 * and its indexes are ACTIVE, and adds the indexes it lacks. Idempotent. Throws AppError
 * `UNAVAILABLE` or `INTERNAL`.
 */
export async function ensureTableAs(
  options: TableProvisionOptions,
  definition: CreateTableCommandInput,
): Promise<void> {
  try {
    await options.dynamodb.send(new CreateTableCommand(definition));
  } catch (err) {
    if (!hasErrorName(err, 'ResourceInUseException'))
      throw toStoreError(err, 'DynamoDB CreateTable');
  }
  const { dynamodb, tableName } = options;
  const table = await waitUntilActive(dynamodb, tableName, options.tableActiveTimeoutMs ?? 120_000);
  await ensureIndexes({
    dynamodb,
    table,
    definition,
    waitActive: () => waitUntilActive(dynamodb, tableName, options.indexActiveTimeoutMs ?? 900_000),
  });
}

async function waitUntilActive(
  dynamodb: DynamoDBClient,
  tableName: string,
  timeoutMs: number,
): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  // dynalite needs ~50-500 ms, AWS seconds to minutes: start fast, back off to 2 s.
  for (let delay = 50; ; delay = Math.min(delay * 2, 2_000)) {
    let table: TableDescription | undefined;
    try {
      table = (await dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    } catch (err) {
      // Right after CreateTable, AWS may not list the table yet.
      if (!hasErrorName(err, 'ResourceNotFoundException'))
        throw toStoreError(err, 'DynamoDB DescribeTable');
    }
    if (table !== undefined && isActive(table)) return table;
    if (Date.now() + delay > deadline) {
      throw new AppError(
        'UNAVAILABLE',
        `table ${tableName} and its indexes did not become ACTIVE in ${timeoutMs} ms`,
      );
    }
    await sleep(delay);
  }
}

function isActive(table: TableDescription): boolean {
  return (
    table.TableStatus === 'ACTIVE' &&
    (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')
  );
}
