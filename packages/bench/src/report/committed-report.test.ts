import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ReportInput } from './results';
import { renderReport } from './write-report';

// BENCHMARKS.md and the chart are generated: they must be what the report code renders from the
// committed results, so a change to the report is re-rendered (`pnpm bench:render`) with it.
const REPO = path.resolve(__dirname, '../../../..');
const read = (...parts: string[]) => readFileSync(path.join(REPO, ...parts), 'utf8');

describe('the committed report', () => {
  const results = JSON.parse(
    read('packages', 'bench', 'last-run.json'),
  ) as NonNullable<ReportInput>;
  const rendered = renderReport(results);

  it('BENCHMARKS.md is the rendering of packages/bench/last-run.json', () => {
    expect(read('BENCHMARKS.md')).toBe(rendered.markdown);
  });

  it('benchmarks-latency.svg is the rendering of packages/bench/last-run.json', () => {
    expect(read('benchmarks-latency.svg')).toBe(rendered.svg);
  });
});
