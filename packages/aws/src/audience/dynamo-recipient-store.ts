import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError, type ProfilePrecondition, type RecipientStore } from '@herald/core';
import { isConditionalCheckFailed, toStoreError } from '../errors';
import type { StoreContext } from '../store/store-context';
import { getItem } from './audience-io';
import { PROFILE_SK, recipientPk } from './audience-table';
import { addDevice, readDevices, removeDevice } from './dynamo-recipient-devices';
import { purgePartition } from './dynamo-recipient-purge';
import { devicesOf, newIncarnation, parseVersion, recipientOf } from './recipient-item';

export interface DynamoRecipientStoreOptions {
  doc: DynamoDBDocumentClient;
  /** The audience table (`HERALD_AUDIENCE_TABLE_NAME`, see `audienceTableDefinition`). */
  tableName: string;
}

type PutProfile = Parameters<RecipientStore['putProfile']>[0];

/**
 * Recipients and their devices in the audience table: one profile item per recipient under
 * `C#<clientId>#R#<recipientId>` / `PROFILE`, its devices in a map on it (see
 * `audienceTableDefinition`). Reads are strongly consistent, so a write is seen by the next
 * request. Every write is one conditional single-item write, except the erase, which deletes the
 * profile first and then the rest of the partition.
 */
export function createDynamoRecipientStore(options: DynamoRecipientStoreOptions): RecipientStore {
  const ctx: StoreContext = { doc: options.doc, tableName: options.tableName };
  return {
    putProfile: (p) => putProfile(ctx, p),

    async getAddressBook(clientId, recipientId) {
      const item = await getItem(ctx, {
        pk: recipientPk(clientId, recipientId),
        sk: PROFILE_SK,
      });
      return item === undefined
        ? undefined
        : { recipient: recipientOf(item), devices: devicesOf(item) };
    },

    async getProfile(clientId, recipientId) {
      let item: Record<string, unknown> | undefined;
      try {
        const res = await ctx.doc.send(
          new GetCommand({
            TableName: ctx.tableName,
            Key: { pk: recipientPk(clientId, recipientId), sk: PROFILE_SK },
            ConsistentRead: true,
          }),
        );
        item = res.Item;
      } catch (err) {
        throw toStoreError(err, 'DynamoDB GetItem');
      }
      return item === undefined ? undefined : recipientOf(item);
    },

    async deleteRecipient(clientId, recipientId) {
      const pk = recipientPk(clientId, recipientId);
      let existed: boolean;
      try {
        const res = await ctx.doc.send(
          new DeleteCommand({
            TableName: ctx.tableName,
            Key: { pk, sk: PROFILE_SK },
            ReturnValues: 'ALL_OLD',
          }),
        );
        existed = res.Attributes !== undefined;
      } catch (err) {
        throw toStoreError(err, 'DynamoDB DeleteItem');
      }
      // Also when the profile was gone already: a retry after a failure part-way finishes here.
      const purged = await purgePartition(ctx, pk, { clientId, recipientId });
      return existed || purged > 0;
    },

    addDevice: (p) => addDevice(ctx, p),

    async listDevices(clientId, recipientId) {
      const item = await readDevices(ctx, clientId, recipientId);
      return item === undefined ? undefined : devicesOf(item);
    },

    removeDevice: (clientId, recipientId, deviceId) =>
      removeDevice(ctx, clientId, recipientId, deviceId),
  };
}

/**
 * One UpdateItem creates or replaces the profile: the profile, `updatedAt` and the bookkeeping
 * attributes are set, `createdAt`, `incarnation` and the device map only if absent, and
 * `revision` is incremented, so revision 1 in the new image means this write created it. The
 * devices are never touched.
 */
async function putProfile(ctx: StoreContext, p: PutProfile) {
  const condition = conditionOf(p.precondition);
  if (condition === 'never') throw preconditionFailed();
  try {
    const res = await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: { pk: recipientPk(p.clientId, p.recipientId), sk: PROFILE_SK },
        UpdateExpression:
          'SET #kind = :kind, clientId = :clientId, recipientId = :recipientId, ' +
          '#profile = :profile, updatedAt = :now, createdAt = if_not_exists(createdAt, :now), ' +
          'incarnation = if_not_exists(incarnation, :incarnation), ' +
          '#devices = if_not_exists(#devices, :noDevices) ADD revision :one',
        ...(condition.expression ? { ConditionExpression: condition.expression } : {}),
        ExpressionAttributeNames: { '#kind': 'kind', '#profile': 'profile', '#devices': 'devices' },
        ExpressionAttributeValues: {
          ':kind': 'recipient',
          ':clientId': p.clientId,
          ':recipientId': p.recipientId,
          ':profile': JSON.stringify(p.profile),
          ':now': p.now,
          ':incarnation': newIncarnation(),
          ':noDevices': {},
          ':one': 1,
          ...condition.values,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const item = res.Attributes ?? {};
    return { created: item.revision === 1, recipient: recipientOf(item) };
  } catch (err) {
    if (isConditionalCheckFailed(err)) throw preconditionFailed();
    throw toStoreError(err, 'DynamoDB UpdateItem');
  }
}

type Condition = { expression?: string; values?: Record<string, unknown> } | 'never';

function conditionOf(precondition: ProfilePrecondition): Condition {
  switch (precondition.kind) {
    case 'none':
      return {};
    case 'exists':
      return { expression: 'attribute_exists(pk)' };
    case 'absent':
      return { expression: 'attribute_not_exists(pk)' };
    case 'version': {
      const version = parseVersion(precondition.version);
      if (version === undefined) return 'never';
      return {
        expression: 'incarnation = :ifIncarnation AND revision = :ifRevision',
        values: { ':ifIncarnation': version.incarnation, ':ifRevision': version.revision },
      };
    }
  }
}

function preconditionFailed(): AppError {
  return new AppError('PRECONDITION_FAILED', 'The recipient has changed since that version');
}
