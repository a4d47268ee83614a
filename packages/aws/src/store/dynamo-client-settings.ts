import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  AppError,
  type ClientLimitOverrides,
  type ClientSettings,
  type ClientSettingsReader,
} from '@herald/core';
import { z } from 'zod';
import { isConditionalCheckFailed, toStoreError } from '../errors';
import { clientPk } from './table-schema';

/** A change to one client's settings: fields left out stay as they are. */
export interface ClientSettingsChange {
  /** Replaces the whole list. */
  allowedSlackWebhooks?: readonly string[];
  /** Merged into the current overrides; a key given as `undefined` goes back to the default. */
  limits?: ClientLimitOverrides;
}

/** Reads and changes per-client settings (`herald client set|show`). */
export interface ClientSettingsStore extends ClientSettingsReader {
  /**
   * Applies `change` to the client's settings (creating them at version 1) and returns the
   * result. Concurrent changes are all kept: each write is conditional on the version it read,
   * and a lost race reads again. Throws AppError `CONFLICT` after 5 lost races in a row,
   * `UNAVAILABLE` when DynamoDB cannot be reached.
   */
  set(clientId: string, change: ClientSettingsChange): Promise<ClientSettings>;
}

export interface DynamoClientSettingsStoreOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** The clock `updatedAt` is taken from. Default: the system clock. */
  now?: () => Date;
}

const MAX_TRIES = 5;
const positive = z.number().int().positive();
const itemSchema = z.object({
  allowedSlackWebhooks: z.array(z.string()),
  limits: z
    .object({
      sendPerSecond: positive,
      sendBurst: positive,
      readPerSecond: positive,
      readBurst: positive,
      longPolls: positive,
      recipientCap: positive,
    })
    .partial(),
  version: positive,
  updatedAt: z.string(),
});

/**
 * Client settings in the notification table, one item per client under `CLIENT#<clientId>`
 * (`kind: "client"`; no attribute any index is keyed on, so no index holds it). Reads are
 * eventually consistent (a change shows within about a second, well inside the callers' cache
 * time); the read before a write is consistent. A malformed item is AppError `INTERNAL`, never
 * read as "no settings".
 */
export function createDynamoClientSettingsStore(
  options: DynamoClientSettingsStoreOptions,
): ClientSettingsStore {
  const { doc, tableName, now = () => new Date() } = options;

  async function read(clientId: string, consistent: boolean) {
    let item: Record<string, unknown> | undefined;
    try {
      const res = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: clientPk(clientId) },
          ConsistentRead: consistent,
        }),
      );
      item = res.Item;
    } catch (err) {
      throw toStoreError(err, 'DynamoDB GetItem');
    }
    return item === undefined ? undefined : fromItem(clientId, item);
  }

  async function write(next: ClientSettings) {
    const { clientId, ...attributes } = next;
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: clientPk(clientId), kind: 'client', ...attributes },
        // Only over the version that was read (or onto nothing, for the first write), so a
        // concurrent change is never overwritten with settings computed before it.
        ConditionExpression: next.version === 1 ? 'attribute_not_exists(pk)' : '#version = :read',
        ...(next.version === 1
          ? {}
          : {
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':read': next.version - 1 },
            }),
      }),
    );
  }

  return {
    get: (clientId) => read(clientId, false),

    async set(clientId, change) {
      for (let tries = 0; tries < MAX_TRIES; tries++) {
        const next = applyChange(clientId, await read(clientId, true), change, now());
        try {
          await write(next);
          return next;
        } catch (err) {
          if (!isConditionalCheckFailed(err)) throw toStoreError(err, 'DynamoDB PutItem');
        }
      }
      throw new AppError('CONFLICT', `settings of ${clientId} kept changing; try again`);
    },
  };
}

function applyChange(
  clientId: string,
  current: ClientSettings | undefined,
  change: ClientSettingsChange,
  at: Date,
): ClientSettings {
  const merged: ClientLimitOverrides = { ...current?.limits, ...change.limits };
  const limits = Object.fromEntries(
    Object.entries(merged).filter(([, value]) => value !== undefined),
  ) as ClientLimitOverrides;
  return {
    clientId,
    allowedSlackWebhooks: [
      ...new Set(change.allowedSlackWebhooks ?? current?.allowedSlackWebhooks ?? []),
    ],
    limits,
    version: (current?.version ?? 0) + 1,
    updatedAt: at.toISOString(),
  };
}

function fromItem(clientId: string, item: Record<string, unknown>): ClientSettings {
  const parsed = itemSchema.safeParse(item);
  if (!parsed.success) {
    throw new AppError('INTERNAL', `the settings item of client ${clientId} is malformed`);
  }
  return { clientId, ...parsed.data };
}
