import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError, canonicalJson, type RecipientAtSend, type SendTimeAudience } from '@herald/core';
import { z } from 'zod';
import { isConditionalCheckFailed, toStoreError } from '../errors';
import type { StoreContext } from '../store/store-context';
import { readProfileAndPrefs } from './audience-io';
import { storedProfileOf } from './recipient-item';
import { PROFILE_SK, recipientPk } from './audience-table';
import { readDevices } from './dynamo-recipient-devices';
import { prefsOf } from './dynamo-preference-store';

export interface DynamoSendTimeAudienceOptions {
  doc: DynamoDBDocumentClient;
  /** The audience table (`HERALD_AUDIENCE_TABLE_NAME`). */
  tableName: string;
}

const profileItemSchema = z.object({ incarnation: z.string().min(1), profile: z.string() });
const storedTargetSchema = z.object({ target: z.string() });

/**
 * What the worker reads and prunes of the audience table: a recipient's preferences and timezone
 * in one consistent Query of its `PREFS` and `PROFILE` items (which sort next to each other;
 * preferences of another incarnation read as none, as in `createDynamoPreferenceStore`), and the
 * removal of a gone device, conditional on the stored target being the one that was sent to.
 */
export function createDynamoSendTimeAudience(
  options: DynamoSendTimeAudienceOptions,
): SendTimeAudience {
  const ctx: StoreContext = { doc: options.doc, tableName: options.tableName };
  return {
    recipientAtSend: (clientId, recipientId) => recipientAtSend(ctx, clientId, recipientId),

    async removeGoneDevice(p) {
      const item = await readDevices(ctx, p.clientId, p.recipientId);
      const devices = z.record(z.string(), z.unknown()).safeParse(item?.devices ?? {});
      const entry = storedTargetSchema.safeParse(devices.data?.[p.deviceId]);
      if (!entry.success || !sameTarget(entry.data.target, p.target)) return false;
      try {
        await ctx.doc.send(
          new UpdateCommand({
            TableName: ctx.tableName,
            Key: { pk: recipientPk(p.clientId, p.recipientId), sk: PROFILE_SK },
            UpdateExpression: 'REMOVE #devices.#id',
            // Exactly as read: a registration of the device since then (new keys) keeps it.
            ConditionExpression: '#devices.#id.#target = :target',
            ExpressionAttributeNames: {
              '#devices': 'devices',
              '#id': p.deviceId,
              '#target': 'target',
            },
            ExpressionAttributeValues: { ':target': entry.data.target },
          }),
        );
        return true;
      } catch (err) {
        if (isConditionalCheckFailed(err)) return false;
        throw toStoreError(err, 'DynamoDB UpdateItem');
      }
    },
  };
}

async function recipientAtSend(
  ctx: StoreContext,
  clientId: string,
  recipientId: string,
): Promise<RecipientAtSend | undefined> {
  const { profile: profileItem, prefs: prefsItem } = await readProfileAndPrefs(
    ctx,
    clientId,
    recipientId,
    ['incarnation', 'revision', 'preferences', 'updatedAt', 'profile'],
  );
  if (profileItem === undefined) return undefined;
  const parsed = profileItemSchema.safeParse(profileItem);
  const profile = parsed.success ? storedProfileOf(parsed.data.profile) : undefined;
  if (!parsed.success || profile === undefined) {
    throw new AppError('INTERNAL', 'stored recipient is malformed');
  }
  const stored = prefsItem === undefined ? undefined : prefsOf(prefsItem);
  const preferences = stored?.incarnation === parsed.data.incarnation ? stored.preferences : {};
  return { preferences, ...(profile.timezone !== undefined ? { timezone: profile.timezone } : {}) };
}

function sameTarget(stored: string, target: unknown): boolean {
  try {
    return canonicalJson(JSON.parse(stored)) === canonicalJson(target);
  } catch {
    return false;
  }
}
