/** What the cost proxy counts, and the snapshot it hands out. */
import { increment } from './json';

/** Calls and capacity counted since the last reset. */
export interface Counters {
  /** Calls by `Service.Action` (e.g. `DynamoDB.UpdateItem`, `SQS.SendMessageBatch`). */
  calls: Record<string, number>;
  sqs: { entriesSent: number; messagesReceived: number; entriesDeleted: number; requests: number };
  sns: { publishes: number; publishBatchEntries: number };
  dynamodb: {
    wcuTable: number;
    /** Write units by index name. */
    wcuIndexes: Record<string, number>;
    rcu: number;
    conditionalFailures: number;
    /** Writes whose capacity could not be priced (image read or table description failed). */
    uncountedWrites: number;
  };
}

/** The counters with the index and table totals added. */
export interface CostSnapshot extends Omit<Counters, 'dynamodb'> {
  dynamodb: Counters['dynamodb'] & { wcuIndexTotal: number; wcuTotal: number };
}

/** The counters at zero. */
export function emptyCounters(): Counters {
  return {
    calls: {},
    sqs: { entriesSent: 0, messagesReceived: 0, entriesDeleted: 0, requests: 0 },
    sns: { publishes: 0, publishBatchEntries: 0 },
    dynamodb: {
      wcuTable: 0,
      wcuIndexes: {},
      rcu: 0,
      conditionalFailures: 0,
      uncountedWrites: 0,
    },
  };
}

/** A copy of the counters with totals, safe to keep while counting goes on. */
export function snapshotOf(counters: Counters): CostSnapshot {
  const { calls, sqs, sns, dynamodb } = structuredClone(counters);
  const wcuIndexTotal = Object.values(dynamodb.wcuIndexes).reduce((sum, n) => sum + n, 0);
  return {
    calls,
    sqs,
    sns,
    dynamodb: {
      wcuTable: dynamodb.wcuTable,
      wcuIndexes: dynamodb.wcuIndexes,
      wcuIndexTotal,
      wcuTotal: dynamodb.wcuTable + wcuIndexTotal,
      rcu: dynamodb.rcu,
      conditionalFailures: dynamodb.conditionalFailures,
      uncountedWrites: dynamodb.uncountedWrites,
    },
  };
}

/** Counts one call by `Service.Action`. */
export const countCall = (counters: Counters, call: string): void =>
  increment(counters.calls, call);
