#!/usr/bin/env node
/**
 * Re-renders BENCHMARKS.md and benchmarks-latency.svg from scripts/bench/last-run.json (or the
 * results file given), without measuring anything: `node scripts/bench/render.mjs [file] [outDir]`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReport } from './lib/write-report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? path.join(HERE, 'last-run.json');
const outDir = process.argv[3] ?? path.resolve(HERE, '../..');
const targets = writeReport(JSON.parse(readFileSync(file, 'utf8')), outDir);
const met = targets.filter((t) => t.met === true).length;
process.stdout.write(`wrote ${outDir}/BENCHMARKS.md: ${met} of ${targets.length} targets met\n`);
