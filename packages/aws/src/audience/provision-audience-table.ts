import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTableAs } from '../provisioning/provision-table';
import { audienceTableDefinition } from './audience-table';

/**
 * Creates the audience table (`audienceTableDefinition`) if it is missing and waits until it is
 * ACTIVE; an existing one is left as it is. Idempotent: `herald setup`, the local stack and tests
 * call it. Throws AppError `UNAVAILABLE` or `INTERNAL`.
 */
export async function ensureAudienceTable(options: {
  dynamodb: DynamoDBClient;
  tableName: string;
  tableActiveTimeoutMs?: number;
}): Promise<void> {
  await ensureTableAs(options, audienceTableDefinition(options.tableName));
}
