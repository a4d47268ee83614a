/**
 * What a DynamoDB write costs on AWS, from the item before and after it: table write units, and
 * the writes of each secondary index it enters, leaves or changes.
 */
import type { Counters } from './counters';
import { itemSize } from './item-size';
import { increment, isObject, type JsonObject } from './json';
import type { IndexSchema, TableSchema } from './table-schema';

const WRITE_UNIT_BYTES = 1024;
// AWS sizes a secondary index entry as its projected attributes plus about 100 bytes of
// overhead per index item (the figure the DynamoDB docs give for index storage).
const INDEX_ENTRY_OVERHEAD_BYTES = 100;

/** One single-item write of a request; `check` is a transaction's ConditionCheck. */
export type WriteKind = 'put' | 'update' | 'delete' | 'check';

/** applied | failed (condition check failed, still billed) | none (not billed). */
export type WriteOutcome = 'applied' | 'failed' | 'none';

/** A single-item write ready to price: its table's schema, its key and its lock id. */
export interface WriteUnit {
  table: string;
  kind: WriteKind;
  item?: unknown;
  key: JsonObject;
  transactional?: boolean;
  schema: TableSchema;
  id: string;
}

/** An item image (DynamoDB JSON), undefined when there is no item. */
export type Image = JsonObject | undefined;

/**
 * AWS rules: a write costs the larger of the old and new item sizes in 1 KB units (min 1). A
 * failed condition costs the existing item's size (1 if there is none) and writes no index.
 * Transactions write each item twice (prepare and commit); their index writes are counted once.
 */
export function chargeWrite(
  d: Counters['dynamodb'],
  unit: WriteUnit,
  outcome: WriteOutcome,
  oldItem: Image,
  newItem: Image,
): void {
  const factor = unit.transactional ? 2 : 1;
  if (outcome === 'failed') {
    d.conditionalFailures += 1;
    d.wcuTable += factor * writeBlocks(oldItem);
    return;
  }
  if (outcome !== 'applied') return;
  d.wcuTable += factor * Math.max(writeBlocks(oldItem), writeBlocks(newItem));
  if (unit.kind === 'check') return;
  for (const index of unit.schema.indexes) {
    const units = indexWriteUnits(index, oldItem, newItem);
    if (units > 0) increment(d.wcuIndexes, index.name, units);
  }
}

function writeBlocks(item: Image): number {
  return Math.max(1, Math.ceil((item ? itemSize(item) : 0) / WRITE_UNIT_BYTES));
}

/**
 * Index writes per AWS: entering the index is a put, leaving it a delete, a changed index key a
 * delete plus a put, and a changed projected attribute one update of the larger entry.
 */
function indexWriteUnits(index: IndexSchema, oldItem: Image, newItem: Image): number {
  const oldEntry = indexEntry(index, oldItem);
  const newEntry = indexEntry(index, newItem);
  if (!oldEntry && !newEntry) return 0;
  if (!oldEntry) return newEntry ? entryBlocks(newEntry) : 0;
  if (!newEntry) return entryBlocks(oldEntry);
  if (index.keyAttrs.some((a) => !sameValue(oldItem?.[a], newItem?.[a]))) {
    return entryBlocks(oldEntry) + entryBlocks(newEntry);
  }
  if (sameValue(oldEntry, newEntry)) return 0;
  return Math.max(entryBlocks(oldEntry), entryBlocks(newEntry));
}

/** The item as the index stores it, or undefined when the item lacks an index key (sparse). */
function indexEntry(index: IndexSchema, item: Image): Image {
  if (!item || !index.keyAttrs.every((a) => Object.hasOwn(item, a))) return undefined;
  const projected = index.projected;
  if (!projected) return item;
  return Object.fromEntries(Object.entries(item).filter(([name]) => projected.has(name)));
}

function entryBlocks(entry: JsonObject): number {
  return Math.ceil((itemSize(entry) + INDEX_ENTRY_OVERHEAD_BYTES) / WRITE_UNIT_BYTES);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Map keys sorted and sets ordered, so equal DynamoDB values serialise equally. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => {
        const v = value[k];
        const isSet = (k === 'SS' || k === 'NS' || k === 'BS') && Array.isArray(v);
        return [k, isSet ? [...(v as unknown[])].sort() : canonical(v)];
      }),
  );
}
