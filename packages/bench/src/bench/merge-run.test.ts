import { phasesRun } from './merge-run';
import { parseBenchArgs } from './options';

describe('the phases a --merge run replaces', () => {
  it('names the phases picked as the results know them', () => {
    expect(phasesRun({ phases: ['fan-out', 'scheduled'], skipProfile: false })).toEqual([
      'Fan-out',
      'Scheduled',
    ]);
    expect(phasesRun({ phases: ['status', 'half', 'b'], skipProfile: false })).toEqual([
      'B',
      'Status GET and long-poll',
      'Half of peak',
    ]);
  });

  it('is every phase without --phases, less the profiles when skipped', () => {
    const all = phasesRun({ phases: undefined, skipProfile: true });
    expect(all).toContain('Fan-out');
    expect(all).toContain('Backlog');
    expect(all).not.toContain('Profile');
  });
});

describe('parseBenchArgs: the audience options', () => {
  it('reads --fan-out, --scheduled and --merge, with smaller quick defaults', () => {
    const full = parseBenchArgs(['--fan-out', '20000', '--merge'], '/repo');
    expect(full).toMatchObject({
      kind: 'run',
      options: { merge: true, settings: { fanOut: 20000, scheduled: 10000 } },
    });
    const quick = parseBenchArgs(['--quick', '--phases', 'Fan-out,Scheduled'], '/repo');
    expect(quick).toMatchObject({
      kind: 'run',
      options: {
        merge: false,
        phases: ['fan-out', 'scheduled'],
        settings: { fanOut: 1000, scheduled: 1000 },
      },
    });
    expect(parseBenchArgs(['--scheduled', '0'], '/repo').kind).toBe('usage-error');
  });
});
