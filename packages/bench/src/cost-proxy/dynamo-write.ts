/**
 * DynamoDB writes through the cost proxy, priced from the item before and after each write. The
 * images are read while the write holds a per-key lock, so a concurrent write to the same key
 * cannot slip between them; a write that cannot be priced is forwarded and counted as uncounted.
 */
import {
  exchange,
  forwardStreaming,
  requestOf,
  sendBuffered,
  type ClientExchange,
  type UpstreamAnswer,
} from './http';
import { arrayOr, field, isObject, parseJson, stringOr, type JsonObject } from './json';
import {
  authHeaders,
  dynamoCall,
  tableSchema,
  type AuthHeaders,
  type DynamoContext,
  type TableSchema,
} from './table-schema';
import {
  canonical,
  chargeWrite,
  type Image,
  type WriteKind,
  type WriteOutcome,
  type WriteUnit,
} from './write-units';

/** A single-item write as the request states it, before its table and key are known good. */
interface WriteRequest {
  table: unknown;
  kind: WriteKind;
  item?: unknown;
  key?: unknown;
  transactional?: boolean;
}

/** Prices and forwards one write call (see the file comment). */
export async function handleWrite(
  ctx: DynamoContext,
  x: ClientExchange,
  op: string,
  input: JsonObject,
): Promise<void> {
  const requests = writeRequests(op, input);
  const auth = authHeaders(x.req.headers);
  const units = requests.length > 0 ? await planWrites(ctx, requests, auth) : undefined;
  if (!units) {
    ctx.state.counters.dynamodb.uncountedWrites += requests.length;
    return forwardStreaming(ctx, x);
  }
  const release = await acquireLocks(
    ctx.locks,
    units.map((u) => u.id),
  );
  try {
    await countedWrite(ctx, x, op, units, auth);
  } finally {
    release();
  }
}

async function countedWrite(
  ctx: DynamoContext,
  x: ClientExchange,
  op: string,
  units: WriteUnit[],
  auth: AuthHeaders,
): Promise<void> {
  const before = await readImages(ctx, units, auth);
  if (x.signal.aborted) throw new Error('client went away');
  let up: UpstreamAnswer;
  try {
    up = await exchange(ctx, requestOf(x), x.signal);
  } catch (err) {
    // The write may or may not have happened.
    ctx.state.counters.dynamodb.uncountedWrites += units.length;
    throw err;
  }
  // The answer waits for the bookkeeping, so a snapshot taken once the client has its answer
  // already includes this write.
  try {
    await chargeWrites(ctx, op, units, auth, before, up);
  } catch {
    ctx.state.counters.dynamodb.uncountedWrites += units.length;
  }
  sendBuffered(x.res, up);
}

async function chargeWrites(
  ctx: DynamoContext,
  op: string,
  units: WriteUnit[],
  auth: AuthHeaders,
  before: Image[] | undefined,
  up: UpstreamAnswer,
): Promise<void> {
  const outcomes = writeOutcomes(op, up, units);
  // Only applied writes change the item; a failed condition leaves the old image in place.
  const changed = units.map((u, i) => outcomes[i] === 'applied' && u.kind !== 'check');
  const after = before && (await readImages(ctx, units, auth, changed));
  const d = ctx.state.counters.dynamodb;
  if (!before || !after) {
    d.uncountedWrites += outcomes.filter((o) => o !== 'none').length;
    return;
  }
  units.forEach((unit, i) => {
    const newImage = changed[i] ? after[i] : before[i];
    chargeWrite(d, unit, outcomes[i] ?? 'none', before[i], newImage);
  });
}

/** The single-item writes of a request. */
function writeRequests(op: string, input: JsonObject): WriteRequest[] {
  switch (op) {
    case 'PutItem':
      return [{ table: input.TableName, kind: 'put', item: input.Item }];
    case 'UpdateItem':
      return [{ table: input.TableName, kind: 'update', key: input.Key }];
    case 'DeleteItem':
      return [{ table: input.TableName, kind: 'delete', key: input.Key }];
    case 'BatchWriteItem':
      return batchWriteRequests(input.RequestItems);
    case 'TransactWriteItems':
      return arrayOr(input.TransactItems).map(transactRequest);
    default:
      return [];
  }
}

function batchWriteRequests(requestItems: unknown): WriteRequest[] {
  if (!isObject(requestItems)) return [];
  return Object.entries(requestItems).flatMap(([table, requests]) =>
    arrayOr(requests).map((r): WriteRequest => {
      const put = field(r, 'PutRequest');
      return put
        ? { table, kind: 'put', item: field(put, 'Item') }
        : { table, kind: 'delete', key: field(field(r, 'DeleteRequest'), 'Key') };
    }),
  );
}

