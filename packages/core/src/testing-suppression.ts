import {
  SUPPRESSION_PAGE_SIZE,
  decodeSuppressionCursor,
  encodeSuppressionCursor,
  type SuppressionEntry,
  type SuppressionList,
  type SuppressionPage,
} from './audience/suppression';

/** A `SuppressionList` in memory, per client, with the DynamoDB list's order and paging. */
export class InMemorySuppressionList implements SuppressionList {
  private readonly entries = new Map<string, Map<string, SuppressionEntry>>();

  private of(clientId: string): Map<string, SuppressionEntry> {
    let entries = this.entries.get(clientId);
    if (!entries) {
      entries = new Map();
      this.entries.set(clientId, entries);
    }
    return entries;
  }

  isSuppressed(clientId: string, addresses: readonly string[]): Promise<ReadonlySet<string>> {
    const entries = this.of(clientId);
    return Promise.resolve(new Set(addresses.filter((a) => entries.has(a))));
  }

  add(clientId: string, entry: SuppressionEntry): Promise<void> {
    this.of(clientId).set(entry.address, { ...entry });
    return Promise.resolve();
  }

  list(clientId: string, cursor?: string): Promise<SuppressionPage> {
    const after = cursor === undefined ? undefined : decodeSuppressionCursor(cursor);
    const sorted = [...this.of(clientId).values()]
      .filter((e) => after === undefined || e.address > after)
      .sort((a, b) => (a.address < b.address ? -1 : 1));
    const items = sorted.slice(0, SUPPRESSION_PAGE_SIZE);
    const last = items.at(-1);
    return Promise.resolve({
      items,
      ...(sorted.length > items.length && last
        ? { nextCursor: encodeSuppressionCursor(last.address) }
        : {}),
    });
  }

  remove(clientId: string, address: string): Promise<boolean> {
    return Promise.resolve(this.of(clientId).delete(address));
  }
}
