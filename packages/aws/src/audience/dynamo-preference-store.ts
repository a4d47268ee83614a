import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  AppError,
  recipientPreferencesSchema,
  type PreferenceStore,
  type PreferencesRecord,
  type ProfilePrecondition,
} from '@herald/core';
import { z } from 'zod';
import { isConditionalCheckFailed, toStoreError } from '../errors';
import type { StoreContext } from '../store/store-context';
import { readProfileAndPrefs } from './audience-io';
import { PREFS_SK, recipientPk } from './audience-table';

export interface DynamoPreferenceStoreOptions {
  doc: DynamoDBDocumentClient;
  /** The audience table (`HERALD_AUDIENCE_TABLE_NAME`). */
  tableName: string;
}

type PutPreferences = Parameters<PreferenceStore['putPreferences']>[0];

/** A write that lost a race is read and tried again this many times before `CONFLICT`. */
const WRITE_TRIES = 5;

const prefsItemSchema = z.object({
  incarnation: z.string().min(1),
  revision: z.number().int().positive(),
  preferences: z.string(),
  updatedAt: z.string(),
});

interface Snapshot {
  /** The profile's incarnation: the preferences' owner. */
  incarnation: string;
  /** The stored item as read (any incarnation), for the write's condition. */
  raw?: { incarnation: string; revision: number };
  record: PreferencesRecord;
  /** True when this incarnation has written preferences. */
  exists: boolean;
}

/**
 * Preferences as the `PREFS` item of the recipient's partition. It names the profile incarnation
 * it belongs to: without transactions a write can land just after an erase deleted the profile
 * and purged the partition, and such an orphan must never become the preferences of a recipient
 * created again under the same id, so an item of another incarnation reads as none (and the next
 * write replaces it; the next erase deletes it). The version is `<incarnation>.<revision>`,
 * revision 0 when none. Reading is one consistent Query (`PREFS` and `PROFILE` sort next to each
 * other); a write reads, then puts on condition that the item is still as read.
 */
export function createDynamoPreferenceStore(
  options: DynamoPreferenceStoreOptions,
): PreferenceStore {
  const ctx: StoreContext = { doc: options.doc, tableName: options.tableName };
  return {
    async getPreferences(clientId, recipientId) {
      return (await snapshot(ctx, clientId, recipientId))?.record;
    },

    async putPreferences(p) {
      for (let i = 0; i < WRITE_TRIES; i++) {
        const before = await snapshot(ctx, p.clientId, p.recipientId);
        if (before === undefined) throw new AppError('NOT_FOUND', 'Recipient not found');
        if (!holds(p.precondition, before)) {
          throw new AppError('PRECONDITION_FAILED', 'The preferences have changed since then');
        }
        const written = await writeIfUnchanged(ctx, p, before);
        if (written) return { created: !before.exists, record: written };
      }
      throw new AppError('CONFLICT', 'The preferences are being changed concurrently; try again');
    },
  };
}

async function snapshot(
  ctx: StoreContext,
  clientId: string,
  recipientId: string,
): Promise<Snapshot | undefined> {
  const { profile, prefs: prefsItem } = await readProfileAndPrefs(ctx, clientId, recipientId, [
    'incarnation',
    'revision',
    'preferences',
    'updatedAt',
  ]);
  if (profile === undefined) return undefined;
  const incarnation = z.string().min(1).safeParse(profile.incarnation);
  if (!incarnation.success) throw new AppError('INTERNAL', 'stored recipient is malformed');
  const stored = prefsItem === undefined ? undefined : prefsOf(prefsItem);
  const raw = stored && { incarnation: stored.incarnation, revision: stored.revision };
  if (stored?.incarnation !== incarnation.data) {
    const record = { preferences: {}, version: `${incarnation.data}.0` };
    return { incarnation: incarnation.data, ...(raw ? { raw } : {}), record, exists: false };
  }
  const record: PreferencesRecord = {
    preferences: stored.preferences,
    version: `${stored.incarnation}.${stored.revision}`,
    updatedAt: stored.updatedAt,
  };
  return { incarnation: incarnation.data, raw: { ...stored }, record, exists: true };
}

/** The new record, or `undefined` when the item changed since `before` was read. */
async function writeIfUnchanged(
  ctx: StoreContext,
  p: PutPreferences,
  before: Snapshot,
): Promise<PreferencesRecord | undefined> {
  const revision = before.exists && before.raw ? before.raw.revision + 1 : 1;
  /*
   * The item must be exactly as read: absent, or the same incarnation and revision. Two writers
   * that read the same state cannot both pass, so no write is lost silently and the revision
   * (the ETag) never repeats.
   */
  const condition = before.raw
    ? {
        ConditionExpression: 'incarnation = :readIncarnation AND revision = :readRevision',
        ExpressionAttributeValues: {
          ':readIncarnation': before.raw.incarnation,
          ':readRevision': before.raw.revision,
        },
      }
    : { ConditionExpression: 'attribute_not_exists(pk)' };
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: {
          pk: recipientPk(p.clientId, p.recipientId),
          sk: PREFS_SK,
          kind: 'preferences',
          clientId: p.clientId,
          recipientId: p.recipientId,
          incarnation: before.incarnation,
          revision,
          preferences: JSON.stringify(p.preferences),
          updatedAt: p.now,
        },
        ...condition,
      }),
    );
  } catch (err) {
    if (isConditionalCheckFailed(err)) return undefined;
    throw toStoreError(err, 'DynamoDB PutItem');
  }
  return {
    preferences: p.preferences,
    version: `${before.incarnation}.${revision}`,
    updatedAt: p.now,
  };
}

/** A `PREFS` item as stored; a malformed one is AppError `INTERNAL`. */
export function prefsOf(item: Record<string, unknown>) {
  const parsed = prefsItemSchema.safeParse(item);
  if (parsed.success) {
    try {
      const preferences = recipientPreferencesSchema.safeParse(JSON.parse(parsed.data.preferences));
      if (preferences.success) return { ...parsed.data, preferences: preferences.data };
    } catch {
      // Falls through to the error below.
    }
  }
  throw new AppError('INTERNAL', 'stored preferences are malformed');
}

function holds(precondition: ProfilePrecondition, before: Snapshot): boolean {
  switch (precondition.kind) {
    case 'none':
      return true;
    case 'exists':
      return before.exists;
    case 'absent':
      return !before.exists;
    case 'version':
      return precondition.version === before.record.version;
  }
}
