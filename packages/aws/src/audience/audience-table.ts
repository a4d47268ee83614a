import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DEFAULT_AUDIENCE_TABLE_NAME } from '@herald/config';

/**
 * A recipient's partition: every item of one recipient of one client (profile with devices, and
 * later subscriptions, preferences, inbox) shares it, so reading or erasing a recipient is a
 * Query of one partition. Client ids and recipient ids never contain `#`.
 */
export const recipientPk = (clientId: string, recipientId: string): string =>
  `C#${clientId}#R#${recipientId}`;

/** The sort key of a recipient's profile item (which also holds its devices). */
export const PROFILE_SK = 'PROFILE';

/** The sort key of a recipient's preferences item (sorts just before `PROFILE`). */
export const PREFS_SK = 'PREFS';

/**
 * The audience table: mutable per-recipient data, apart from the immutable notifications, with a
 * partition key `pk` and a sort key `sk` (strings), on-demand billing and no index. A key schema
 * cannot change on an existing table, hence a second table rather than more items in the first.
 * Items so far, under `pk = C#<clientId>#R#<recipientId>`:
 * - `sk = PROFILE`: the profile (JSON), its `revision` and `incarnation` (the ETag), `createdAt`,
 *   `updatedAt`, and `devices`, a map of device id → `{ target (JSON), createdAt, updatedAt }`.
 *   Devices live on the profile item so the 20-device limit is one conditional write
 *   (`size(devices)`), sound under concurrency without transactions, and resolving a recipient's
 *   addresses and devices is one read. 20 devices of ≤ 3 kB each stay far below 400 kB.
 * - `sk = PREFS`: the preferences (JSON), the profile `incarnation` they belong to, their
 *   `revision`, `updatedAt` (`dynamo-preference-store.ts`).
 * - `sk = SUB#<topicId>`: the recipient's side of a subscription (see `topic-item.ts`).
 * Later items of the same recipient (inbox) go in the same partition, so erasing a recipient
 * pages through one Query. Topics live under `C#<clientId>#TOPICS` (`T#<topicId>` and a
 * counter), a topic's subscribers under `C#<clientId>#T#<topicId>` (`S#<recipientId>`).
 */
export function audienceTableDefinition(
  tableName: string = DEFAULT_AUDIENCE_TABLE_NAME,
): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
  };
}
