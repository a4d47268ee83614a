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

/** Writes BENCHMARKS.md and benchmarks-latency.svg into `outDir`; returns the verdicts. */
export function writeReport(results: NonNullable<ReportInput>, outDir: string): TargetVerdict[] {
  const targets = evaluateTargets(results);
  const notes = [...(results.notes ?? []), ...explainMisses(results, targets)];
  writeFileSync(path.join(outDir, 'BENCHMARKS.md'), renderMarkdown({ ...results, notes }));
  writeFileSync(path.join(outDir, 'benchmarks-latency.svg'), renderChartSvg(results));
  return targets;
}
