import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { AppError } from '@herald/core';
import { chunk } from '../batches';
import { toQueueError } from '../errors';
import { resolveQueueUrl } from '../provisioning/provision-queues';
import { toQueueMessage } from './sqs-work-queue';

export interface DlqAdminOptions {
  sqs: SQSClient;
  /** The work queue that messages are redriven to. */
  queueUrl: string;
  /** Its dead-letter queue (see `resolveDeadLetterQueueUrl`). */
  dlqUrl: string;
}

/** A message in the dead-letter queue, as an operator sees it (never its full body). */
export interface DlqMessage {
  messageId: string;
  /** '' when the body is not a Herald message. */
  notificationId: string;
  /** Receives so far, including those on the work queue before it was dead-lettered. */
  receiveCount: number;
  /** When it was first sent (ISO 8601), if SQS says. */
  sentTimestamp?: string;
}

/** What a redrive did: the messages moved to the work queue, and the asked-for ids not found. */
export interface RedriveResult {
  moved: DlqMessage[];
  notFound: string[];
}

export interface DlqAdmin {
  /**
   * Up to `limit` messages in the DLQ, each once. Receiving hides them only while the listing
   * runs: they are made visible again before it resolves. Throws AppError `UNAVAILABLE`.
   */
  list(limit: number): Promise<DlqMessage[]>;
  /**
   * Moves messages back to the work queue: every message in the DLQ (`'all'`, at most `max`,
   * default 10 000) or those with the given message ids. Each is sent to the work queue with the
   * same body, then deleted from the DLQ; a failure between the two leaves a copy in both, which
   * the worker's claim makes harmless. Messages looked at but not moved are made visible again.
   * Throws AppError `UNAVAILABLE`.
   */
  redrive(select: 'all' | readonly string[], max?: number): Promise<RedriveResult>;
}

/** Long enough to finish a listing or a move; released (visibility 0) at the end anyway. */
const HOLD_SECONDS = 30;
const DEFAULT_REDRIVE_MAX = 10_000;

/**
 * Lists and redrives the work queue's dead-letter queue with plain SQS calls (ReceiveMessage,
 * SendMessage, DeleteMessage), so it runs on fauxqs and LocalStack as on AWS, where
 * StartMessageMoveTask would also do.
 */
export function createDlqAdmin(options: DlqAdminOptions): DlqAdmin {
  const { sqs, queueUrl, dlqUrl } = options;

  async function receive(max: number): Promise<Message[]> {
    try {
      const res = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
          // A short wait: AWS's short polls sample only some servers and may miss messages.
          WaitTimeSeconds: 1,
          VisibilityTimeout: HOLD_SECONDS,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          MessageAttributeNames: ['All'],
        }),
      );
      return res.Messages ?? [];
    } catch (err) {
      throw toQueueError(err, 'SQS ReceiveMessage');
    }
  }

  async function release(handles: readonly string[]): Promise<void> {
    for (const batch of chunk(handles)) {
      try {
        await sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: dlqUrl,
            Entries: batch.map((h, i) => ({
              Id: String(i),
              ReceiptHandle: h,
              VisibilityTimeout: 0,
            })),
          }),
        );
      } catch (err) {
        throw toQueueError(err, 'SQS ChangeMessageVisibilityBatch');
      }
    }
  }

  async function move(message: Message): Promise<void> {
    try {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: message.Body ?? '',
          ...(message.MessageAttributes === undefined
            ? {}
            : { MessageAttributes: message.MessageAttributes }),
        }),
      );
    } catch (err) {
      throw toQueueError(err, 'SQS SendMessage');
    }
    try {
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    } catch (err) {
      throw toQueueError(err, 'SQS DeleteMessage');
    }
  }

  return {
    async list(limit) {
      const seen = new Map<string, DlqMessage>();
      const held: string[] = [];
      try {
        while (seen.size < limit) {
          const batch = await receive(limit - seen.size);
          let fresh = 0;
          for (const m of batch) {
            if (m.ReceiptHandle !== undefined) held.push(m.ReceiptHandle);
            if (m.MessageId === undefined || seen.has(m.MessageId)) continue;
            if (seen.size < limit) seen.set(m.MessageId, describe(m));
            fresh++;
          }
          if (fresh === 0) break;
        }
      } finally {
        await release(held);
      }
      return [...seen.values()];
    },

    async redrive(select, max = DEFAULT_REDRIVE_MAX) {
      const wanted = select === 'all' ? undefined : new Set(select);
      const moved: DlqMessage[] = [];
      const seen = new Set<string>();
      const held: string[] = [];
      try {
        while (moved.length < max && (wanted === undefined || wanted.size > 0)) {
          const batch = await receive(max - moved.length);
          let fresh = 0;
          for (const m of batch) {
            if (m.MessageId === undefined || m.ReceiptHandle === undefined) continue;
            if (seen.has(m.MessageId)) {
              held.push(m.ReceiptHandle);
              continue;
            }
            seen.add(m.MessageId);
            fresh++;
            if (moved.length >= max || (wanted !== undefined && !wanted.has(m.MessageId))) {
              held.push(m.ReceiptHandle);
              continue;
            }
            await move(m);
            wanted?.delete(m.MessageId);
            moved.push(describe(m));
          }
          if (fresh === 0) break;
        }
      } finally {
        await release(held);
      }
      return { moved, notFound: wanted === undefined ? [] : [...wanted] };
    },
  };
}

function describe(message: Message): DlqMessage {
  const parsed = toQueueMessage(message)[0];
  const sent = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId ?? '',
    notificationId: parsed?.notificationId ?? '',
    receiveCount: parsed?.receiveCount ?? 1,
    ...(Number.isFinite(sent) && sent > 0 ? { sentTimestamp: new Date(sent).toISOString() } : {}),
  };
}

/**
 * The dead-letter queue of a queue, from its RedrivePolicy. Throws AppError `NOT_FOUND` when
 * the queue has none, `UNAVAILABLE` when SQS cannot be reached.
 */
export async function resolveDeadLetterQueueUrl(sqs: SQSClient, queueUrl: string): Promise<string> {
  let policy: string | undefined;
  try {
    const res = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }),
    );
    policy = res.Attributes?.RedrivePolicy;
  } catch (err) {
    throw toQueueError(err, 'SQS GetQueueAttributes');
  }
  let arn: unknown;
  try {
    arn =
      policy === undefined
        ? undefined
        : (JSON.parse(policy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
  } catch (cause) {
    throw new AppError('INTERNAL', `the RedrivePolicy of ${queueUrl} is not JSON`, { cause });
  }
  if (typeof arn !== 'string') {
    throw new AppError('NOT_FOUND', `${queueUrl} has no dead-letter queue`);
  }
  // arn:aws:sqs:<region>:<account>:<name>
  return resolveQueueUrl(sqs, arn.slice(arn.lastIndexOf(':') + 1));
}
