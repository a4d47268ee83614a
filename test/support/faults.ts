import { ensureBulkQueues, ensureInfrastructure } from '@herald/aws';
import { createHeraldClient, type HeraldClient, type NotificationView } from '@herald/client';
import type { RecordingSmtpServer } from '@herald/providers/testing';
import type { HeraldStack } from './herald-stack';

/** Fault tests print one figure line each, so a run shows what was measured, not only pass/fail. */
export function figure(line: string): void {
  process.stdout.write(`${line}\n`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How many times the SMTP server accepted each notification (by X-Herald-Notification-Id). */
export function sendsPerId(smtp: RecordingSmtpServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of smtp.messages) {
    const id = /X-Herald-Notification-Id: (ntf_\w+)/i.exec(m.raw.toString())?.[1];
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

export function duplicates(smtp: RecordingSmtpServer): number {
  return [...sendsPerId(smtp).values()].filter((n) => n > 1).length;
}

export async function clientFor(stack: HeraldStack, clientId: string): Promise<HeraldClient> {
  return createHeraldClient({ baseUrl: stack.apiUrl, token: await stack.issueToken(clientId) });
}

export const email = (i: number | string, extra: Record<string, unknown> = {}) => ({
  channel: 'email',
  to: `user${i}@example.com`,
  subject: `n${i}`,
  text: 'hi',
  ...extra,
});

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: { id?: string; status?: string; error?: { code?: string } } & Record<string, unknown>;
}

/** One POST /v1/notifications with fetch, no client-side retries; rejects on a network failure. */
export async function post(
  apiUrl: string,
  token: string,
  body: unknown,
  idempotencyKey?: string,
): Promise<RawAnswer> {
  const res = await fetch(`${apiUrl}/v1/notifications`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: RawAnswer['body'] = {};
  try {
    parsed = JSON.parse(text) as RawAnswer['body'];
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** GET /readyz: the status code and the per-dependency checks. */
export async function readyz(
  apiUrl: string,
): Promise<{ status: number; checks: { table?: string; queue?: string; audienceTable?: string } }> {
  const res = await fetch(`${apiUrl}/readyz`);
  const body = (await res.json()) as {
    checks: { table?: string; queue?: string; audienceTable?: string };
  };
  return { status: res.status, checks: body.checks };
}

/** Polls until `probe` holds (readiness caches for a second). */
export async function until(
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * fauxqs forgets its queues when it restarts: create the stack's queue and DLQ, and the bulk
 * queue and its DLQ, again with the same names (and the same visibility timeout). Returns the
 * work queue URL fauxqs gives now.
 */
export async function recreateQueues(
  stack: HeraldStack,
  visibilityTimeoutSeconds = 5,
): Promise<string> {
  const { infra } = stack;
  const urls = await ensureInfrastructure({
    dynamodb: infra.clients.dynamodb,
    sqs: infra.clients.sqs,
    tableName: infra.tableName,
    queueName: infra.queueName,
    dlqName: infra.dlqName,
    visibilityTimeoutSeconds,
  });
  await ensureBulkQueues({
    sqs: infra.clients.sqs,
    queueName: infra.queueName,
    visibilityTimeoutSeconds,
  });
  return urls.queueUrl;
}

/** Final views of `ids`, polled in parallel; a notification still Pending at the deadline stays Pending. */
export async function finalViews(
  client: HeraldClient,
  ids: string[],
  timeoutMs: number,
): Promise<NotificationView[]> {
  const out: NotificationView[] = [];
  // Bounded parallelism: hundreds of long-polls at once would only queue in the api.
  const queue = [...ids];
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        out.push(
          await client
            .waitForStatus(id, { timeoutMs })
            .catch(async () => client.getNotificationStatus(id)),
        );
      }
    }),
  );
  return out;
}

export function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}
