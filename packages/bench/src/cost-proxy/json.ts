/** Loosely typed JSON as the proxy reads it: AWS request and answer bodies it only inspects. */

/** A JSON object (not an array). */
export type JsonObject = Record<string, unknown>;

/** True for a JSON object, not an array or null. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parsed body, or undefined when it is not JSON. */
export function parseJson(buffer: Buffer): unknown {
  try {
    return JSON.parse(buffer.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** `value[key]` when `value` is an object, else undefined. */
export const field = (value: unknown, key: string): unknown =>
  isObject(value) ? value[key] : undefined;

/** `value` if it is an array, else []. */
export const arrayOr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `map[key] += by` (from 0). */
export function increment(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

/** `value` if it is a string, else '' (an error type, a header). */
export const stringOr = (value: unknown): string => (typeof value === 'string' ? value : '');
