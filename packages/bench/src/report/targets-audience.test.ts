import { byName, fullResults } from '../testing-report';
import { evaluateTargets } from './targets';

describe('the audience targets', () => {
  it('judges the fan-out against its baselines from the same run', () => {
    const t = byName(evaluateTargets(fullResults()));
    expect(t['Fan-out creation vs bare loop'].met).toBe(true);
    expect(t['Fan-out creation vs bare loop'].value).toBe(
      '500 children/s = 0.63 × bare loop (800)',
    );
    expect(t['Fan-out vs worker'].met).toBe(true);
    expect(t['Fan-out vs worker'].note).toBe('needs ≥ 234 children/s');
    // From the 2nd tenth (140 MB) to the last (150 MB): +10 MB, flat.
    expect(t['worker memory during fan-out'].met).toBe(true);
    expect(t['worker memory during fan-out'].value).toBe('140 → 150 MB (+10 MB, +7 %)');
    expect(t['Queue wait during fan-out'].met).toBe(false);
    expect(t['Queue wait during fan-out'].value).toBe('p99 2,500.0 ms over 80 probes');
    expect(t['Queue wait during fan-out'].note).toBe('idle p99 15.0 ms');
    expect(t['Scheduled claim lag'].met).toBe(true);
    expect(t['Scheduled early claims'].met).toBe(true);
    expect(t['Scheduled early claims'].value).toBe('0 of 10,000');
  });

  it('fails a creation rate under half the bare loop, and a fan-out under 0.9 × the worker', () => {
    const r = fullResults();
    r.fanOut!.createdPerSec = 399;
    r.fanOut!.deliveredPerSec = 233;
    r.fanOut!.worker = { perSec: 260, source: 'backlog', notifications: 10000 };
    const t = byName(evaluateTargets(r));
    expect(t['Fan-out creation vs bare loop'].met).toBe(false);
    expect(t['Fan-out vs worker'].met).toBe(false);
    expect(t['Fan-out vs worker'].value).toMatch(/worker \(backlog measured in the phase\)/);
  });

  it('fails memory that grows with the children delivered', () => {
    const r = fullResults();
    r.fanOut!.rss!.byTenth = [
      { delivered: 1000, rssMb: 100 },
      { delivered: 2000, rssMb: 110 },
      { delivered: 10000, rssMb: 160 },
    ];
    expect(byName(evaluateTargets(r))['worker memory during fan-out'].met).toBe(false);
  });

  it('passes a queue wait under 1 s and fails one with probes never claimed', () => {
    const r = fullResults();
    r.fanOut!.waitDuringFanOut!.p99 = 999;
    expect(byName(evaluateTargets(r))['Queue wait during fan-out'].met).toBe(true);
    r.fanOut!.waitDuringFanOut!.missing = 2;
    const t = byName(evaluateTargets(r))['Queue wait during fan-out'];
    expect(t.met).toBe(false);
    expect(t.note).toMatch(/^2 probes never claimed/);
  });

  it('fails a scheduled run with a p99 over 2 s, an early claim or a send never claimed', () => {
    const late = fullResults();
    late.scheduled!.lag!.p99 = 2001;
    expect(byName(evaluateTargets(late))['Scheduled claim lag'].met).toBe(false);
    const early = fullResults();
    early.scheduled!.early = 1;
    expect(byName(evaluateTargets(early))['Scheduled early claims'].met).toBe(false);
    const lost = fullResults();
    lost.scheduled!.missing = 3;
    const t = byName(evaluateTargets(lost))['Scheduled claim lag'];
    expect(t.met).toBe(false);
    expect(t.note).toBe('3 never claimed');
  });

  it('says not measured when the phases did not run', () => {
    const r = fullResults();
    delete r.fanOut;
    delete r.scheduled;
    const t = byName(evaluateTargets(r));
    for (const name of [
      'Fan-out creation vs bare loop',
      'Fan-out vs worker',
      'worker memory during fan-out',
      'Queue wait during fan-out',
      'Scheduled claim lag',
      'Scheduled early claims',
    ] as const) {
      expect(t[name].met).toBe(null);
      expect(t[name].value).toBe('—');
    }
  });
});
