/**
 * dynalite, as Herald ships it (patches/dynalite@4.0.0.patch), keeps an item and its index entries
 * together when it is killed mid-write, as DynamoDB does. Upstream wrote them as separate LevelDB
 * writes, so a SIGKILL could leave a Pending notification missing from the sweep index (never
 * swept again) or an index entry whose item was never written; the whole-stack fault test found it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startEmulatorsProcess, type EmulatorsProcess } from './emulators-process';
import { SWEEP_INDEX, createSdkClients, createTestTable, freshName } from './testing';

jest.setTimeout(60_000);

const ITEMS = 40;
const WRITERS = 16;
const CRASHES = 6;

// Puts into the sparse index, updates out of and back into it, deletes: every kind of write that
// moves index entries.
type Doc = ReturnType<typeof createSdkClients>['doc'];
const WRITES: ((doc: Doc, table: string, pk: string, sweepAt: string) => Promise<unknown>)[] = [
  (doc, TableName, pk, sweepAt) =>
    doc.send(new PutCommand({ TableName, Item: { pk, id: pk, sweepShard: '0', sweepAt } })),
  (doc, TableName, pk) =>
    doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk },
        UpdateExpression: 'REMOVE sweepShard, sweepAt SET id = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    ),
  (doc, TableName, pk, sweepAt) =>
    doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk },
        UpdateExpression: 'SET sweepShard = :s, sweepAt = :at, id = :pk',
        ExpressionAttributeValues: { ':s': '0', ':at': sweepAt, ':pk': pk },
      }),
    ),
  (doc, TableName, pk) => doc.send(new DeleteCommand({ TableName, Key: { pk } })),
];

let dataDir: string;
let emulators: EmulatorsProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'herald-dynalite-crash-'));
});

afterAll(async () => {
  await emulators?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

it('an item and its sweep-index entry agree after each of several SIGKILLs mid-write', async () => {
  emulators = await startEmulatorsProcess({ dataDir });
  const tableName = freshName('crash');
  const setup = createSdkClients(emulators);
  await createTestTable(setup.dynamodb, tableName);
  setup.destroy();
  const mismatches: string[][] = [];

  for (let crash = 0; crash < CRASHES; crash++) {
    const clients = createSdkClients(emulators);
    let writes = 0;
    let stop = false;
    // Every kind of write, many at once, until the process dies under them.
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let n = 0; !stop; n++) {
        const pk = `N#${(w * 7 + n) % ITEMS}`;
        const sweepAt = `${crash}-${w}-${n}`;
        try {
          await WRITES[n % WRITES.length]!(clients.doc, tableName, pk, sweepAt);
          writes++;
        } catch {
          return; // the process died under this write
        }
      }
    });
    // Kill at a moment that varies from crash to crash, once writes are flowing.
    while (writes < 200 + crash * 37) await new Promise((resolve) => setTimeout(resolve, 5));
    emulators.kill();
    stop = true;
    await Promise.all(writers);
    clients.destroy();

    emulators = await emulators.restart();
    const after = createSdkClients(emulators);
    const items = await scanAll(after.doc, { TableName: tableName });
    const indexed = await scanAll(after.doc, { TableName: tableName, IndexName: SWEEP_INDEX });
    after.destroy();
    const inTable = items
      .filter((i) => i.sweepAt !== undefined)
      .map((i) => `${String(i.pk)} ${String(i.sweepAt)}`)
      .sort();
    const inIndex = indexed.map((i) => `${String(i.pk)} ${String(i.sweepAt)}`).sort();
    mismatches.push([
      ...inTable.filter((e) => !inIndex.includes(e)).map((e) => `crash ${crash}: not indexed ${e}`),
      ...inIndex.filter((e) => !inTable.includes(e)).map((e) => `crash ${crash}: phantom ${e}`),
    ]);
  }

  expect(mismatches.flat()).toEqual([]);
});

async function scanAll(
  doc: Doc,
  input: { TableName: string; IndexName?: string },
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return out;
}
