import path from 'node:path';

/** The repository root (this file runs from packages/bench/dist/lib/). */
export const REPO = path.resolve(__dirname, '../../../..');

/** The bench package's own directory (packages/bench). */
export const BENCH_PACKAGE = path.join(REPO, 'packages', 'bench');
