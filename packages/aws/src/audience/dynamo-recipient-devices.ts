import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  AppError,
  MAX_DEVICES_PER_RECIPIENT,
  type DeviceRecord,
  type RecipientStore,
} from '@herald/core';
import { isConditionalCheckFailed, toStoreError } from '../errors';
import type { StoreContext } from '../store/store-context';
import { PROFILE_SK, recipientPk } from './audience-table';
import { deviceEntry, devicesOf } from './recipient-item';

type AddDevice = Parameters<RecipientStore['addDevice']>[0];

/** Lost races in a row (a device removed or added between a failed write and its re-read). */
const MAX_TRIES = 5;

/**
 * Registers a device on the recipient's profile item. The first write is the common case, a new
 * device with room left, in one round trip; when its condition fails, the item is read to say why
 * (no recipient, the same device again, or no room) and, for the same device, its target is
 * refreshed conditionally. See `RecipientStore.addDevice`.
 */
export async function addDevice(
  ctx: StoreContext,
  p: AddDevice,
): Promise<{ created: boolean; device: DeviceRecord }> {
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    if (await tryCreate(ctx, p)) {
      const { deviceId, target, now } = p;
      return { created: true, device: { deviceId, target, createdAt: now, updatedAt: now } };
    }
    const item = await readDevices(ctx, p.clientId, p.recipientId);
    if (item === undefined) throw new AppError('NOT_FOUND', 'Recipient not found');
    const existing = devicesOf(item).find((d) => d.deviceId === p.deviceId);
    if (existing !== undefined) {
      if (await tryRefresh(ctx, p)) {
        return { created: false, device: { ...existing, target: p.target, updatedAt: p.now } };
      }
    } else if (devicesOf(item).length >= MAX_DEVICES_PER_RECIPIENT) {
      throw new AppError(
        'CONFLICT',
        `A recipient has at most ${MAX_DEVICES_PER_RECIPIENT} devices; remove one first`,
      );
    }
  }
  throw new AppError('CONFLICT', "The recipient's devices kept changing; try again");
}

async function tryCreate(ctx: StoreContext, p: AddDevice): Promise<boolean> {
  return conditional(ctx, 'UpdateItem', {
    TableName: ctx.tableName,
    Key: { pk: recipientPk(p.clientId, p.recipientId), sk: PROFILE_SK },
    UpdateExpression: 'SET #devices.#id = :device',
    /*
     * The limit, in the one write that adds the device: the profile exists (a deleted recipient
     * gets no device), the device is new, and fewer than the maximum are there. DynamoDB applies
     * writes to one item one at a time, so concurrent adds can never pass the limit together.
     */
    ConditionExpression:
      'attribute_exists(pk) AND attribute_not_exists(#devices.#id) AND size(#devices) < :max',
    ExpressionAttributeNames: { '#devices': 'devices', '#id': p.deviceId },
    ExpressionAttributeValues: {
      ':device': deviceEntry(p.target, p.now, p.now),
      ':max': MAX_DEVICES_PER_RECIPIENT,
    },
  });
}

async function tryRefresh(ctx: StoreContext, p: AddDevice): Promise<boolean> {
  return conditional(ctx, 'UpdateItem', {
    TableName: ctx.tableName,
    Key: { pk: recipientPk(p.clientId, p.recipientId), sk: PROFILE_SK },
    UpdateExpression: 'SET #devices.#id.#target = :target, #devices.#id.#updatedAt = :now',
    ConditionExpression: 'attribute_exists(#devices.#id)',
    ExpressionAttributeNames: {
      '#devices': 'devices',
      '#id': p.deviceId,
      '#target': 'target',
      '#updatedAt': 'updatedAt',
    },
    ExpressionAttributeValues: { ':target': JSON.stringify(p.target), ':now': p.now },
  });
}

/** Removes a device if it is there; `false` otherwise (no recipient, no such device). */
export async function removeDevice(
  ctx: StoreContext,
  clientId: string,
  recipientId: string,
  deviceId: string,
): Promise<boolean> {
  return conditional(ctx, 'UpdateItem', {
    TableName: ctx.tableName,
    Key: { pk: recipientPk(clientId, recipientId), sk: PROFILE_SK },
    UpdateExpression: 'REMOVE #devices.#id',
    ConditionExpression: 'attribute_exists(#devices.#id)',
    ExpressionAttributeNames: { '#devices': 'devices', '#id': deviceId },
  });
}

/** The profile item's devices, read consistently; `undefined` when there is no recipient. */
export async function readDevices(
  ctx: StoreContext,
  clientId: string,
  recipientId: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await ctx.doc.send(
      new GetCommand({
        TableName: ctx.tableName,
        Key: { pk: recipientPk(clientId, recipientId), sk: PROFILE_SK },
        ProjectionExpression: 'pk, #devices',
        ExpressionAttributeNames: { '#devices': 'devices' },
        ConsistentRead: true,
      }),
    );
    return res.Item;
  } catch (err) {
    throw toStoreError(err, 'DynamoDB GetItem');
  }
}

/** Sends a conditional update; `false` when its condition failed. */
async function conditional(
  ctx: StoreContext,
  operation: string,
  input: ConstructorParameters<typeof UpdateCommand>[0],
): Promise<boolean> {
  try {
    await ctx.doc.send(new UpdateCommand(input));
    return true;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return false;
    throw toStoreError(err, `DynamoDB ${operation}`);
  }
}
