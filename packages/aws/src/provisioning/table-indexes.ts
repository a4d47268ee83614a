import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import type {
  CreateTableCommandInput,
  DynamoDBClient,
  GlobalSecondaryIndex,
  GlobalSecondaryIndexDescription,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import { AppError } from '@herald/core';
import { toStoreError } from '../errors';

export interface EnsureIndexesOptions {
  dynamodb: DynamoDBClient;
  /** The table as DescribeTable showed it, ACTIVE. */
  table: TableDescription;
  /** What the table should look like (tableDefinition). */
  definition: CreateTableCommandInput;
  /** Waits until the table and every index are ACTIVE and describes it; throws past its timeout. */
  waitActive: () => Promise<TableDescription>;
}

/**
 * The upgrade step of `herald setup`: creates each index of `definition` the table lacks, one at a
 * time as DynamoDB requires (UpdateTable with its key attributes), waits until DescribeTable shows
 * it ACTIVE (DynamoDB backfills it from the existing items first), then checks every index has
 * the defined keys and projects at least the defined attributes. Indexes the definition does not
 * name are left alone. Safe to run again, and concurrently: an index someone else is creating is
 * waited for. Throws `INTERNAL` for an index of the same name and another shape, and what
 * `waitActive` or the SDK throws (`UNAVAILABLE`, `INTERNAL`).
 */
export async function ensureIndexes(options: EnsureIndexesOptions): Promise<TableDescription> {
  const { dynamodb, definition } = options;
  let table = options.table;
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    if (describedIndex(table, index.IndexName) !== undefined) continue;
    await createIndex(dynamodb, definition, index);
    table = await options.waitActive();
  }
  for (const index of definition.GlobalSecondaryIndexes ?? []) checkShape(table, index);
  return table;
}

async function createIndex(
  dynamodb: DynamoDBClient,
  definition: CreateTableCommandInput,
  index: GlobalSecondaryIndex,
): Promise<void> {
  const keys = new Set((index.KeySchema ?? []).map((k) => k.AttributeName));
  try {
    await dynamodb.send(
      new UpdateTableCommand({
        TableName: definition.TableName,
        // Only the new index's keys: DynamoDB requires them, and they must match existing ones.
        AttributeDefinitions: (definition.AttributeDefinitions ?? []).filter((a) =>
          keys.has(a.AttributeName),
        ),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.IndexName,
              KeySchema: index.KeySchema,
              Projection: index.Projection,
            },
          },
        ],
      }),
    );
  } catch (err) {
    // Another setup may have created it since we looked (ValidationException "already exists",
    // or ResourceInUseException while it is being built): then there is nothing left to do.
    if (await hasIndex(dynamodb, definition.TableName, index.IndexName)) return;
    throw toStoreError(err, 'DynamoDB UpdateTable');
  }
}

async function hasIndex(
  dynamodb: DynamoDBClient,
  tableName: string | undefined,
  indexName: string | undefined,
): Promise<boolean> {
  try {
    const res = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    return res.Table !== undefined && describedIndex(res.Table, indexName) !== undefined;
  } catch {
    return false;
  }
}

function describedIndex(
  table: TableDescription,
  name: string | undefined,
): GlobalSecondaryIndexDescription | undefined {
  return (table.GlobalSecondaryIndexes ?? []).find((i) => i.IndexName === name);
}

function checkShape(table: TableDescription, index: GlobalSecondaryIndex): void {
  const found = describedIndex(table, index.IndexName);
  const keysOf = (i: { KeySchema?: { AttributeName?: string; KeyType?: string }[] }) =>
    JSON.stringify((i.KeySchema ?? []).map((k) => [k.AttributeName, k.KeyType]));
  const projected = new Set(found?.Projection?.NonKeyAttributes ?? []);
  const wideEnough =
    found?.Projection?.ProjectionType === 'ALL' ||
    (index.Projection?.NonKeyAttributes ?? []).every((a) => projected.has(a));
  if (found === undefined || keysOf(found) !== keysOf(index) || !wideEnough) {
    throw new AppError(
      'INTERNAL',
      `table ${table.TableName} has no index ${index.IndexName} with the keys and projection ` +
        'Herald needs (see tableDefinition); delete it and run herald setup again',
    );
  }
}
