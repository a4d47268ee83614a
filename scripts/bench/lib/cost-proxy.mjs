/**
 * A counting HTTP reverse proxy for the benchmark's cost phase. It sits between Herald processes
 * and the emulators (dynalite for DynamoDB, fauxqs for SQS + SNS), forwards every request
 * unchanged, and counts the AWS calls made and the DynamoDB capacity they would consume on AWS,
 * including secondary index writes, which dynalite does not report.
 *
 * Write capacity is derived from item images: before each counted write the proxy reads the item
 * (consistently) from upstream, after it reads it again, and prices the difference with AWS's
 * sizing rules. Writes to one key are serialised so the images belong to that write. The image
 * reads and table descriptions are the proxy's own bookkeeping and are never counted.
 *
 * Only node built-ins; plain HTTP upstreams only (the emulators).
 */
import http from 'node:http';
import { pipeline } from 'node:stream';
import zlib from 'node:zlib';

const HOST = '127.0.0.1';
// SQS long polls wait up to 20 s; give them ample room rather than cut them off.
const UPSTREAM_TIMEOUT_MS = 120_000;
// Below the 5 s keep-alive timeout of dynalite's plain node server: the agent drops an idle
// upstream socket before the server closes it under a request that is being sent.
const IDLE_UPSTREAM_SOCKET_MS = 4_000;
// Above the SDK's own idle times, so our end does not close a client socket being reused.
const CLIENT_KEEP_ALIVE_MS = 65_000;
// DynamoDB caps requests at 16 MB; anything far beyond is not a real client.
const MAX_BODY_BYTES = 64 * 1024 * 1024;

const WRITE_UNIT_BYTES = 1024;
const READ_UNIT_BYTES = 4096;
// AWS sizes a secondary index entry as its projected attributes plus about 100 bytes of
// overhead per index item (the figure the DynamoDB docs give for index storage).
const INDEX_ENTRY_OVERHEAD_BYTES = 100;

const DYNAMO_TARGET_PREFIX = 'DynamoDB_20120810.';
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

// Connection-level headers describe one hop; the proxy's own connections set their own. The body
// is buffered before it is forwarded, so `expect: 100-continue` no longer applies either.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

// Query-protocol requests name the API version; the credential scope is checked first.
const QUERY_VERSIONS = { '2012-11-05': 'SQS', '2010-03-31': 'SNS' };

/**
 * Starts the two listeners on 127.0.0.1 (ephemeral ports). Point DynamoDB clients at
 * `dynamodbUrl` and SQS + SNS clients at `sqsUrl`.
 */
