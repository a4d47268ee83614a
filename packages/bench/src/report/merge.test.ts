import { fullResults } from '../testing-report';
import { mergeResults } from './merge';
import type { BenchResults } from './results';

/** A run of the Fan-out and Scheduled phases only, as main.ts builds it. */
function partialRun(): BenchResults {
  const full = fullResults();
  return {
    startedAt: '2026-12-08T03:00:00.000Z',
    command: 'pnpm bench --phases Fan-out,Scheduled --merge',
    machine: { cpus: 2, cpuModel: 'Test CPU', memGiB: 8, os: 'Linux', node: 'v22' },
    versions: {
      herald: 'new1234',
      autocannon: '8.0.0',
      dynalite: '4.0.0',
      fauxqs: '1.9.2',
      awsSdk: '3',
      express: '5',
      sqsConsumer: '14',
    },
    settings: {
      durationS: 3,
      warmupS: 1,
      repeats: 1,
      connections: 50,
      longPollConnections: 200,
      longPollWaitSeconds: 1,
      workerConcurrency: 40,
      workerMessages: 1000,
      costNotifications: 500,
      backlog: 10000,
      fanOut: 10000,
      scheduled: 10000,
    },
    http: {},
    worker: {},
    // The runner records the load peaks whatever ran; a merge must not take them.
    memory: { apiPeakMb: 99, workerPeakMb: 98 },
    profiles: [],
    notes: ['A new note.'],
    fanOut: { ...(full.fanOut as NonNullable<BenchResults['fanOut']>), createdPerSec: 700 },
    failures: [{ phase: 'Scheduled', error: 'boom' }],
  };
}

describe('mergeResults', () => {
  it('replaces only the figures of the phases run now and says where the rest came from', () => {
    const previous = fullResults();
    delete previous.fanOut;
    const merged = mergeResults(previous, partialRun(), ['Fan-out', 'Scheduled']);
    expect(merged.fanOut?.createdPerSec).toBe(700);
    // Scheduled failed now: its earlier figure stays, and is listed as kept.
    expect(merged.scheduled?.lag?.p99).toBe(1200);
    expect(merged.http?.ingest?.median?.rps).toBe(1200);
    expect(merged.memory?.apiPeakMb).toBe(150);
    expect(merged.versions?.herald).toBe('new1234');
    expect(merged.startedAt).toBe('2026-12-08T03:00:00.000Z');
    expect(merged.settings?.fanOut).toBe(10000);
    expect(merged.settings?.durationS).toBe(previous.settings?.durationS);
    expect(merged.mergedFrom).toHaveLength(1);
    expect(merged.mergedFrom?.[0]).toMatchObject({
      startedAt: '2026-11-22T03:00:00.000Z',
      command: 'pnpm bench',
      herald: 'abc1234',
    });
    for (const phase of ['B', 'Ingest', 'Worker', 'Cost', 'Backlog', 'Scheduled']) {
      expect(merged.mergedFrom?.[0]?.phases).toContain(phase);
    }
    expect(merged.mergedFrom?.[0]?.phases).not.toContain('Fan-out');
    expect(merged.failures).toEqual([{ phase: 'Scheduled', error: 'boom' }]);
    expect(merged.notes?.[0]).toBe('A new note.');
    expect(merged.notes?.[1]).toBe('(From the run of 2026-11-22T03:00:00.000Z.) First note.');
  });

  it('keeps the runs an earlier merge named for the phases still not run again', () => {
    const first = mergeResults(fullResults(), partialRun(), ['Fan-out', 'Scheduled']);
    const again = { ...partialRun(), startedAt: '2026-12-09T00:00:00.000Z', failures: [] };
    delete again.fanOut;
    const merged = mergeResults(
      first,
      { ...again, http: { B: { label: 'B', runs: [], median: { rps: 5 } } } },
      ['B'],
    );
    expect(merged.http?.B?.median?.rps).toBe(5);
    const runs = merged.mergedFrom ?? [];
    expect(runs[0]?.startedAt).toBe('2026-11-22T03:00:00.000Z');
    expect(runs[0]?.phases).not.toContain('B');
    expect(runs[0]?.phases).toContain('Ingest');
    // Fan-out came from the first merge's own run.
    expect(runs[1]).toMatchObject({ phases: ['Fan-out'], startedAt: '2026-12-08T03:00:00.000Z' });
  });
});
