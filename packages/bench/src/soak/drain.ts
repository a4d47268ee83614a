import { sleep } from '../lib/processes';
import type { SoakApiClient } from './api-client';
import type { FinalStatuses } from './final-statuses';

/**
 * After the traffic: 50 readers long-poll every accepted id until it is final or the deadline
 * passes. Returns the last status read per id (`Error` when the read failed).
 */
export async function drain(
  api: SoakApiClient,
  finals: FinalStatuses,
  finalDeadlineSec: number,
): Promise<Map<string, string>> {
  const deadline = Date.now() + finalDeadlineSec * 1000;
  const last = new Map<string, string>();
  const todo = [...api.accepted];
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      for (let id = todo.shift(); id !== undefined; id = todo.shift()) {
        for (;;) {
          let status: string;
          try {
            const waitSeconds = Math.min(
              20,
              Math.max(1, Math.floor((deadline - Date.now()) / 1000)),
            );
            status = (await api.getStatus(id, waitSeconds)).status;
          } catch {
            status = 'Error';
          }
          last.set(id, status);
          finals.observe(id, status);
          if (status === 'Delivered' || status === 'Refused') break;
          if (Date.now() >= deadline) break;
          if (status !== 'Pending') await sleep(500);
        }
      }
    }),
  );
  return last;
}

/** A second read of every accepted id by 32 readers: a final status must never change. */
export async function recheck(api: SoakApiClient, finals: FinalStatuses): Promise<void> {
  const todo = [...api.accepted];
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let id = todo.shift(); id !== undefined; id = todo.shift()) {
        try {
          finals.observe(id, (await api.getStatus(id)).status);
        } catch {
          // counted by the drain
        }
      }
    }),
  );
}
