/**
 * Judges the targets, explains the misses and writes BENCHMARKS.md and the latency chart from a
 * results object. `pnpm bench` calls it at the end of a run; `pnpm bench:render` calls it on a
 * saved last-run.json, so the report can be re-rendered without re-measuring.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderChartSvg } from './chart';
import { renderMarkdown } from './markdown';
import { explainMisses } from './notes';
import type { ReportInput, TargetVerdict } from './results';
import { evaluateTargets } from './targets';

/** The report of a run: BENCHMARKS.md, the chart, and the verdicts. */
export interface RenderedReport {
  markdown: string;
  svg: string;
  targets: TargetVerdict[];
}

/** Renders the report; the run's notes are followed by an explanation of each missed target. */
export function renderReport(results: NonNullable<ReportInput>): RenderedReport {
  const targets = evaluateTargets(results);
  const notes = [...(results.notes ?? []), ...explainMisses(results, targets)];
  return {
    markdown: renderMarkdown({ ...results, notes }),
    svg: renderChartSvg(results),
    targets,
  };
}

/** Writes BENCHMARKS.md and benchmarks-latency.svg into `outDir`; returns the verdicts. */
export function writeReport(results: NonNullable<ReportInput>, outDir: string): TargetVerdict[] {
  const { markdown, svg, targets } = renderReport(results);
  writeFileSync(path.join(outDir, 'BENCHMARKS.md'), markdown);
  writeFileSync(path.join(outDir, 'benchmarks-latency.svg'), svg);
  return targets;
}
