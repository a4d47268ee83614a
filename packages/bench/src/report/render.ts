/**
 * `pnpm bench:render [file] [outDir]`: re-renders BENCHMARKS.md and benchmarks-latency.svg from
 * packages/bench/last-run.json (or the results file given) into the repository root (or outDir),
 * without measuring anything.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_PACKAGE, REPO } from '../lib/paths';
import { writeReport } from './write-report';

const file = process.argv[2] ?? path.join(BENCH_PACKAGE, 'last-run.json');
const outDir = process.argv[3] ?? REPO;
const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
  process.stderr.write(`${file}: not a results object\n`);
  process.exit(2);
}
// Any object renders: what a saved file lacks shows as not measured.
const targets = writeReport(parsed, outDir);
const met = targets.filter((t) => t.met === true).length;
process.stdout.write(`wrote ${outDir}/BENCHMARKS.md: ${met} of ${targets.length} targets met\n`);
