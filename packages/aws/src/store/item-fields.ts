import { AppError } from '@herald/core';

/**
 * Typed reads of an item's attributes for a codec: `what` names the item in the `INTERNAL` error
 * a missing or mistyped attribute raises ("stored notification has a malformed …").
 */
export function itemFields(what: string) {
  const malformed = (field: string): never => {
    throw new AppError('INTERNAL', `stored ${what} has a malformed "${field}"`);
  };
  return {
    malformed,
    str: (item: Record<string, unknown>, key: string): string => {
      const value = item[key];
      return typeof value === 'string' ? value : malformed(key);
    },
    optStr: (item: Record<string, unknown>, key: string): string | undefined => {
      const value = item[key];
      return typeof value === 'string' ? value : undefined;
    },
    num: (item: Record<string, unknown>, key: string): number => {
      const value = item[key];
      return typeof value === 'number' ? value : malformed(key);
    },
    /** JSON text as written by the codec (from a request validated on the way in). */
    json: <T>(item: Record<string, unknown>, key: string): T => {
      const text = item[key];
      if (typeof text !== 'string') return malformed(key);
      try {
        return JSON.parse(text) as T;
      } catch {
        return malformed(key);
      }
    },
  };
}
