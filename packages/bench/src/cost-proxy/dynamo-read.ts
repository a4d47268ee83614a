/**
 * DynamoDB through the cost proxy: every call is counted; reads are priced here, writes in
 * dynamo-write.ts; a table change drops the cached description of that table.
 */
import { countCall } from './counters';
import { handleWrite } from './dynamo-write';
import { exchange, forwardStreaming, requestOf, sendBuffered, type ClientExchange } from './http';
import { itemSize } from './item-size';
import { arrayOr, field, isObject, parseJson, type JsonObject } from './json';
import { DYNAMO_TARGET_PREFIX, type DynamoContext } from './table-schema';

const READ_UNIT_BYTES = 4096;
const READ_OPS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITE_OPS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
// These change a table's indexes, so its cached description must be fetched again.
const SCHEMA_OPS = new Set(['CreateTable', 'UpdateTable', 'DeleteTable']);

/** Counts one DynamoDB call, prices it if it reads or writes items, and forwards it. */
export async function handleDynamo(ctx: DynamoContext, x: ClientExchange): Promise<void> {
  const target = String(x.req.headers['x-amz-target'] ?? '');
  if (!target.startsWith(DYNAMO_TARGET_PREFIX)) return forwardStreaming(ctx, x);
  const op = target.slice(DYNAMO_TARGET_PREFIX.length);
  countCall(ctx.state.counters, `DynamoDB.${op}`);
  const input = parseJson(x.body);
  if (!isObject(input)) return forwardStreaming(ctx, x);
  if (READ_OPS.has(op)) return handleRead(ctx, x, op, input);
  if (WRITE_OPS.has(op)) return handleWrite(ctx, x, op, input);
  if (!SCHEMA_OPS.has(op)) return forwardStreaming(ctx, x);
  const table = String(input.TableName);
  ctx.tables.delete(table);
  await forwardStreaming(ctx, x);
  ctx.tables.delete(table);
}

/**
 * Reads are priced by upstream: the request asks for `ReturnConsumedCapacity: TOTAL` when the
 * client did not, and that field is removed from the answer again. Pricing from the returned
 * items instead would miss what ProjectionExpression and FilterExpression drop, which AWS bills.
 */
async function handleRead(
  ctx: DynamoContext,
  x: ClientExchange,
  op: string,
  input: JsonObject,
): Promise<void> {
  const inject = !input.ReturnConsumedCapacity || input.ReturnConsumedCapacity === 'NONE';
  const request = requestOf(x);
  if (inject) {
    request.body = Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
    // A compressed answer could not be edited; the emulators never compress anyway.
    request.headers = { ...request.headers };
    delete request.headers['accept-encoding'];
  }
  const up = await exchange(ctx, request, x.signal);
  const output = up.status === 200 ? parseJson(up.body) : undefined;
  let body = up.body;
  if (isObject(output)) {
    ctx.state.counters.dynamodb.rcu += readUnits(op, input, output);
    if (inject && output.ConsumedCapacity !== undefined) {
      delete output.ConsumedCapacity;
      body = Buffer.from(JSON.stringify(output));
    }
  }
  sendBuffered(x.res, up, body);
}

function readUnits(op: string, input: JsonObject, output: JsonObject): number {
  const units = reportedUnits(output.ConsumedCapacity) ?? estimatedReadUnits(op, input, output);
  // AWS charges a Query or Scan at least one read (half for eventually consistent) even when
  // nothing matches; dynalite reports 0 then.
  if (op === 'Query' || op === 'Scan') return Math.max(units, input.ConsistentRead ? 1 : 0.5);
  return units;
}

function reportedUnits(consumed: unknown): number | undefined {
  if (consumed === undefined) return undefined;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce(
    (sum: number, c) =>
      sum + (Number(field(c, 'CapacityUnits') ?? field(c, 'ReadCapacityUnits')) || 0),
    0,
  );
}

const itemsOf = (value: unknown): JsonObject[] => arrayOr(value).filter(isObject);

/** Only used if upstream ignores ReturnConsumedCapacity: prices the returned items. */
function estimatedReadUnits(op: string, input: JsonObject, output: JsonObject): number {
  const scale = (units: number, consistent: unknown) => (consistent ? units : units / 2);
  const blocks = (bytes: number) => Math.ceil(bytes / READ_UNIT_BYTES);
  const sizeOf = (items: unknown) => itemsOf(items).reduce((sum, item) => sum + itemSize(item), 0);
  const sizeOfItem = (item: unknown) => (isObject(item) ? itemSize(item) : 0);
  switch (op) {
    case 'GetItem':
      return scale(Math.max(1, blocks(sizeOfItem(output.Item))), input.ConsistentRead);
    case 'Query':
    case 'Scan':
      return scale(blocks(sizeOf(output.Items)), input.ConsistentRead);
    case 'BatchGetItem':
      return Object.entries(isObject(output.Responses) ? output.Responses : {}).reduce(
        (sum, [table, items]) => {
          const consistent = field(field(input.RequestItems, table), 'ConsistentRead');
          const units = itemsOf(items).reduce(
            (n, item) => n + Math.max(1, blocks(itemSize(item))),
            0,
          );
          return sum + scale(units, consistent);
        },
        0,
      );
    case 'TransactGetItems':
      // Transactions read every item twice (prepare and commit).
      return arrayOr(output.Responses).reduce(
        (sum: number, r) => sum + 2 * Math.max(1, blocks(sizeOfItem(field(r, 'Item')))),
        0,
      );
    default:
      return 0;
  }
}
