/**
 * SQS and SNS through the cost proxy: every call is counted by service and action, and batch
 * entries, publishes and received messages are counted from the bodies. The answer streams back
 * unchanged.
 */
import type http from 'node:http';
import zlib from 'node:zlib';
import { countCall, type Counters } from './counters';
import {
  requestOf,
  requestUpstream,
  sendStreaming,
  type ClientExchange,
  type ProxyContext,
} from './http';
import { isObject, parseJson } from './json';

// Query-protocol requests name the API version; the credential scope is checked first.
const QUERY_VERSIONS: Readonly<Record<string, string>> = {
  '2012-11-05': 'SQS',
  '2010-03-31': 'SNS',
};

/** A queue call by name, with its parsed body: JSON (AWS JSON protocol) or a form (query). */
interface QueueCall {
  service: string;
  action: string;
  json?: unknown;
  form?: URLSearchParams;
}

/** Counts and forwards one SQS or SNS call. */
export async function handleQueue(ctx: ProxyContext, x: ClientExchange): Promise<void> {
  const call = queueCall(x.req, x.body);
  countCall(ctx.state.counters, `${call.service}.${call.action}`);
  // AWS bills every SQS action as one request per 64 KB of payload; Herald's payloads are far
  // below 64 KB, so each call is one billable request.
  if (call.service === 'SQS') ctx.state.counters.sqs.requests += 1;

  const upRes = await requestUpstream(ctx, requestOf(x), x.signal);
  const ok = (upRes.statusCode ?? 0) < 300;
  if (ok) countQueueEntries(ctx.state.counters, call);
  const receiving = ok && call.service === 'SQS' && call.action === 'ReceiveMessage';
  const chunks: Buffer[] = [];
  const delivered = await sendStreaming(
    x.res,
    upRes,
    receiving ? (c) => chunks.push(c) : undefined,
  );
  // Messages the client never got become visible again; they were not received.
  if (receiving && delivered) {
    const count = receivedMessages(Buffer.concat(chunks), upRes.headers['content-encoding']);
    ctx.state.counters.sqs.messagesReceived += count;
  }
}

/**
 * Names the call. SQS speaks the AWS JSON protocol (`x-amz-target: AmazonSQS.Op`), SNS the query
 * protocol (form body with `Action=Op`).
 */
function queueCall(req: http.IncomingMessage, body: Buffer): QueueCall {
  const signedFor = signingService(req.headers.authorization);
  const target = String(req.headers['x-amz-target'] ?? '');
  const dot = target.indexOf('.');
  if (dot > 0) {
    const service = target.slice(0, dot).replace(/^Amazon/, '');
    return { service, action: target.slice(dot + 1), json: parseJson(body) };
  }
  const url = req.url ?? '';
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const form = new URLSearchParams(query);
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(body.toString('utf8')))
      form.append(name, value);
  }
  const action = form.get('Action');
  if (action) {
    const service = signedFor ?? QUERY_VERSIONS[form.get('Version') ?? ''] ?? 'SQS';
    return { service, action, form };
  }
  return { service: signedFor ?? 'HTTP', action: req.method ?? 'GET' };
}

/** The service in the SigV4 credential scope (`Credential=key/date/region/sns/aws4_request`). */
function signingService(authorization: string | undefined): string | undefined {
  const match = /Credential=[^/,\s]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(authorization ?? '');
  return match?.[1]?.toUpperCase();
}

function countQueueEntries(counters: Counters, call: QueueCall): void {
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
function batchEntries(call: QueueCall): number {
  if (isObject(call.json)) {
    const entries = call.json.Entries ?? call.json.PublishBatchRequestEntries;
    return Array.isArray(entries) ? entries.length : 0;
  }
  if (!call.form) return 0;
  const indexes = new Set<string>();
  for (const name of call.form.keys()) {
    const match = /^(\w*Entr\w*)\.(?:member\.)?(\d+)\.Id$/.exec(name);
    if (match) indexes.add(`${match[1]}.${match[2]}`);
  }
  return indexes.size;
}

function receivedMessages(body: Buffer, encoding: string | undefined): number {
  const text = decode(body, encoding).toString('utf8');
  const json = parseJson(Buffer.from(text));
  if (isObject(json)) return Array.isArray(json.Messages) ? json.Messages.length : 0;
  // Query protocol: an XML list of <Message> elements.
  return (text.match(/<Message>/g) ?? []).length;
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  try {
    if (encoding === 'gzip') return zlib.gunzipSync(body);
    if (encoding === 'deflate') return zlib.inflateSync(body);
    if (encoding === 'br') return zlib.brotliDecompressSync(body);
  } catch {
    return Buffer.alloc(0);
  }
  return body;
}
