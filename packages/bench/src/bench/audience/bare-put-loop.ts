/**
 * The baseline of the fan-out's child creation: the same conditional PutItem a child's create
 * is (`attribute_not_exists(pk)`, dynamo-children.ts), on copies of a real child item, 16 in
 * flight (the fan-out's concurrency), against the same dynalite, into the baselines' table
 * (`bench-base`, the same table definition and indexes as Herald's), with nothing else: no
 * subscriber reads, no enqueue, no page record.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { BY_PARENT_INDEX } from '@herald/aws';
import type { BenchContext } from '../context';
import { pool } from './seed';

/** Conditional PutItem calls in flight, as the fan-out's child store makes them. */
export const CREATE_CONCURRENCY = 16;

/** One stored child of `parentId`, the whole item as the fan-out wrote it. */
export async function readOneChild(
  ctx: BenchContext,
  parentId: string,
): Promise<Record<string, unknown>> {
  const { doc } = ctx.stack.aws;
  const { tableName } = ctx.stack.resources;
  // The byParent index projects the table's key (every index does), so one entry names an item.
  for (let shard = 0; shard < 16; shard++) {
    const res = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: BY_PARENT_INDEX,
        KeyConditionExpression: 'parentShard = :s',
        ExpressionAttributeValues: { ':s': `${parentId}#${shard}` },
        Limit: 1,
      }),
    );
    const pk: unknown = res.Items?.[0]?.pk;
    if (typeof pk !== 'string') continue;
    const item = await doc.send(
      new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true }),
    );
    if (item.Item) return item.Item;
  }
  throw new Error(`no child of ${parentId} found in the byParent index`);
}

/**
 * Writes `n` copies of `child` (each under its own id of the same length, spread over the 16
 * parent shards like real children) with the conditional PutItem; returns the puts per second.
 */
export async function bareCreateLoop(
  ctx: BenchContext,
  child: Record<string, unknown>,
  n: number,
): Promise<number> {
  const { doc } = ctx.stack.aws;
  const tableName = ctx.baseTable.tableName;
  const id = String(child.id);
  const template = JSON.stringify(child);
  const parentShard = String(child.parentShard);
  const parent = parentShard.slice(0, parentShard.lastIndexOf('#'));
  const run = `${Date.now().toString(36)}`.slice(-4);
  const started = performance.now();
  await pool(n, CREATE_CONCURRENCY, async (i) => {
    const copyId = `${id.slice(0, id.length - 12)}${run}${i.toString(16).padStart(8, '0')}`;
    const item = JSON.parse(template.replaceAll(id, copyId)) as Record<string, unknown>;
    item.parentShard = `${parent}#${i % 16}`;
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  });
  return n / ((performance.now() - started) / 1000);
}
