import { randomBytes } from 'node:crypto';
import {
  AppError,
  deviceTargetSchema,
  newestDeviceFirst,
  recipientProfileSchema,
  type DeviceRecord,
  type RecipientProfile,
  type RecipientRecord,
} from '@herald/core';
import { z } from 'zod';

const deviceEntrySchema = z.object({
  target: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const profileItemSchema = z.object({
  clientId: z.string(),
  recipientId: z.string(),
  profile: z.string(),
  revision: z.number().int().positive(),
  incarnation: z.string().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** The stored form of a device: its target as JSON, so the map's values stay flat. */
export function deviceEntry(target: unknown, createdAt: string, updatedAt: string) {
  return { target: JSON.stringify(target), createdAt, updatedAt };
}

/**
 * A fresh incarnation: a recipient deleted and created again starts at revision 1 once more,
 * and its version must still differ from every version of the old one (a stale `If-Match`).
 */
export function newIncarnation(): string {
  return randomBytes(6).toString('base64url');
}

/** The version the api shows as the ETag: `<incarnation>.<revision>`. */
export function versionOf(incarnation: string, revision: number): string {
  return `${incarnation}.${revision}`;
}

/** The parts of a version, or `undefined` when it cannot be one of ours (it then never matches). */
export function parseVersion(
  version: string,
): { incarnation: string; revision: number } | undefined {
  const match = /^([A-Za-z0-9_-]{1,32})\.([1-9]\d{0,14})$/.exec(version);
  if (!match?.[1] || !match[2]) return undefined;
  return { incarnation: match[1], revision: Number(match[2]) };
}

/** The recipient of a profile item. A malformed item is AppError `INTERNAL`, never "missing". */
export function recipientOf(item: Record<string, unknown>): RecipientRecord {
  const parsed = profileItemSchema.safeParse(item);
  const profile = parsed.success ? storedProfileOf(parsed.data.profile) : undefined;
  if (!parsed.success || profile === undefined) {
    throw new AppError('INTERNAL', 'stored recipient is malformed');
  }
  const { clientId, recipientId, revision, incarnation, createdAt, updatedAt } = parsed.data;
  return {
    clientId,
    recipientId,
    profile,
    version: versionOf(incarnation, revision),
    createdAt,
    updatedAt,
  };
}

/** The devices of a profile item, newest registration first. */
export function devicesOf(item: Record<string, unknown>): DeviceRecord[] {
  const entries = z.record(z.string(), deviceEntrySchema).safeParse(item.devices ?? {});
  if (!entries.success) throw new AppError('INTERNAL', 'stored devices are malformed');
  return Object.entries(entries.data)
    .map(([deviceId, entry]): DeviceRecord => {
      const target = parseJson(entry.target, deviceTargetSchema);
      if (target === undefined) throw new AppError('INTERNAL', 'stored device is malformed');
      return { deviceId, target, createdAt: entry.createdAt, updatedAt: entry.updatedAt };
    })
    .sort(newestDeviceFirst);
}

/** A profile as stored (JSON text), or `undefined` when it no longer parses as one. */
export function storedProfileOf(text: string): RecipientProfile | undefined {
  return parseJson(text, recipientProfileSchema);
}

function parseJson<S extends z.ZodType>(text: string, schema: S): z.output<S> | undefined {
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
