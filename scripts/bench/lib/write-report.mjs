/**
 * Judges the targets, explains the misses and writes BENCHMARKS.md and the latency chart from a
 * results object. `pnpm bench` calls it at the end of a run; `node scripts/bench/render.mjs`
 * calls it on a saved last-run.json, so the report can be re-rendered without re-measuring.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { explainMisses } from './notes.mjs';
import { evaluateTargets, renderChartSvg, renderMarkdown } from './report.mjs';

export function writeReport(results, outDir) {
  const targets = evaluateTargets(results);
  const notes = [...(results.notes ?? []), ...explainMisses(results, targets)];
  writeFileSync(path.join(outDir, 'BENCHMARKS.md'), renderMarkdown({ ...results, notes }));
  writeFileSync(path.join(outDir, 'benchmarks-latency.svg'), renderChartSvg(results));
  return targets;
}
