import { fullResults } from '../testing-report';
import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders every section of a full result', () => {
    const md = renderMarkdown(fullResults());
    expect(md.startsWith('# Herald benchmarks\n')).toBe(true);
    expect(md).toMatch(/median of 3 runs in one run of `pnpm bench`/);
    expect(md).toMatch(/do not edit it by hand/);
    for (const heading of [
      'Machine',
      'How to run',
      'Targets',
      'Throughput and latency',
      'Worker',
      'Accept → hand-off',
      'Cost per notification',
      'Memory',
      'Runs',
      'Profiles',
      'Notes',
    ]) {
      expect(md).toMatch(new RegExp(`^## ${heading}$`, 'm'));
    }
    expect(md).toMatch(/^\| Target +\| Measured +\| Met +\|$/m);
    expect(md).toMatch(
      /^\| Figure +\| +req\/s \| +p50 ms \| +p90 ms \| +p99 ms \| +p99\.9 ms \| +errors \|$/m,
    );
    expect(md).toMatch(
      /\| Ingest — POST \/v1\/notifications +\| +1,200 \| +35\.0 \| +50\.0 \| +80\.0 \| +120\.0 \| +0 \|/,
    );
    expect(md).toMatch(/\| Ingest at half of peak \(600 req\/s offered\)/);
    // Hand-off: the target row at half of the end-to-end peak, and the comparison row.
    expect(md).toMatch(/\| +600\/s \| half of the end-to-end peak \(the target\) +\| +22\.0 \|/);
    expect(md).toMatch(/\| +450\/s \| half of min\(ingest alone, worker alone\) +\| +80\.0 \|/);
    expect(md).toMatch(/the worker’s solo peak\), so .*: 1,200 notifications\/s\./);
    expect(md).toMatch(/^### Accept → hand-off, half of min\(ingest, worker\)$/m);
    // Cost: steady and burst side by side; the target is judged on the steady run.
    expect(md).toMatch(
      /\| Per delivered notification +\| +steady, [\d,]+\/s paced \| burst, 50 connections \|/,
    );
    expect(md).toMatch(/\| SQS requests +\| +0\.38 \| +0\.13 \|/);
    // A '<' from a label is escaped so GitHub does not read it as an HTML tag.
    expect(md).toMatch(/^### Long-poll GET \?waitSeconds=\\<2>&x$/m);
    expect(md).toMatch(/!\[Latency percentiles\]\(benchmarks-latency\.svg\)/);
    expect(md).toMatch(/Node: v20\.20\.2/);
    expect(md).toMatch(/sqs-consumer 14\.2\.8/);
    expect(md).toMatch(/\$0\.625 \/ M write request units/);
    expect(md).toMatch(/as of 2026-11-01/);
    expect(md).toMatch(/✅/);
    expect(md).toMatch(/❌/);
    // Three runs plus the median row for each figure.
    expect(md).toMatch(/### Herald worker\n\n(\|.*\n){2}\| 1 .*\n\| 2 .*\n\| 3 .*\n\| median .*/);
    // A pipe in free text must not split a table cell; a note stays one bullet.
    expect(md).toMatch(/^- A note \| with a pipe\n {2}and a second line\.$/m);
    // Profile text with backticks gets a longer fence.
    expect(md).toMatch(/````text\nself/);
    // Every table row in a table has the same width, for a plain terminal.
    const targetRows = md.split('## Targets')[1]!.split('\n\n')[1]!.split('\n');
    expect(new Set(targetRows.map((l) => [...l.replace(/[✅❌]/g, 'xx')].length)).size).toBe(1);
  });

  it('renders dashes when most figures are missing', () => {
    const md = renderMarkdown({
      http: { ingest: { runs: [{ rps: 1000 }], median: { rps: 1000 } } },
    });
    expect(md).toMatch(/^## Targets$/m);
    expect(md).toMatch(/\| Ingest — POST \/v1\/notifications \| +1,000 \| +— \|/);
    expect(md).toMatch(/!\[Latency percentiles\]\(benchmarks-latency\.svg\)/);
    expect(md).toMatch(/0 of 22 targets met, 0 missed, 22 not measured/);
    expect(md).not.toMatch(/undefined|NaN|null|Infinity/);
    expect(md).not.toMatch(/^## (Profiles|Notes)$/m);
  });

  it('does not throw on an empty result', () => {
    const md = renderMarkdown({});
    expect(md).not.toMatch(/undefined|NaN|Infinity/);
  });
});
