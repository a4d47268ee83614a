import { ensureQueues } from './provision-queues';
import type { ProvisionedQueues, QueueProvisionOptions } from './provision-queues';
import { ensureTable } from './provision-table';
import type { TableProvisionOptions } from './provision-table';

/** The clients, names and timings `ensureInfrastructure` provisions with. */
export interface InfrastructureOptions extends TableProvisionOptions, QueueProvisionOptions {}

/** The URLs of the work queue and its DLQ. */
export type Infrastructure = ProvisionedQueues;

/**
 * Creates what Herald needs if it is missing: the table (waiting until it and its indexes are
 * ACTIVE), the DLQ, and the main queue redriving to it. Idempotent: an existing table gets the
 * indexes of `tableDefinition` it lacks (see `ensureIndexes`) and is otherwise left as it is, an
 * existing queue gets the given attributes. Meant for local mode, tests and
 * `herald setup`; in AWS the CDK app owns these. Throws AppError `UNAVAILABLE` or `INTERNAL`.
 */
export async function ensureInfrastructure(
  options: InfrastructureOptions,
): Promise<Infrastructure> {
  const [, urls] = await Promise.all([ensureTable(options), ensureQueues(options)]);
  return urls;
}
