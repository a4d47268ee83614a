import http from 'node:http';
import https from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface AwsClientOptions {
  region: string;
  /** Set for dynalite or LocalStack; absent means the real regional endpoint. */
  dynamodbEndpoint?: string;
  /** Set for fauxqs or LocalStack; absent means the real regional endpoint. */
  sqsEndpoint?: string;
  /** Set for fauxqs (the same address as `sqsEndpoint`) or LocalStack; absent means AWS. */
  snsEndpoint?: string;
  /** Static credentials (emulators take any); absent means the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface AwsClients {
  dynamodb: DynamoDBClient;
  /** Marshals plain objects; drops `undefined` attributes instead of throwing on them. */
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  /** Publishes status events; also provisions the topic and its subscriptions. */
  sns: SNSClient;
}

const MAX_ATTEMPTS = 3;
const MAX_SOCKETS = 256;
const CONNECTION_TIMEOUT_MS = 3_000;
// A socket silent this long is dead: without a limit a half-open connection hangs a call forever.
const DYNAMODB_REQUEST_TIMEOUT_MS = 10_000;
// Must outlast a 20 s long poll.
const SQS_REQUEST_TIMEOUT_MS = 30_000;
const SNS_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Builds the SDK clients every Herald process shares. Sockets are kept alive (a TLS handshake
 * per request dominates DynamoDB latency otherwise), connecting and idle sockets time out, and
 * the SDK makes up to 3 attempts per call. Call `destroy()` on `dynamodb`, `sqs` and `sns` when
 * done to free their sockets (`doc` shares `dynamodb`'s).
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const shared = {
    region: options.region,
    maxAttempts: MAX_ATTEMPTS,
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  };
  const dynamodb = new DynamoDBClient({
    ...shared,
    ...(options.dynamodbEndpoint === undefined ? {} : { endpoint: options.dynamodbEndpoint }),
    requestHandler: keepAliveHandler(DYNAMODB_REQUEST_TIMEOUT_MS),
  });
  const sqs = new SQSClient({
    ...shared,
    ...(options.sqsEndpoint === undefined ? {} : { endpoint: options.sqsEndpoint }),
    // fauxqs (and LocalStack) hand out queue URLs whose host does not resolve; always send to
    // the configured endpoint and treat the queue URL as a name only.
    useQueueUrlAsEndpoint: false,
    requestHandler: keepAliveHandler(SQS_REQUEST_TIMEOUT_MS),
  });
  const sns = new SNSClient({
    ...shared,
    ...(options.snsEndpoint === undefined ? {} : { endpoint: options.snsEndpoint }),
    requestHandler: keepAliveHandler(SNS_REQUEST_TIMEOUT_MS),
  });
  const doc = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { dynamodb, doc, sqs, sns };
}

function keepAliveHandler(requestTimeout: number) {
  return {
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout,
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  };
}
