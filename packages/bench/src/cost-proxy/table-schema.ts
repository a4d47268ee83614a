/**
 * The proxy's own DynamoDB calls, never counted: table descriptions (key attributes and indexes,
 * cached per table) and the item reads that price a write.
 */
import type http from 'node:http';
import { exchange, type ProxyContext } from './http';
import { arrayOr, field, isObject, parseJson, stringOr, type JsonObject } from './json';

/** The DynamoDB JSON-protocol target prefix (`x-amz-target: DynamoDB_20120810.PutItem`). */
export const DYNAMO_TARGET_PREFIX = 'DynamoDB_20120810.';

/** A secondary index: its key attributes and, unless every attribute is, what it projects. */
export interface IndexSchema {
  name: string;
  keyAttrs: string[];
  /** undefined: every attribute is projected */
  projected: Set<string> | undefined;
}

/** A table's key attributes and secondary indexes. */
export interface TableSchema {
  keyAttrs: string[];
  indexes: IndexSchema[];
}

/** The DynamoDB listener's context: tables described so far and the per-key write locks. */
export interface DynamoContext extends ProxyContext {
  /** table name -> its schema (a failed description is dropped, to be asked again) */
  tables: Map<string, Promise<TableSchema>>;
  /** lock id -> promise that settles when the write holding it is done */
  locks: Map<string, Promise<void>>;
}

/** The credentials the proxy's own calls reuse (see `authHeaders`). */
export type AuthHeaders = http.OutgoingHttpHeaders;

/** The table's key attributes and indexes, from DescribeTable, cached per table. */
export function tableSchema(
  ctx: DynamoContext,
  table: string,
  auth: AuthHeaders,
): Promise<TableSchema> {
  let cached = ctx.tables.get(table);
  if (!cached) {
    const described = dynamoCall(ctx, 'DescribeTable', { TableName: table }, auth).then((out) =>
      schemaOf(out.Table),
    );
    cached = described;
    ctx.tables.set(table, described);
    described.catch(() => {
      if (ctx.tables.get(table) === described) ctx.tables.delete(table);
    });
  }
  return cached;
}

/** The attribute names of a KeySchema; throws when there is none (the write goes uncounted). */
function attributeNames(keySchema: unknown): string[] {
  if (!Array.isArray(keySchema)) throw new Error('DescribeTable: no KeySchema');
  return keySchema.map((k) => String(field(k, 'AttributeName')));
}

function schemaOf(table: unknown): TableSchema {
  const keyAttrs = attributeNames(field(table, 'KeySchema'));
  // Local indexes are priced like global ones; both are billed as extra writes.
  const indexes = [
    ...arrayOr(field(table, 'GlobalSecondaryIndexes')),
    ...arrayOr(field(table, 'LocalSecondaryIndexes')),
  ];
  return {
    keyAttrs,
    indexes: indexes.map((index) => {
      const indexKeys = attributeNames(field(index, 'KeySchema'));
      const projection = field(index, 'Projection');
      const type = field(projection, 'ProjectionType') ?? 'ALL';
      const extra =
        type === 'INCLUDE' ? arrayOr(field(projection, 'NonKeyAttributes')).map(String) : [];
      return {
        name: String(field(index, 'IndexName')),
        keyAttrs: indexKeys,
        projected: type === 'ALL' ? undefined : new Set([...keyAttrs, ...indexKeys, ...extra]),
      };
    }),
  };
}

/**
 * Credentials of the client's request, reused for the proxy's own calls: the emulators check
 * that a SigV4 header is present, not that its signature matches.
 */
export function authHeaders(headers: http.IncomingHttpHeaders): AuthHeaders {
  const out: AuthHeaders = {};
  for (const name of ['authorization', 'x-amz-date', 'date', 'x-amz-security-token']) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** One DynamoDB call of the proxy's own; rejects unless it answers 200 with a JSON object. */
export async function dynamoCall(
  ctx: ProxyContext,
  op: string,
  payload: JsonObject,
  auth: AuthHeaders,
): Promise<JsonObject> {
  const headers = {
    ...auth,
    host: ctx.upstream.host,
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': DYNAMO_TARGET_PREFIX + op,
  };
  const body = Buffer.from(JSON.stringify(payload));
  const up = await exchange(ctx, { method: 'POST', path: '/', headers, body });
  const output = parseJson(up.body);
  if (up.status !== 200 || !isObject(output)) {
    throw new Error(`${op} failed upstream: ${up.status} ${stringOr(field(output, '__type'))}`);
  }
  return output;
}
