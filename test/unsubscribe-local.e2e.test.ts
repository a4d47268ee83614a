/**
 * Unsubscribe links in local mode (the README start command): `pnpm start` generates the link
 * secret and, with no HERALD_PUBLIC_URL, points the links of a topic's emails at its own api, so
 * the link in the `.eml` the mail sink wrote works as it is.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createAwsClients,
  createDynamoNotificationStore,
  createSqsNotificationQueue,
} from '@herald/aws';
import { newNotificationId, type NotificationRecord } from '@herald/core';
import { heraldEntry, startNodeProcess, type NodeProcess } from '@herald/local';
import { headerOf, parseMail } from '@herald/providers/testing';
import { freePort } from './support/peers';

jest.setTimeout(120_000);

interface LocalInfo {
  apiUrl: string;
  mailDir: string;
  keysDir: string;
  region: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  queueUrl: string;
}

let dataDir: string;
let stack: NodeProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'herald-local-unsub-'));
});

afterAll(async () => {
  await stack?.stop(15_000);
  await rm(dataDir, { recursive: true, force: true });
});

async function findMail(mailDir: string, id: string): Promise<Buffer> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const files = await readdir(mailDir).catch(() => [] as string[]);
    const match = files.find((f) => f.includes(id));
    if (match) return readFile(path.join(mailDir, match));
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail for ${id}`);
}

it("pnpm start: a topic's email links to its own api, and the link unsubscribes", async () => {
  const port = await freePort();
  stack = startNodeProcess('local', heraldEntry('local'), {
    env: {
      HERALD_DATA_DIR: dataDir,
      PORT: String(port),
      HERALD_LOCAL_STOP_GRACE_MS: '1000',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    keepLines: true,
  });
  await stack.waitForLine(/Herald is ready at/, 60_000);
  const info = JSON.parse(await readFile(path.join(dataDir, 'local.json'), 'utf8')) as LocalInfo;
  const token = /export HERALD_TOKEN=(\S+)/.exec(stack.lines.join('\n'))?.[1] ?? '';
  const api = (method: string, p: string, body?: unknown) =>
    fetch(`${info.apiUrl}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  await api('PUT', '/v1/recipients/alice', { email: 'alice@example.com' });
  const topic = (await (await api('POST', '/v1/topics', { name: 'alerts' })).json()) as {
    id: string;
  };

  // A topic's child as the fan-out will create it: stored with its audience, then enqueued.
  const aws = createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    sqsEndpoint: info.sqsEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const now = new Date().toISOString();
  const record: NotificationRecord = {
    id: newNotificationId(),
    clientId: 'local-dev',
    channel: 'email',
    request: { channel: 'email', to: 'alice@example.com', subject: 'Alert', text: 'Disk full.' },
    requestHash: 'e2e',
    status: 'Pending',
    createdAt: now,
    updatedAt: now,
    attempts: 0,
    events: [{ at: now, type: 'accepted' }],
    audience: { recipientId: 'alice', topicId: topic.id },
  };
  try {
    await createDynamoNotificationStore({ doc: aws.doc, tableName: info.tableName }).create(
      record,
      now,
    );
    await createSqsNotificationQueue({ sqs: aws.sqs, queueUrl: info.queueUrl }).enqueue([
      record.id,
    ]);
  } finally {
    aws.dynamodb.destroy();
    aws.sqs.destroy();
    aws.sns.destroy();
  }

  const mail = await parseMail(await findMail(info.mailDir, record.id));
  const url = /^<(.+)>$/.exec(headerOf(mail, 'list-unsubscribe') ?? '')?.[1] ?? '';
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });

  expect(url.startsWith(`http://127.0.0.1:${port}/v1/unsubscribe/`)).toBe(true);
  expect(res.status).toBe(200);
  expect(await (await api('GET', '/v1/recipients/alice/preferences')).json()).toEqual({
    topics: { [topic.id]: { email: false } },
  });
  expect((await stat(path.join(info.keysDir, 'link-secret'))).mode & 0o777).toBe(0o600);
});
