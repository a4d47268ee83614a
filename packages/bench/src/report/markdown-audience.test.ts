import { fullResults } from '../testing-report';
import { renderMarkdown } from './markdown';

describe('BENCHMARKS.md: the audience phases', () => {
  it('renders the fan-out beside its baselines, and the queue wait idle and busy', () => {
    const md = renderMarkdown(fullResults());
    const fanOut = md.split('## Fan-out of a topic send')[1]!.split('\n## ')[0]!;
    expect(fanOut).toMatch(/One topic send to 10,000 subscribers/);
    expect(fanOut).toMatch(
      /\| Children created per s \(accepted → fanned_out\) \| +500 \(10,000 in 20\.00 s\) \| bare PutItem loop 800\/s +\| +0\.63 × \|/,
    );
    expect(fanOut).toMatch(/worker 260\/s \(the Worker phase of this run\)/);
    expect(fanOut).toMatch(/start 90 MB, peak 150 MB, end 140 MB \(peak − start 60 MB\)/);
    expect(fanOut).toMatch(
      /\| Worker idle \(before the fan-out\) +\| +40 \| +2\/s \| +8\.0 \| +15\.0 \|/,
    );
    expect(fanOut).toMatch(/\| During the fan-out +\| +80 \| +2\/s \| +900\.0 \| +2,500\.0 \|/);
  });

  it('renders the scheduled claim lag and says which path it does not exercise', () => {
    const md = renderMarkdown(fullResults());
    const scheduled = md.split('## Scheduled sends')[1]!.split('\n## ')[0]!;
    expect(scheduled).toMatch(/10,000 direct notifications with `sendAt` evenly spaced at 130\/s/);
    expect(scheduled).toMatch(
      /\| Scheduled sends \| +10,000 \| +480\.0 \| +900\.0 \| +1,200\.0 \| +1,700\.0 \| +0 \| +0 \|/,
    );
    expect(scheduled).toMatch(/further than 15 minutes ahead takes the other path/);
  });

  it('lists the new targets with their verdicts', () => {
    const md = renderMarkdown(fullResults());
    expect(md).toMatch(/\| Fan-out: children created ≥ 0\.5 × a bare loop .*\| ✅ +\|/);
    expect(md).toMatch(
      /\| Direct notification accept → claim p99 under 1 s during a fan-out .*\| ❌ +\|/,
    );
    expect(md).toMatch(/\| Scheduled sends claimed within 2 s of sendAt \(p99\) .*\| ✅ +\|/);
  });

  it('leaves the sections out when the phases did not run, and names merged runs', () => {
    const r = fullResults();
    delete r.fanOut;
    delete r.scheduled;
    expect(renderMarkdown(r)).not.toMatch(
      /## (Fan-out of a topic send|Scheduled sends|Runs merged)/,
    );
    r.mergedFrom = [
      {
        phases: ['B', 'Ingest'],
        startedAt: '2026-12-01T00:00:00.000Z',
        command: 'pnpm bench',
        herald: 'def5678',
      },
    ];
    const md = renderMarkdown(r);
    expect(md).toMatch(/except the phases listed under Runs merged\./);
    expect(md).toMatch(
      /^- B, Ingest: the run started 2026-12-01T00:00:00\.000Z \(`pnpm bench`, Herald `def5678`\)$/m,
    );
  });
});
