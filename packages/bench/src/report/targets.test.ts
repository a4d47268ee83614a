import { byName, fullResults } from '../testing-report';
import { evaluateTargets } from './targets';

describe('evaluateTargets', () => {
  it('evaluates all 22 targets from a full result', () => {
    const targets = evaluateTargets(fullResults());
    expect(targets.length).toBe(22);
    for (const t of targets) {
      expect(typeof t.name).toBe('string');
      expect(typeof t.target).toBe('string');
      expect(typeof t.value).toBe('string');
      expect(typeof t.note).toBe('string');
    }
    const t = byName(targets);
    // 1,200 ≥ 0.9 × 1,300 = 1,170
    expect(t['Ingest vs bare SDK loop'].met).toBe(true);
    expect(t['Ingest vs bare SDK loop'].value).toBe('1,200 req/s = 0.92 × S (1,300)');
    // 1,200 ≥ 1.5 × 700 = 1,050
    expect(t['Ingest vs naive'].met).toBe(true);
    expect(t['Ingest errors'].met).toBe(true);
    expect(t['Ingest errors'].value).toMatch(/over 6 runs/);
    expect(t['Ingest p99 at half of peak'].met).toBe(true);
    expect(t['Ingest p99 at half of peak'].value).toBe('18.0 ms at 600 req/s');
    // 3,000 < 0.4 × 20,000
    expect(t['Status GET vs bare HTTP'].met).toBe(false);
    // statusHalf (16 ms) is used, not statusGet (30 ms), and the note says so.
    expect(t['Status GET p99'].met).toBe(false);
    expect(t['Status GET p99'].value).toBe('16.0 ms at 1,500 req/s');
    expect(t['Status GET p99'].note).toBe('Status GET at half of peak');
    // 900 ≥ 0.9 × 950 = 855; 900 < 1.5 × 700 = 1,050
    expect(t['Worker vs bare loop'].met).toBe(true);
    expect(t['Worker vs sqs-consumer'].met).toBe(false);
    expect(t['Hand-off p50'].met).toBe(true);
    expect(t['Hand-off p99'].met).toBe(false);
    expect(t['DynamoDB writes'].met).toBe(true);
    expect(t['DynamoDB writes'].note).toMatch(/table 2\.00 \+ indexes 0\.50/);
    expect(t['SQS requests'].met).toBe(true);
    // The backlog sample (210 MB) is higher than the peak under load (150 MB).
    expect(t['api memory'].met).toBe(false);
    expect(t['api memory'].value).toBe('210 MB');
    expect(t['worker memory'].met).toBe(true);
    // api: 140 → 210 is +70 MB, +50 %: not flat. worker: 110 → 125 is +15 MB: flat.
    expect(t['api memory under backlog'].met).toBe(false);
    expect(t['worker memory under backlog'].met).toBe(true);
  });

  it('returns met: null for everything when nothing was measured', () => {
    for (const input of [{}, undefined, null]) {
      const targets = evaluateTargets(input);
      expect(targets.length).toBe(22);
      for (const t of targets) {
        expect(t.met).toBe(null);
        expect(t.value).toBe('—');
      }
    }
  });

  it('handles partly missing figures', () => {
    const r = fullResults();
    delete r.S;
    delete r.http!.ingestHalf;
    delete r.http!.statusHalf;
    delete r.worker!.bare;
    delete r.handoff;
    r.cost!.perNotification!.dynamoWcuTotal = undefined;
    r.memory!.workerBacklog = [{ remaining: 100000, rssMb: 110 }];
    const t = byName(evaluateTargets(r));
    expect(t['Ingest vs bare SDK loop'].met).toBe(null);
    expect(t['Ingest vs bare SDK loop'].value).toBe('1,200 req/s');
    expect(t['Ingest vs bare SDK loop'].note).toMatch(/S not measured/);
    expect(t['Ingest vs naive'].met).toBe(true);
    // Clean so far, but half of the phases did not run: not proven.
    expect(t['Ingest errors'].met).toBe(null);
    expect(t['Ingest p99 at half of peak'].met).toBe(null);
    // Falls back to statusGet (30 ms) and says so.
    expect(t['Status GET p99'].met).toBe(false);
    expect(t['Status GET p99'].value).toBe('30.0 ms');
    expect(t['Status GET p99'].note).toMatch(/full load/);
    expect(t['Worker vs bare loop'].met).toBe(null);
    expect(t['Hand-off p50'].met).toBe(null);
    // Total recomputed from table + indexes.
    expect(t['DynamoDB writes'].met).toBe(true);
    expect(t['DynamoDB writes'].value).toBe('2.50 WCU per notification');
    expect(t['worker memory under backlog'].met).toBe(null);
  });

  it('fails the error target when any run had errors, even with phases missing', () => {
    const r = fullResults();
    delete r.http!.ingestHalf;
    r.http!.ingest!.runs![2]!.non2xx = 3;
    expect(byName(evaluateTargets(r))['Ingest errors'].met).toBe(false);
  });

  it('recomputes a missing median from the runs', () => {
    const r = fullResults();
    delete r.http!.ingest!.median;
    const t = byName(evaluateTargets(r));
    expect(t['Ingest vs bare SDK loop'].value).toBe('1,200 req/s = 0.92 × S (1,300)');
  });

  it('counts memory as flat within 25 MB even when that is over 20 %', () => {
    const r = fullResults();
    r.memory!.apiBacklog = [
      { backlog: 1, rssMb: 60 },
      { backlog: 2, rssMb: 84 },
    ];
    expect(byName(evaluateTargets(r))['api memory under backlog'].met).toBe(true);
  });
});
