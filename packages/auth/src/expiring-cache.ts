/**
 * A bounded map whose entries carry their own expiry. When full, the oldest insertion goes
 * first: a Map iterates in insertion order, so that is simply its first key.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAtMs: number }>();

  constructor(private readonly maxSize: number) {}

  /** The value for `key`, unless absent or expired at `nowMs` (an expired entry is dropped). */
  get(key: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores `value` until `expiresAtMs`, evicting the oldest entry when full. No-op if size 0. */
  set(key: string, value: V, expiresAtMs: number): void {
    if (this.maxSize <= 0) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxSize) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAtMs });
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