export async function startCostProxy({ dynamodbEndpoint, sqsEndpoint }) {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: 256,
    timeout: IDLE_UPSTREAM_SOCKET_MS,
  });
  const state = { counters: emptyCounters() };
  const dynamo = {
    agent,
    state,
    upstream: parseEndpoint(dynamodbEndpoint),
    // table name -> Promise<schema>
    tables: new Map(),
    // lock id -> promise that settles when the write holding it is done
    locks: new Map(),
  };
  const queue = { agent, state, upstream: parseEndpoint(sqsEndpoint) };

  const servers = [];
  try {
    servers.push(await listen(createProxyServer((x) => handleDynamo(dynamo, x))));
    servers.push(await listen(createProxyServer((x) => handleQueue(queue, x))));
  } catch (err) {
    await Promise.all(servers.map(closeServer));
    agent.destroy();
    throw err;
  }

  let closing;
  return {
    dynamodbUrl: urlOf(servers[0]),
    sqsUrl: urlOf(servers[1]),
    reset() {
      state.counters = emptyCounters();
    },
    snapshot() {
      return snapshotOf(state.counters);
    },
    close() {
      closing ??= Promise.all(servers.map(closeServer)).then(() => agent.destroy());
      return closing;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Counters

function emptyCounters() {
  return {
    calls: {},
    sqs: { entriesSent: 0, messagesReceived: 0, entriesDeleted: 0, requests: 0 },
    sns: { publishes: 0, publishBatchEntries: 0 },
    dynamodb: {
      wcuTable: 0,
      wcuIndexes: {},
      rcu: 0,
      conditionalFailures: 0,
      // Writes whose capacity could not be priced (image read or table description failed).
      uncountedWrites: 0,
    },
  };
}

function snapshotOf(counters) {
  const { calls, sqs, sns, dynamodb } = structuredClone(counters);
  const wcuIndexTotal = Object.values(dynamodb.wcuIndexes).reduce((sum, n) => sum + n, 0);
  return {
    calls,
    sqs,
    sns,
    dynamodb: {
      wcuTable: dynamodb.wcuTable,
      wcuIndexes: dynamodb.wcuIndexes,
      wcuIndexTotal,
      wcuTotal: dynamodb.wcuTable + wcuIndexTotal,
      rcu: dynamodb.rcu,
      conditionalFailures: dynamodb.conditionalFailures,
      uncountedWrites: dynamodb.uncountedWrites,
    },
  };
}

function increment(map, key, by = 1) {
  map[key] = (map[key] ?? 0) + by;
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing

function parseEndpoint(endpoint) {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:') throw new Error(`cost-proxy: only http:// upstreams: ${endpoint}`);
  return { hostname: url.hostname, port: Number(url.port || 80), host: url.host };
}

function createProxyServer(handle) {
  const server = http.createServer((req, res) => void serve(handle, req, res));
  server.keepAliveTimeout = CLIENT_KEEP_ALIVE_MS;
  // Must exceed keepAliveTimeout, or node may time out a reused socket's next request headers.
  server.headersTimeout = CLIENT_KEEP_ALIVE_MS + 1_000;
  return server;
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function urlOf(server) {
  return `http://${HOST}:${server.address().port}`;
}

function closeServer(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive and long-poll sockets would otherwise hold the close open.
    server.closeAllConnections();
  });
}

/** Reads the client's request, hands it to `handle`, and turns any failure into a 502. */
async function serve(handle, req, res) {
  try {
    const body = await readBody(req);
    await handle({ req, res, body, signal: abortWhenClientLeaves(res) });
  } catch (err) {
    fail(res, err);
  }
}

/** Aborted when the client goes away before its response is complete. */
function abortWhenClientLeaves(res) {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

function fail(res, err) {
  if (res.writableEnded || res.destroyed) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `cost-proxy: upstream request failed: ${err?.message ?? err}\n`;
  res.writeHead(502, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function readBody(stream) {
  const chunks = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function requestOf(x, body = x.body) {
  return { method: x.req.method, path: x.req.url, headers: x.req.headers, body };
}

function withoutHopByHop(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * Sends one request upstream; resolves with the response once its headers arrive. `host` is
 * passed through as the client sent it: fauxqs builds queue URLs from it, so they keep
 * pointing at the proxy.
 */
function requestUpstream(ctx, request, signal, retried = false) {
  const { hostname, port } = ctx.upstream;
  const headers = withoutHopByHop(request.headers);
  headers['content-length'] = String(request.body.length);
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = http.request({
      hostname,
      port,
      method: request.method,
      path: request.path,
      headers,
      agent: ctx.agent,
      signal,
    });
    req.setTimeout(UPSTREAM_TIMEOUT_MS, () => {
      req.destroy(new Error(`no answer from upstream in ${UPSTREAM_TIMEOUT_MS} ms`));
    });
    req.once('response', (res) => {
      responded = true;
      resolve(res);
    });
    req.once('error', (err) => {
      // An idle kept-alive socket the upstream closed fails with ECONNRESET before the request
      // was read: node's documented pattern is to retry it once on a fresh socket.
      const stale = req.reusedSocket && err.code === 'ECONNRESET' && !responded;
      if (stale && !retried && !signal?.aborted) {
        resolve(requestUpstream(ctx, request, signal, true));
      } else {
        reject(err);
      }
    });
    req.end(request.body);
  });
}

/** One request upstream with the whole response buffered. */
async function exchange(ctx, request, signal) {
  const res = await requestUpstream(ctx, request, signal);
  const body = await readBody(res);
  return { status: res.statusCode, statusMessage: res.statusMessage, headers: res.headers, body };
}

function sendBuffered(res, up, body = up.body) {
  const headers = withoutHopByHop(up.headers);
  headers['content-length'] = String(body.length);
  if (body !== up.body && headers['x-amz-crc32'] !== undefined) {
    // The SDKs may check this checksum of the body; keep it true for the body actually sent.
    if (typeof zlib.crc32 === 'function') headers['x-amz-crc32'] = String(zlib.crc32(body));
    else delete headers['x-amz-crc32'];
  }
  res.writeHead(up.status, up.statusMessage, headers);
  res.end(body);
}

/** Streams the upstream response to the client; resolves true when it was delivered whole. */
function sendStreaming(res, upRes, onChunk) {
  res.writeHead(upRes.statusCode, upRes.statusMessage, withoutHopByHop(upRes.headers));
  if (onChunk) upRes.on('data', onChunk);
  // pipeline destroys both sides on failure: a client that leaves also ends the upstream call.
  return new Promise((resolve) => pipeline(upRes, res, (err) => resolve(!err)));
}

async function forwardStreaming(ctx, x) {
  const upRes = await requestUpstream(ctx, requestOf(x), x.signal);
  await sendStreaming(x.res, upRes);
}

function parseJson(buffer) {
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// SQS and SNS

async function handleQueue(ctx, x) {
  const call = queueCall(x.req, x.body);
  increment(ctx.state.counters.calls, `${call.service}.${call.action}`);
  // AWS bills every SQS action as one request per 64 KB of payload; Herald's payloads are far
  // below 64 KB, so each call is one billable request.
  if (call.service === 'SQS') ctx.state.counters.sqs.requests += 1;

  const upRes = await requestUpstream(ctx, requestOf(x), x.signal);
  const ok = upRes.statusCode < 300;
  if (ok) countQueueEntries(ctx.state.counters, call);
  const receiving = ok && call.service === 'SQS' && call.action === 'ReceiveMessage';
  const chunks = [];
  const delivered = await sendStreaming(x.res, upRes, receiving ? (c) => chunks.push(c) : null);
  // Messages the client never got become visible again; they were not received.
  if (receiving && delivered) {
    const count = receivedMessages(Buffer.concat(chunks), upRes.headers['content-encoding']);
    ctx.state.counters.sqs.messagesReceived += count;
  }
}

/**
 * Names the call: `{ service, action, json?, form? }`. SQS speaks the AWS JSON protocol
 * (`x-amz-target: AmazonSQS.Op`), SNS the query protocol (form body with `Action=Op`).
 */
function queueCall(req, body) {
  const signedFor = signingService(req.headers.authorization);
  const target = String(req.headers['x-amz-target'] ?? '');
  const dot = target.indexOf('.');
  if (dot > 0) {
    const service = target.slice(0, dot).replace(/^Amazon/, '');
    return { service, action: target.slice(dot + 1), json: parseJson(body) };
  }
  const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  const form = new URLSearchParams(query);
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(body.toString('utf8')))
      form.append(name, value);
  }
  const action = form.get('Action');
  if (action) {
    const service = signedFor ?? QUERY_VERSIONS[form.get('Version')] ?? 'SQS';
    return { service, action, form };
  }
  return { service: signedFor ?? 'HTTP', action: req.method };
}

/** The service in the SigV4 credential scope (`Credential=key/date/region/sns/aws4_request`). */
function signingService(authorization) {
  const match = /Credential=[^/,\s]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(authorization ?? ''));
  return match ? match[1].toUpperCase() : undefined;
}

function countQueueEntries(counters, call) {
  const { sqs, sns } = counters;
  switch (`${call.service}.${call.action}`) {
    case 'SQS.SendMessage':
      sqs.entriesSent += 1;
      break;
    case 'SQS.SendMessageBatch':
      sqs.entriesSent += batchEntries(call);
      break;
    case 'SQS.DeleteMessage':
      sqs.entriesDeleted += 1;
      break;
    case 'SQS.DeleteMessageBatch':
      sqs.entriesDeleted += batchEntries(call);
      break;
    case 'SNS.Publish':
      sns.publishes += 1;
      break;
    case 'SNS.PublishBatch': {
      // SNS bills a batch per message, so a batch entry is a publish.
      const entries = batchEntries(call);
      sns.publishes += entries;
      sns.publishBatchEntries += entries;
      break;
    }
  }
}

/** Entries of a batch call: `Entries` in JSON, `<Prefix>Entr…[.member].N.Id` in a form. */
function batchEntries(call) {
  if (isObject(call.json)) {
    const entries = call.json.Entries ?? call.json.PublishBatchRequestEntries;
    return Array.isArray(entries) ? entries.length : 0;
  }
  if (!call.form) return 0;
  const indexes = new Set();
  for (const name of call.form.keys()) {
    const match = /^(\w*Entr\w*)\.(?:member\.)?(\d+)\.Id$/.exec(name);
    if (match) indexes.add(`${match[1]}.${match[2]}`);
  }
  return indexes.size;
}

function receivedMessages(body, encoding) {
  const text = decode(body, encoding).toString('utf8');
  const json = parseJson(Buffer.from(text));
  if (isObject(json)) return Array.isArray(json.Messages) ? json.Messages.length : 0;
  // Query protocol: an XML list of <Message> elements.
  return (text.match(/<Message>/g) ?? []).length;
}

function decode(body, encoding) {
  try {
    if (encoding === 'gzip') return zlib.gunzipSync(body);
    if (encoding === 'deflate') return zlib.inflateSync(body);
    if (encoding === 'br') return zlib.brotliDecompressSync(body);
  } catch {
    return Buffer.alloc(0);
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB: routing and reads

async function handleDynamo(ctx, x) {
  const target = String(x.req.headers['x-amz-target'] ?? '');
  if (!target.startsWith(DYNAMO_TARGET_PREFIX)) return forwardStreaming(ctx, x);
  const op = target.slice(DYNAMO_TARGET_PREFIX.length);
  increment(ctx.state.counters.calls, `DynamoDB.${op}`);
  const input = parseJson(x.body);
  if (!isObject(input)) return forwardStreaming(ctx, x);
  if (READ_OPS.has(op)) return handleRead(ctx, x, op, input);
  if (WRITE_OPS.has(op)) return handleWrite(ctx, x, op, input);
  if (!SCHEMA_OPS.has(op)) return forwardStreaming(ctx, x);
  ctx.tables.delete(input.TableName);
  await forwardStreaming(ctx, x);
  ctx.tables.delete(input.TableName);
}

/**
 * Reads are priced by upstream: the request asks for `ReturnConsumedCapacity: TOTAL` when the
 * client did not, and that field is removed from the answer again. Pricing from the returned
 * items instead would miss what ProjectionExpression and FilterExpression drop, which AWS bills.
 */
async function handleRead(ctx, x, op, input) {
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

function readUnits(op, input, output) {
  const units = reportedUnits(output.ConsumedCapacity) ?? estimatedReadUnits(op, input, output);
  // AWS charges a Query or Scan at least one read (half for eventually consistent) even when
  // nothing matches; dynalite reports 0 then.
  if (op === 'Query' || op === 'Scan') return Math.max(units, input.ConsistentRead ? 1 : 0.5);
  return units;
}

function reportedUnits(consumed) {
  if (consumed === undefined) return undefined;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((sum, c) => sum + (Number(c?.CapacityUnits ?? c?.ReadCapacityUnits) || 0), 0);
}

/** Only used if upstream ignores ReturnConsumedCapacity: prices the returned items. */
function estimatedReadUnits(op, input, output) {
  const scale = (units, consistent) => (consistent ? units : units / 2);
  const blocks = (bytes) => Math.ceil(bytes / READ_UNIT_BYTES);
  const sizeOf = (items) => (items ?? []).reduce((sum, item) => sum + itemSize(item), 0);
  switch (op) {
    case 'GetItem':
      return scale(
        Math.max(1, blocks(output.Item ? itemSize(output.Item) : 0)),
        input.ConsistentRead,
      );
    case 'Query':
    case 'Scan':
      return scale(blocks(sizeOf(output.Items)), input.ConsistentRead);
    case 'BatchGetItem':
      return Object.entries(output.Responses ?? {}).reduce((sum, [table, items]) => {
        const consistent = input.RequestItems?.[table]?.ConsistentRead;
        const units = items.reduce((n, item) => n + Math.max(1, blocks(itemSize(item))), 0);
        return sum + scale(units, consistent);
      }, 0);
    case 'TransactGetItems':
      // Transactions read every item twice (prepare and commit).
      return (output.Responses ?? []).reduce(
        (sum, r) => sum + 2 * Math.max(1, blocks(r?.Item ? itemSize(r.Item) : 0)),
        0,
      );
    default:
      return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// DynamoDB: writes

/**
 * Prices a write from the item before and after it. The images are read while the write holds
 * a per-key lock, so a concurrent write to the same key cannot slip between them.
 */
async function handleWrite(ctx, x, op, input) {
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

async function countedWrite(ctx, x, op, units, auth) {
  const before = await readImages(ctx, units, auth);
  if (x.signal.aborted) throw new Error('client went away');
  let up;
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

async function chargeWrites(ctx, op, units, auth, before, up) {
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
    chargeWrite(d, unit, outcomes[i], before[i], newImage);
  });
}

/**
 * The single-item writes of a request: `{ table, kind, item?, key?, transactional? }` with
 * kind put | update | delete | check (a transaction's ConditionCheck).
 */
function writeRequests(op, input) {
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
      return (Array.isArray(input.TransactItems) ? input.TransactItems : []).map(transactRequest);
    default:
      return [];
  }
}

function batchWriteRequests(requestItems) {
  if (!isObject(requestItems)) return [];
  return Object.entries(requestItems).flatMap(([table, requests]) =>
    (Array.isArray(requests) ? requests : []).map((r) =>
      r?.PutRequest
        ? { table, kind: 'put', item: r.PutRequest.Item }
        : { table, kind: 'delete', key: r?.DeleteRequest?.Key },
    ),
  );
}

function transactRequest(entry) {
  const [kind, write] = entry?.Put
    ? ['put', entry.Put]
    : entry?.Update
      ? ['update', entry.Update]
      : entry?.Delete
        ? ['delete', entry.Delete]
        : ['check', entry?.ConditionCheck];
  return { table: write?.TableName, kind, item: write?.Item, key: write?.Key, transactional: true };
}

/** Adds each write's table schema, key and lock id; undefined when any cannot be known. */
async function planWrites(ctx, requests, auth) {
  if (requests.some((r) => typeof r.table !== 'string')) return undefined;
  const names = [...new Set(requests.map((r) => r.table))];
  let schemas;
  try {
    schemas = new Map(
      await Promise.all(names.map(async (t) => [t, await tableSchema(ctx, t, auth)])),
    );
  } catch {
    return undefined;
  }
  const units = requests.map((r) => {
    const schema = schemas.get(r.table);
    const key = pickKey(r.key ?? r.item, schema.keyAttrs);
    return key && { ...r, schema, key, id: lockId(r.table, key) };
  });
  return units.every(Boolean) ? units : undefined;
}

function pickKey(item, keyAttrs) {
  if (!isObject(item) || !keyAttrs.every((a) => Object.hasOwn(item, a))) return undefined;
  return Object.fromEntries(keyAttrs.map((a) => [a, item[a]]));
}

function lockId(table, key) {
  return `${table}\u0000${JSON.stringify(canonical(key))}`;
}

/**
 * Waits until every earlier write to any of `ids` is done and returns the release function.
 * All ids are claimed at once, synchronously, so two multi-key writes cannot deadlock.
 */
function acquireLocks(locks, ids) {
  const unique = [...new Set(ids)];
  let release;
  const held = new Promise((resolve) => (release = resolve));
  const earlier = unique.map((id) => locks.get(id));
  for (const id of unique) locks.set(id, held);
  return Promise.all(earlier).then(() => () => {
    release();
    for (const id of unique) if (locks.get(id) === held) locks.delete(id);
  });
}

/** Consistent images of the units' items (undefined where absent); undefined on failure. */
async function readImages(ctx, units, auth, wanted = units.map(() => true)) {
  try {
    return await Promise.all(
      units.map((u, i) =>
        wanted[i]
          ? dynamoCall(
              ctx,
              'GetItem',
              { TableName: u.table, Key: u.key, ConsistentRead: true },
              auth,
            ).then((out) => out.Item)
          : undefined,
      ),
    );
  } catch {
    return undefined;
  }
}

/** applied | failed (condition check failed, still billed) | none (not billed) per unit. */
function writeOutcomes(op, up, units) {
  const output = parseJson(up.body) ?? {};
  if (up.status === 200) {
    const unprocessed =
      op === 'BatchWriteItem' ? unprocessedIds(output.UnprocessedItems, units) : [];
    return units.map((u) => (unprocessed.includes(u.id) ? 'none' : 'applied'));
  }
  const type = String(output.__type ?? '');
  if (type.endsWith('ConditionalCheckFailedException')) return units.map(() => 'failed');
  if (type.endsWith('TransactionCanceledException')) {
    const reasons = Array.isArray(output.CancellationReasons) ? output.CancellationReasons : [];
    return units.map((_, i) => (reasons[i]?.Code === 'ConditionalCheckFailed' ? 'failed' : 'none'));
  }
  return units.map(() => 'none');
}

function unprocessedIds(unprocessedItems, units) {
  const schemas = new Map(units.map((u) => [u.table, u.schema]));
  return batchWriteRequests(unprocessedItems).flatMap((r) => {
    const schema = schemas.get(r.table);
    const key = schema && pickKey(r.key ?? r.item, schema.keyAttrs);
    return key ? [lockId(r.table, key)] : [];
  });
}

/**
 * AWS rules: a write costs the larger of the old and new item sizes in 1 KB units (min 1). A
 * failed condition costs the existing item's size (1 if there is none) and writes no index.
 * Transactions write each item twice (prepare and commit); their index writes are counted once.
 */
function chargeWrite(d, unit, outcome, oldItem, newItem) {
  const factor = unit.transactional ? 2 : 1;
  if (outcome === 'failed') {
    d.conditionalFailures += 1;
    d.wcuTable += factor * writeBlocks(oldItem);
    return;
  }
  if (outcome !== 'applied') return;
  d.wcuTable += factor * Math.max(writeBlocks(oldItem), writeBlocks(newItem));
  if (unit.kind === 'check') return;
  for (const index of unit.schema.indexes) {
    const units = indexWriteUnits(index, oldItem, newItem);
    if (units > 0) increment(d.wcuIndexes, index.name, units);
  }
}

function writeBlocks(item) {
  return Math.max(1, Math.ceil((item ? itemSize(item) : 0) / WRITE_UNIT_BYTES));
}

/**
 * Index writes per AWS: entering the index is a put, leaving it a delete, a changed index key a
 * delete plus a put, and a changed projected attribute one update of the larger entry.
 */
function indexWriteUnits(index, oldItem, newItem) {
  const oldEntry = indexEntry(index, oldItem);
  const newEntry = indexEntry(index, newItem);
  if (!oldEntry && !newEntry) return 0;
  if (!oldEntry) return entryBlocks(newEntry);
  if (!newEntry) return entryBlocks(oldEntry);
  if (index.keyAttrs.some((a) => !sameValue(oldItem[a], newItem[a]))) {
    return entryBlocks(oldEntry) + entryBlocks(newEntry);
  }
  if (sameValue(oldEntry, newEntry)) return 0;
  return Math.max(entryBlocks(oldEntry), entryBlocks(newEntry));
}

/** The item as the index stores it, or undefined when the item lacks an index key (sparse). */
function indexEntry(index, item) {
  if (!item || !index.keyAttrs.every((a) => Object.hasOwn(item, a))) return undefined;
  if (!index.projected) return item;
  return Object.fromEntries(Object.entries(item).filter(([name]) => index.projected.has(name)));
}

function entryBlocks(entry) {
  return Math.ceil((itemSize(entry) + INDEX_ENTRY_OVERHEAD_BYTES) / WRITE_UNIT_BYTES);
}

function sameValue(a, b) {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Map keys sorted and sets ordered, so equal DynamoDB values serialise equally. */
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => {
        const v = value[k];
        const isSet = (k === 'SS' || k === 'NS' || k === 'BS') && Array.isArray(v);
        return [k, isSet ? [...v].sort() : canonical(v)];
      }),
  );
}

// ---------------------------------------------------------------------------------------------
// DynamoDB: the proxy's own calls (never counted)

/** The table's key attributes and indexes, from DescribeTable, cached per table. */
function tableSchema(ctx, table, auth) {
  let cached = ctx.tables.get(table);
  if (!cached) {
    cached = dynamoCall(ctx, 'DescribeTable', { TableName: table }, auth).then((out) =>
      schemaOf(out.Table),
    );
    ctx.tables.set(table, cached);
    cached.catch(() => {
      if (ctx.tables.get(table) === cached) ctx.tables.delete(table);
    });
  }
  return cached;
}

function schemaOf(table) {
  const keyAttrs = table.KeySchema.map((k) => k.AttributeName);
  // Local indexes are priced like global ones; both are billed as extra writes.
  const indexes = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])];
  return {
    keyAttrs,
    indexes: indexes.map((index) => {
      const indexKeys = index.KeySchema.map((k) => k.AttributeName);
      const type = index.Projection?.ProjectionType ?? 'ALL';
      const extra = type === 'INCLUDE' ? (index.Projection.NonKeyAttributes ?? []) : [];
      return {
        name: index.IndexName,
        keyAttrs: indexKeys,
        // undefined: every attribute is projected
        projected: type === 'ALL' ? undefined : new Set([...keyAttrs, ...indexKeys, ...extra]),
      };
    }),
  };
}

/**
 * Credentials of the client's request, reused for the proxy's own calls: the emulators check
 * that a SigV4 header is present, not that its signature matches.
 */
function authHeaders(headers) {
  const out = {};
  for (const name of ['authorization', 'x-amz-date', 'date', 'x-amz-security-token']) {
    if (headers[name] !== undefined) out[name] = headers[name];
  }
  return out;
}

async function dynamoCall(ctx, op, payload, auth) {
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
    throw new Error(`${op} failed upstream: ${up.status} ${output?.__type ?? ''}`);
  }
  return output;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB item size

/**
 * Size of an item in DynamoDB JSON (`{ attr: { S: '…' } }`) by the DynamoDB docs' rules: the
 * UTF-8 bytes of each attribute name plus the size of its value.
 */
export function itemSize(item) {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + utf8(name) + valueSize(value),
    0,
  );
}

function valueSize(value) {
  const [type, v] = Object.entries(value ?? {})[0] ?? [];
  switch (type) {
    case 'S':
      return utf8(v);
    case 'N':
      return numberSize(v);
    case 'B':
      return binarySize(v);
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return v.reduce((sum, s) => sum + utf8(s), 0);
    case 'NS':
      return v.reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS':
      return v.reduce((sum, b) => sum + binarySize(b), 0);
    case 'L':
      // 3 bytes for the list, 1 per element.
      return 3 + v.reduce((sum, element) => sum + 1 + valueSize(element), 0);
    case 'M':
      // 3 bytes for the map, 1 per element, plus the element's name.
      return 3 + Object.entries(v).reduce((s, [k, e]) => s + 1 + utf8(k) + valueSize(e), 0);
    default:
      return 0;
  }
}

function utf8(text) {
  return Buffer.byteLength(String(text), 'utf8');
}

/** Approximately 1 byte per two significant digits, plus 1 (leading/trailing zeros trimmed). */
function numberSize(text) {
  const mantissa = String(text).trim().replace(/^[+-]/, '').split(/e/i)[0];
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
}

function binarySize(base64) {
  return Buffer.from(String(base64), 'base64').length;
}
