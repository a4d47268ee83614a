import { createHash } from 'node:crypto';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  capWindowStart,
  type CapTicket,
  type CappedNumber,
  type RecipientCapLimits,
  type RecipientCaps,
} from '@herald/core';
import { isConditionalCheckFailed, toStoreError } from '../errors';
import type { StoreContext } from './store-context';

/** The attribute DynamoDB's TTL deletes expired items by (epoch seconds); see `ensureTable`. */
export const TTL_ATTRIBUTE = 'ttl';

export interface DynamoRecipientCapsOptions extends RecipientCapLimits {
  /** The notifications table (`HERALD_TABLE_NAME`). */
  doc: StoreContext['doc'];
  tableName: string;
}

/**
 * The partition key of one counter: `CAP#<hash>#<window start>`, the hash being SHA-256 of
 * `client <clientId> <channel> <number>` or `all <channel> <number>` (client ids match
 * /^[A-Za-z0-9._:-]+$/, so the space keeps the two kinds apart). The number is hashed so the key
 * shows no phone number; the notification items hold it anyway, so this is tidiness, not secrecy.
 */
function counterPk(kind: string, windowStart: number): string {
  return `CAP#${createHash('sha256').update(kind).digest('base64url')}#${windowStart}`;
}

function counterKinds(t: Omit<CapTicket, 'windowStart'>): [string, string] {
  const number = `${t.channel} ${t.number}`;
  return [`client ${t.clientId} ${number}`, `all ${number}`];
}

/**
 * Per-number caps in the notifications table, shared by every api instance and worker: one
 * counter item per (client, channel, number, window) and per (channel, number, window), counted
 * with UpdateItem `ADD count 1` on condition `count < limit`, so concurrent consumers never pass
 * a cap (writes to one item are serialised). The client's counter is taken first, then the
 * all-clients one; when the second is full, the first is given back. Each item carries `ttl`
 * (the window's end + 1 hour) for DynamoDB's TTL to delete. A number hammered by many senders is
 * one item per window: each consume is at most two writes, and a cap refuses the rest
 * conditionally, which DynamoDB serves at a partition's 1,000 writes per second, far above what a
 * cap of tens per hour lets through; the refusals of a flood are bounded by the api's send rate
 * limit.
 */
export function createDynamoRecipientCaps(options: DynamoRecipientCapsOptions): RecipientCaps {
  const ctx: StoreContext = { doc: options.doc, tableName: options.tableName };
  const { max, allClientsMax, windowMs } = options;
  if (!(max >= 1) || !(allClientsMax >= 1) || !(windowMs > 0)) {
    throw new TypeError(
      'createDynamoRecipientCaps needs max >= 1, allClientsMax >= 1, windowMs > 0',
    );
  }

  async function add(pk: string, delta: 1 | -1, limit: number, ttl: number): Promise<boolean> {
    try {
      await ctx.doc.send(
        new UpdateCommand({
          TableName: ctx.tableName,
          Key: { pk },
          UpdateExpression: 'ADD #n :delta SET #ttl = if_not_exists(#ttl, :ttl), kind = :kind',
          ConditionExpression:
            delta > 0 ? 'attribute_not_exists(#n) OR #n < :limit' : '#n >= :limit',
          ExpressionAttributeNames: { '#n': 'count', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':delta': delta,
            ':limit': limit,
            ':ttl': ttl,
            ':kind': 'recipient-cap',
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw toStoreError(err, 'DynamoDB UpdateItem');
    }
  }

  const ttlOf = (windowStart: number) => Math.ceil((windowStart + windowMs) / 1000) + 3600;

  async function refund(ticket: CapTicket): Promise<void> {
    const ttl = ttlOf(ticket.windowStart);
    for (const kind of counterKinds(ticket)) {
      // Never below zero: a refund that finds nothing counted changes nothing.
      await add(counterPk(kind, ticket.windowStart), -1, 1, ttl);
    }
  }

  return {
    async consume(clientId, { channel, number }: CappedNumber, now, clientMax) {
      const windowStart = capWindowStart(now, windowMs);
      const ttl = ttlOf(windowStart);
      const ticket: CapTicket = { clientId, channel, number, windowStart };
      const [mine, all] = counterKinds(ticket);
      const retryAfterMs = windowStart + windowMs - now.getTime();
      if (!(await add(counterPk(mine, windowStart), 1, clientMax ?? max, ttl))) {
        return { kind: 'capped', retryAfterMs };
      }
      let counted: boolean;
      try {
        counted = await add(counterPk(all, windowStart), 1, allClientsMax, ttl);
      } catch (err) {
        await add(counterPk(mine, windowStart), -1, 1, ttl).catch(() => false);
        throw err;
      }
      if (!counted) {
        await add(counterPk(mine, windowStart), -1, 1, ttl);
        return { kind: 'capped', retryAfterMs };
      }
      return { kind: 'ok', ticket };
    },
    refund,
  };
}

/** The per-number cap settings every deployable that counts reads (`@herald/config`). */
export interface RecipientCapSettings {
  HERALD_TABLE_NAME: string;
  HERALD_RECIPIENT_CAP: number;
  HERALD_RECIPIENT_CAP_WINDOW_SECONDS: number;
  HERALD_RECIPIENT_CAP_ALL_CLIENTS?: number | undefined;
}

/**
 * The caps as configured, the same in the api (direct sends) and the worker (topic children);
 * `undefined` when `HERALD_RECIPIENT_CAP` or its window is `0` (disabled).
 */
export function recipientCapsFromSettings(
  doc: DynamoDBDocumentClient,
  settings: RecipientCapSettings,
): RecipientCaps | undefined {
  const max = settings.HERALD_RECIPIENT_CAP;
  const windowSeconds = settings.HERALD_RECIPIENT_CAP_WINDOW_SECONDS;
  if (max <= 0 || windowSeconds <= 0) return undefined;
  return createDynamoRecipientCaps({
    doc,
    tableName: settings.HERALD_TABLE_NAME,
    max,
    allClientsMax: settings.HERALD_RECIPIENT_CAP_ALL_CLIENTS ?? max * 10,
    windowMs: windowSeconds * 1000,
  });
}
