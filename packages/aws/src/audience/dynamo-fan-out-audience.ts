import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { AppError, recipientPreferencesSchema } from '@herald/core';
import type { FanOutAudience, FanOutRecipient, RecipientPreferences } from '@herald/core';
import { toStoreError } from '../errors';
import type { StoreContext } from '../store/store-context';
import { PREFS_SK, PROFILE_SK, recipientPk } from './audience-table';
import { devicesOf, recipientOf } from './recipient-item';

/** BatchGetItem's limit: 100 keys, so 50 recipients (profile + preferences) per call. */
const RECIPIENTS_PER_CALL = 50;
const UNPROCESSED_PAUSES_MS = [10, 50, 200, 500];

/**
 * The fan-out's read of a page of subscribers: each one's profile item (addresses and devices)
 * and preferences item, in BatchGetItem calls, strongly consistent. Preferences written for an
 * earlier incarnation of the recipient (an erase raced a write) read as none, as in the
 * preference store. A recipient without a profile (erased) is absent from the map.
 */
export function createDynamoFanOutAudience(ctx: StoreContext): FanOutAudience {
  return {
    readRecipients: async (clientId, recipientIds) => {
      const found = new Map<string, FanOutRecipient>();
      const unique = [...new Set(recipientIds)];
      const chunks: string[][] = [];
      for (let i = 0; i < unique.length; i += RECIPIENTS_PER_CALL) {
        chunks.push(unique.slice(i, i + RECIPIENTS_PER_CALL));
      }
      // The page's calls go out together: the fan-out waits for one round trip, not one per 50.
      const read = await Promise.all(
        chunks.map((ids) =>
          batchGet(
            ctx,
            ids.flatMap((id) => [
              { pk: recipientPk(clientId, id), sk: PROFILE_SK },
              { pk: recipientPk(clientId, id), sk: PREFS_SK },
            ]),
          ),
        ),
      );
      const byKey = new Map(
        read.flat().map((it) => [`${String(it.pk)}\u0000${String(it.sk)}`, it]),
      );
      for (const id of unique) {
        const pk = recipientPk(clientId, id);
        const profileItem = byKey.get(`${pk}\u0000${PROFILE_SK}`);
        if (profileItem === undefined) continue;
        const record = recipientOf(profileItem);
        const prefsItem = byKey.get(`${pk}\u0000${PREFS_SK}`);
        const preferences = preferencesOf(prefsItem, profileItem.incarnation);
        found.set(id, {
          profile: record.profile,
          devices: devicesOf(profileItem),
          ...(preferences !== undefined ? { preferences } : {}),
        });
      }
      return found;
    },
  };
}

function preferencesOf(
  item: Record<string, unknown> | undefined,
  incarnation: unknown,
): RecipientPreferences | undefined {
  if (item === undefined || item.incarnation !== incarnation) return undefined;
  try {
    const parsed = recipientPreferencesSchema.safeParse(JSON.parse(String(item.preferences)));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw new AppError('INTERNAL', 'stored preferences are malformed');
}

async function batchGet(
  ctx: StoreContext,
  keys: Record<string, string>[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let pending = keys;
  for (let round = 0; pending.length > 0; round++) {
    let res;
    try {
      res = await ctx.doc.send(
        new BatchGetCommand({
          RequestItems: { [ctx.tableName]: { Keys: pending, ConsistentRead: true } },
        }),
      );
    } catch (err) {
      throw toStoreError(err, 'DynamoDB BatchGetItem');
    }
    items.push(...(res.Responses?.[ctx.tableName] ?? []));
    pending = (res.UnprocessedKeys?.[ctx.tableName]?.Keys ?? []) as Record<string, string>[];
    const pause = UNPROCESSED_PAUSES_MS[round];
    if (pending.length === 0) break;
    if (pause === undefined)
      throw new AppError('UNAVAILABLE', 'DynamoDB did not read the recipients (throttled)');
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  return items;
}
