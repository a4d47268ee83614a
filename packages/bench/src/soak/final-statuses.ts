import { sleep } from '../lib/processes';
import type { SoakApiClient } from './api-client';
import { sinceStart } from './clock';

/** A final status that changed after it was first seen: what the soak must never find. */
export interface Regression {
  id: string;
  was: string;
  now: string;
  at: number;
}

const isFinal = (status: string) => status === 'Delivered' || status === 'Refused';

/** The first final status seen per id, and every later read that disagreed with it. */
export class FinalStatuses {
  readonly seen = new Map<string, string>();
  readonly regressions: Regression[] = [];

  /** Records a status read for `id`: a change from a final status seen before is a regression. */
  observe(id: string, status: string): void {
    const was = this.seen.get(id);
    if (was !== undefined) {
      if (status !== was) this.regressions.push({ id, was, now: status, at: sinceStart() });
      return;
    }
    if (isFinal(status)) this.seen.set(id, status);
  }

  /**
   * Until `stop.done`: every second re-reads a sample of ids already seen final (a final status
   * must never change) and a few random accepted ids, so `seen` fills during the run.
   */
  async watch(api: SoakApiClient, stop: { done: boolean }): Promise<void> {
    while (!stop.done) {
      const sample = [...this.seen.keys()].sort(() => Math.random() - 0.5).slice(0, 20);
      const { accepted } = api;
      const recent = Array.from(
        { length: Math.min(20, accepted.length) },
        () => accepted[Math.floor(Math.random() * accepted.length)] ?? '',
      );
      for (const id of [...sample, ...recent]) {
        try {
          this.observe(id, (await api.getStatus(id)).status);
        } catch {
          // the api may be busy; not a regression
        }
      }
      await sleep(1000);
    }
  }
}
