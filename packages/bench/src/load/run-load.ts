import path from 'node:path';
import { runNode } from '@herald/local';
import type { LoadOptions, LoadResult } from './load-options';

const CHILD = path.join(__dirname, 'load-child.js');

/** Runs one load in a child process (load-child.ts) and returns its summary. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { stdout } = await runNode(CHILD, [JSON.stringify(options)]);
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as LoadResult;
}