function transactRequest(entry: unknown): WriteRequest {
  const [kind, write]: [WriteKind, unknown] = field(entry, 'Put')
    ? ['put', field(entry, 'Put')]
    : field(entry, 'Update')
      ? ['update', field(entry, 'Update')]
      : field(entry, 'Delete')
        ? ['delete', field(entry, 'Delete')]
        : ['check', field(entry, 'ConditionCheck')];
  return {
    table: field(write, 'TableName'),
    kind,
    item: field(write, 'Item'),
    key: field(write, 'Key'),
    transactional: true,
  };
}

/** Adds each write's table schema, key and lock id; undefined when any cannot be known. */
async function planWrites(
  ctx: DynamoContext,
  requests: readonly WriteRequest[],
  auth: AuthHeaders,
): Promise<WriteUnit[] | undefined> {
  const tables: string[] = [];
  for (const r of requests) {
    if (typeof r.table !== 'string') return undefined;
    tables.push(r.table);
  }
  const names = [...new Set(tables)];
  let schemas: Map<string, TableSchema>;
  try {
    schemas = new Map(
      await Promise.all(
        names.map(async (t): Promise<[string, TableSchema]> => [
          t,
          await tableSchema(ctx, t, auth),
        ]),
      ),
    );
  } catch {
    return undefined;
  }
  const units: WriteUnit[] = [];
  for (const [i, r] of requests.entries()) {
    const table = tables[i] ?? '';
    const schema = schemas.get(table);
    const key = schema && pickKey(r.key ?? r.item, schema.keyAttrs);
    if (!schema || !key) return undefined;
    units.push({ ...r, table, schema, key, id: lockId(table, key) });
  }
  return units;
}

function pickKey(item: unknown, keyAttrs: readonly string[]): JsonObject | undefined {
  if (!isObject(item) || !keyAttrs.every((a) => Object.hasOwn(item, a))) return undefined;
  return Object.fromEntries(keyAttrs.map((a) => [a, item[a]]));
}

function lockId(table: string, key: JsonObject): string {
  return `${table}\u0000${JSON.stringify(canonical(key))}`;
}

/**
 * Waits until every earlier write to any of `ids` is done and returns the release function.
 * All ids are claimed at once, synchronously, so two multi-key writes cannot deadlock.
 */
function acquireLocks(
  locks: Map<string, Promise<void>>,
  ids: readonly string[],
): Promise<() => void> {
  const unique = [...new Set(ids)];
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const earlier = unique.map((id) => locks.get(id));
  for (const id of unique) locks.set(id, held);
  return Promise.all(earlier.filter((p) => p !== undefined)).then(() => () => {
    release();
    for (const id of unique) if (locks.get(id) === held) locks.delete(id);
  });
}

/** Consistent images of the units' items (undefined where absent); undefined on failure. */
async function readImages(
  ctx: DynamoContext,
  units: readonly WriteUnit[],
  auth: AuthHeaders,
  wanted: readonly boolean[] = units.map(() => true),
): Promise<Image[] | undefined> {
  try {
    return await Promise.all(
      units.map((u, i) =>
        wanted[i]
          ? dynamoCall(
              ctx,
              'GetItem',
              { TableName: u.table, Key: u.key, ConsistentRead: true },
              auth,
            ).then((out) => (isObject(out.Item) ? out.Item : undefined))
          : Promise.resolve(undefined),
      ),
    );
  } catch {
    return undefined;
  }
}

/** The outcome of each unit, from the upstream answer. */
function writeOutcomes(
  op: string,
  up: UpstreamAnswer,
  units: readonly WriteUnit[],
): WriteOutcome[] {
  const output = parseJson(up.body) ?? {};
  if (up.status === 200) {
    const unprocessed =
      op === 'BatchWriteItem' ? unprocessedIds(field(output, 'UnprocessedItems'), units) : [];
    return units.map((u) => (unprocessed.includes(u.id) ? 'none' : 'applied'));
  }
  const type = stringOr(field(output, '__type'));
  if (type.endsWith('ConditionalCheckFailedException')) return units.map(() => 'failed');
  if (type.endsWith('TransactionCanceledException')) {
    const reasons = arrayOr(field(output, 'CancellationReasons'));
    return units.map((_, i) =>
      field(reasons[i], 'Code') === 'ConditionalCheckFailed' ? 'failed' : 'none',
    );
  }
  return units.map(() => 'none');
}

function unprocessedIds(unprocessedItems: unknown, units: readonly WriteUnit[]): string[] {
  const schemas = new Map(units.map((u) => [u.table, u.schema]));
  return batchWriteRequests(unprocessedItems).flatMap((r) => {
    const table = String(r.table);
    const schema = schemas.get(table);
    const key = schema && pickKey(r.key ?? r.item, schema.keyAttrs);
    return key ? [lockId(table, key)] : [];
  });
}
